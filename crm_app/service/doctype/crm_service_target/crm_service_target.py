from frappe.model.document import Document


class CRMServiceTarget(Document):
	pass
