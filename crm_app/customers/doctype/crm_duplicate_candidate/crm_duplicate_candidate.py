from frappe.model.document import Document


class CRMDuplicateCandidate(Document):
	pass
