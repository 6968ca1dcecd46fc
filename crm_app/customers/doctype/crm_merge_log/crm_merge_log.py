from frappe.model.document import Document


class CRMMergeLog(Document):
	pass
