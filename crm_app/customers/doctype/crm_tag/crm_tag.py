from frappe.model.document import Document


class CRMTag(Document):
	pass
