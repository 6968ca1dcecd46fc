from frappe.model.document import Document


class CRMValueTierRule(Document):
	pass
