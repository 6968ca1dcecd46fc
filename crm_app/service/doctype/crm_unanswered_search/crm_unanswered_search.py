from frappe.model.document import Document


class CRMUnansweredSearch(Document):
	pass
