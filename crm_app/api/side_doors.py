"""Frappe endpoints that answer about records without the row rules, replaced through
`override_whitelisted_methods`: each checks the user's reach, then hands over to Frappe's own."""

import frappe
import frappe.client
import frappe.desk.form.load
import frappe.desk.search
from frappe.desk.doctype.dashboard_chart import dashboard_chart
from frappe.desk.doctype.kanban_board import kanban_board

from crm_app.perimeter import has_row_rules
from crm_app.permissions import child_parents, is_visible, throw_not_found

# A name no record has: a hidden record is looked up as this one, so the answer is the one for a missing record.
NO_SUCH_RECORD = "\u2063"


def reachable(doctype: str, name: str) -> str:
	"""`name`, or a name that does not exist when the user may not see that record."""
	if has_row_rules(doctype) and not is_visible(doctype, name):
		return NO_SUCH_RECORD
	return name


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug=False, cache=False) -> int:
	"""frappe.client.get_count counts every row; this counts the rows the user's list would show."""
	parents = child_parents(doctype)
	rows = frappe.get_list(
		doctype,
		filters=frappe.client.get_safe_filters(filters),
		fields=["count(*) as count"],
		parent_doctype=parents[0] if parents else None,
		order_by=None,
	)
	return rows[0].count if rows else 0


@frappe.whitelist()
def get_link_title(doctype: str, docname: str):
	return frappe.desk.search.get_link_title(doctype, reachable(doctype, docname))


@frappe.whitelist()
def validate_link(doctype: str, docname: str, fields=None):
	return frappe.client.validate_link(doctype, reachable(doctype, docname), fields)


@frappe.whitelist()
def getdoc(doctype: str, name: str):
	"""The form's document; titles of the records it links to are sent only for those the user may see."""
	frappe.desk.form.load.getdoc(doctype, name)
	titles = frappe.response.get("_link_titles") or {}
	for key in titles:
		target, target_name = key.split("::", 1)
		if reachable(target, target_name) == NO_SUCH_RECORD:
			titles[key] = None


@frappe.whitelist()
def get_chart(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
):
	"""Frappe caches a chart's figures under the chart's name alone, so one user's figures (a manager's team
	totals) would be served to the next; they are computed for each caller instead."""
	return dashboard_chart.get(
		chart_name=chart_name,
		chart=chart,
		no_cache=no_cache,
		filters=filters,
		from_date=from_date,
		to_date=to_date,
		timespan=timespan,
		time_interval=time_interval,
		heatmap_year=heatmap_year,
		refresh=1,
	)


@frappe.whitelist(methods=["POST"])
def update_order_for_single_card(board_name, docname, from_colname, to_colname, old_index, new_index):
	"""Moving a kanban card changes the record it shows: a card the user may not see is not found."""
	doctype = frappe.get_cached_value("Kanban Board", board_name, "reference_doctype")
	if doctype and reachable(doctype, docname) == NO_SUCH_RECORD:
		throw_not_found(doctype, docname)
	return kanban_board.update_order_for_single_card(
		board_name, docname, from_colname, to_colname, old_index, new_index
	)
