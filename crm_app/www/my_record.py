import frappe
from frappe import _

from crm_app.permissions import portal_page
from crm_app.sales_pipeline import portal

no_cache = 1


def get_context(context):
	"""One quotation, contract, order or payment of the portal user's customers; any other is not found."""
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to access this page."), frappe.PermissionError)
	doctype = portal.portal_doctype(frappe.form_dict.get("doctype"))
	try:
		record = portal.record_page(doctype, frappe.form_dict.get("name"))
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		raise frappe.PageDoesNotExistError from None
	page = portal_page(doctype)
	context.title = record["heading"]
	context.list_title = _(page["title"])
	context.route = page["route"]
	context.no_breadcrumbs = True
	context.show_sidebar = True
	context.record = record
	return context
