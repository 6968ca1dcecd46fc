import frappe
from frappe import _

from crm_app.service import feedback

no_cache = 1


def get_context(context):
	"""The rating page a resolved ticket's e-mail links to: no login, the ticket named by the link alone."""
	context.title = _("Rate Our Service")
	context.no_breadcrumbs = True
	name, key = frappe.form_dict.get("ticket"), frappe.form_dict.get("key")
	try:
		ticket = feedback.rated_ticket(name, key)
	except frappe.PermissionError:
		context.problem = _("This link is not valid, or has expired")
		return context
	context.ticket, context.key = ticket.name, key
	context.subject = ticket.subject
	context.rated = ticket.satisfaction
	return context
