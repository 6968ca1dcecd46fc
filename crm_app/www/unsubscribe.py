import frappe
from frappe import _

from crm_app.marketing import sending

no_cache = 1


def get_context(context):
	"""The page a marketing e-mail's unsubscribe link opens: the address named by the link alone and one
	button, so that a mail scanner following links withdraws nobody's consent."""
	context.title, context.no_breadcrumbs = _("Unsubscribe"), True
	name, key = frappe.form_dict.get("message"), frappe.form_dict.get("key")
	try:
		address = sending.unsubscribed_address(name, key)
	except frappe.PermissionError:
		context.problem, context.http_status_code = _("This link is not valid, or has expired"), 403
		return context
	context.fields, context.method = {"message": name, "key": key}, "crm_app.api.marketing.unsubscribe"
	context.question = _("Stop sending marketing e-mails to {0}?").format(address)
	context.button = _("Unsubscribe")
	return context
