import frappe
from frappe import _

from crm_app.marketing import consent

no_cache = 1


def get_context(context):
	"""The page the link in a consent confirmation opens: the address named by the link alone and one button,
	so that a mail scanner following links confirms nobody's consent."""
	context.title, context.no_breadcrumbs = _("Confirm Subscription"), True
	name, key = frappe.form_dict.get("confirmation"), frappe.form_dict.get("key")
	try:
		confirmation = consent.confirmation(name, key)
	except frappe.PermissionError:
		context.problem, context.http_status_code = _("This link is not valid, or has expired"), 403
		return context
	if confirmation.status == consent.CONFIRMED:
		context.problem, context.http_status_code = _("This link has already been used"), 410
		return context
	context.fields, context.method = (
		{"confirmation": name, "key": key},
		"crm_app.api.marketing.confirm_consent",
	)
	context.question = _("Send our offers and news to {0}? You can unsubscribe at any time.").format(
		confirmation.address
	)
	context.button = _("Confirm")
	return context
