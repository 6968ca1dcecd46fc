from frappe.model.document import Document


class CRMMovedRecord(Document):
	pass
