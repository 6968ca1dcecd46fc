from frappe.model.document import Document


class CRMSalesTeamMember(Document):
	pass
