from frappe.model.document import Document


class CRMProductAssociation(Document):
	pass
