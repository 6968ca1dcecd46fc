import frappe
from frappe import _
from frappe.utils.html_utils import sanitize_html

from crm_app.domain.ticket_status import DONE
from crm_app.service import portal

no_cache = 1


def get_context(context):
	"""One ticket of the portal user's customers and its public conversation; any other ticket is not found."""
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to access this page."), frappe.PermissionError)
	try:
		ticket = portal.my_ticket(frappe.form_dict.get("name"))
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		raise frappe.PageDoesNotExistError from None
	context.title = ticket.subject
	context.no_breadcrumbs = True
	context.show_sidebar = True
	context.ticket = ticket
	context.description = sanitize_html(ticket.description or "", always_sanitize=True)
	context.messages = [
		{**message, "content": sanitize_html(message.content or "", always_sanitize=True)}
		for message in portal.conversation(ticket.name)
	]
	context.attachments = portal.attachments(ticket.name)
	context.rateable = ticket.status in DONE and not ticket.satisfaction
	return context
