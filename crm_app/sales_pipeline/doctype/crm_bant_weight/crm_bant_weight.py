from frappe.model.document import Document


class CRMBANTWeight(Document):
	pass
