from frappe.model.document import Document


class CRMAnalyticsRun(Document):
	pass
