from frappe.model.document import Document


class CRMStageRequirement(Document):
	pass
