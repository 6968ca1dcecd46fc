import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.marketing.doctype.crm_campaign.crm_campaign import check_template


class CRMJourney(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		if self.inactive_days and self.inactive_days < 0:
			frappe.throw(_("The number of days cannot be negative"))
		for field in ("email_subject", "email_body", "sms_text"):
			check_template(self, field)
