import frappe
from frappe.model.document import Document


class CRMConsentConfirmation(Document):
	# begin: auto-generated types
	# end: auto-generated types
	pass


def on_doctype_update():
	# one per address and day (the inquiry page's limit), and the last hour's, counted for the site-wide limit
	frappe.db.add_unique(
		"CRM Consent Confirmation", ["channel", "address", "requested_on"], "crm_confirmation_per_day"
	)
	frappe.db.add_index("CRM Consent Confirmation", ["creation"], "crm_confirmations_by_time")
