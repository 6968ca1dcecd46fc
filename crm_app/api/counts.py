import frappe
import frappe.client

from crm_app.permissions import child_parents, row_permission_doctypes


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug=False, cache=False) -> int:
	"""Replaces frappe.client.get_count, which counts every row whatever the user may see.

	CRM records are counted through frappe.get_list, so row permissions apply; other doctypes keep Frappe's count.
	"""
	parents = child_parents(doctype)
	if doctype not in row_permission_doctypes() and not parents:
		return frappe.client.get_count(doctype, filters, debug, cache)
	rows = frappe.get_list(
		doctype,
		filters=frappe.client.get_safe_filters(filters),
		fields=["count(*) as count"],
		parent_doctype=parents[0] if parents else None,
		order_by=None,
	)
	return rows[0].count if rows else 0
