from frappe.model.document import Document


class CRMCustomerContact(Document):
	pass
