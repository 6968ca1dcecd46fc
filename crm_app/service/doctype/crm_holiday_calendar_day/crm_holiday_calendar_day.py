from frappe.model.document import Document


class CRMHolidayCalendarDay(Document):
	pass
