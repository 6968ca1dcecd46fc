from frappe.model.document import Document


class CRMChannel(Document):
	pass
