from frappe.model.document import Document


class CRMPaymentPlan(Document):
	pass
