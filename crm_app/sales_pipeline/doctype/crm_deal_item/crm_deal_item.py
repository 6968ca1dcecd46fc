from frappe.model.document import Document


class CRMDealItem(Document):
	pass
