from frappe.model.document import Document


class CRMLostReason(Document):
	pass
