from frappe.model.document import Document


class CRMValueTierChange(Document):
	pass
