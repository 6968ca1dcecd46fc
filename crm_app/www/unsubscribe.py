import frappe
from frappe import _

from crm_app.marketing import sending

no_cache = 1


def get_context(context):
	"""The page a marketing e-mail's unsubscribe link opens: no login, one button, the address named by the link
	alone. Opening it changes nothing, so a mail scanner following links withdraws nobody's consent."""
	context.title = _("Unsubscribe")
	context.no_breadcrumbs = True
	name, key = frappe.form_dict.get("message"), frappe.form_dict.get("key")
	try:
		address = sending.unsubscribed_address(name, key)
	except frappe.PermissionError:
		context.problem = _("This link is not valid, or has expired")
		return context
	context.message_name, context.key = name, key
	context.question = _("Stop sending marketing e-mails to {0}?").format(address)
	return context
