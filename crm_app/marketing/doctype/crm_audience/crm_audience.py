from frappe.model.document import Document


class CRMAudience(Document):
	pass
