from frappe.model.document import Document


class CRMCampaignCost(Document):
	pass
