from frappe.model.document import Document


class CRMProduct(Document):
	pass
