import frappe
from frappe import _

from crm_app.service import portal

no_cache = 1


def get_context(context):
	"""The tickets of the portal user's customers, newest activity first, and the form to raise one."""
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to access this page."), frappe.PermissionError)
	context.title = _("My Tickets")
	context.no_breadcrumbs = True
	context.show_sidebar = True
	context.tickets = portal.my_tickets()
	context.products = portal.my_products()
	return context
