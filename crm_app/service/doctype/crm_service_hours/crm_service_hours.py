from frappe.model.document import Document


class CRMServiceHours(Document):
	pass
