import frappe
from frappe import _

from crm_app.permissions import portal_page
from crm_app.sales_pipeline import portal

no_cache = 1


def get_context(context):
	"""The portal user's quotations, contracts, orders or payments (the route says which), newest first."""
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to access this page."), frappe.PermissionError)
	doctype = portal.portal_doctype(frappe.form_dict.get("doctype"))
	page = portal_page(doctype)
	context.title = _(page["title"])
	context.route = page["route"]
	context.no_breadcrumbs = True
	context.show_sidebar = True
	context.records = portal.my_records(doctype)
	return context
