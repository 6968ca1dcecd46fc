from frappe.model.document import Document


class CRMKnowledgeCategory(Document):
	pass
