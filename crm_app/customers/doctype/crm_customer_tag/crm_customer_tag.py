from frappe.model.document import Document


class CRMCustomerTag(Document):
	pass
