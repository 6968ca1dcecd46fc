from frappe.model.document import Document


class CRMIndustry(Document):
	pass
