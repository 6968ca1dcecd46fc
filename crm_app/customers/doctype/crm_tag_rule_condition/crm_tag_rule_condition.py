from frappe.model.document import Document


class CRMTagRuleCondition(Document):
	pass
