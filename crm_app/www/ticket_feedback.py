import frappe
from frappe import _

from crm_app.service import feedback

no_cache = 1


def get_context(context):
	"""The rating page a resolved ticket's e-mail links to: the ticket named by the link alone."""
	context.title, context.no_breadcrumbs = _("Rate Our Service"), True
	name, key = frappe.form_dict.get("ticket"), frappe.form_dict.get("key")
	try:
		ticket = feedback.rated_ticket(name, key)
	except frappe.PermissionError:
		context.problem, context.http_status_code = _("This link is not valid, or has expired"), 403
		return context
	if ticket.satisfaction:
		context.problem, context.http_status_code = _("This ticket has already been rated. Thank you!"), 410
		return context
	context.fields, context.method = {"ticket": ticket.name, "key": key}, "crm_app.api.feedback.rate"
	context.subject, context.button = ticket.subject, _("Send")
	return context
