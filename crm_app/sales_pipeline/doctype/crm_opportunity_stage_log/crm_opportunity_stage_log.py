from frappe.model.document import Document


class CRMOpportunityStageLog(Document):
	pass
