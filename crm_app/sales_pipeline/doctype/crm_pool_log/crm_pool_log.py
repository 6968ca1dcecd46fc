from frappe.model.document import Document


class CRMPoolLog(Document):
	pass
