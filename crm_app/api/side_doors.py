"""Frappe endpoints that answer about records without the row rules, replaced through
`override_whitelisted_methods`: each checks the user's reach, then hands over to Frappe's own."""

import frappe
import frappe.client
import frappe.desk.form.load
import frappe.desk.search
from frappe.desk import listview
from frappe.desk.doctype.dashboard_chart import dashboard_chart
from frappe.desk.doctype.number_card import number_card
from frappe.desk.form import utils as form_utils
from frappe.utils import flt, print_format

from crm_app.domain.periods import chinese_period
from crm_app.perimeter import has_row_rules
from crm_app.permissions import child_parents, is_visible, throw_not_found
from crm_app.validation import json_argument

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
	"""A saved chart's figures, computed for each caller: Frappe caches them under the chart's name alone, so one
	user's figures (a manager's team totals) would be served to the next. A chart defined on the fly, and a
	heatmap (which counts without the row rules), are for those who may see every record."""
	sees_all = "System Manager" in frappe.get_roles()
	if not chart_name and not sees_all:
		frappe.throw(frappe._("Not permitted"), frappe.PermissionError)
	if chart_name and not sees_all:
		saved = frappe.get_doc("Dashboard Chart", chart_name)
		saved.check_permission("read")
		if saved.type == "Heatmap" and has_row_rules(saved.document_type):
			frappe.throw(frappe._("Not permitted"), frappe.PermissionError)
	figures = dashboard_chart.get(
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
	if isinstance(figures, dict) and figures.get("labels"):
		chinese = (frappe.local.lang or "").startswith("zh")
		figures["labels"] = [
			frappe._("Not Set") if label is None else chinese_period(str(label)) if chinese else label
			for label in figures["labels"]
		]
	return figures


@frappe.whitelist()
def get_card_result(doc, filters=None, to_date=None):
	"""A number card's figure, as the saved card defines it: a definition sent by the browser is not taken."""
	card = saved_number_card(doc)
	return number_card.get_result(card.as_json(), filters, to_date)


@frappe.whitelist()
def get_card_difference(doc, filters=None, result=None):
	card = saved_number_card(doc)
	return number_card.get_percentage_difference(card.as_json(), filters, flt(result))


def saved_number_card(doc):
	name = (
		(json_argument(doc, "Number Card") or {}).get("name")
		if not isinstance(doc, str) or doc[:1] == "{"
		else doc
	)
	if not isinstance(name, str) or not frappe.db.exists("Number Card", name):
		throw_not_found("Number Card", name)
	card = frappe.get_doc("Number Card", name)
	card.check_permission("read")
	return card


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters=None, field: str | None = None) -> list[dict]:
	"""The list sidebar's counts. Frappe counts "assigned to" without the row rules; for records that have them,
	the count is taken over the records the user's list shows."""
	if field != "assigned_to" or not has_row_rules(doctype):
		return listview.get_group_by_count(doctype, current_filters, field)
	visible = frappe.get_list(
		doctype, filters=json_argument(current_filters, "Filters"), fields=["name"], run=0
	)
	return frappe.db.sql(
		f"""select allocated_to as name, count(*) as count from `tabToDo`
		where status != 'Cancelled' and reference_type = %(doctype)s and reference_name in ({visible})
		group by allocated_to order by count desc limit 50""",
		{"doctype": doctype},
		as_dict=True,
	)


@frappe.whitelist()
def get_doc(doctype: str, name: str | None = None, filters=None, parent: str | None = None):
	"""frappe.client.get. Found by filters, a record with row rules is looked up through the list, so a hidden
	one is not found rather than refused."""
	if not name and filters and has_row_rules(doctype):
		found = frappe.get_list(doctype, filters=json_argument(filters, "Filters"), pluck="name", limit=1)
		if not found:
			throw_not_found(doctype, "")
		name, filters = found[0], None
	return frappe.client.get(doctype, name, filters, parent)


@frappe.whitelist()
def get_next(
	doctype: str, value: str, prev=0, filters=None, sort_order: str = "desc", sort_field: str = "modified"
):
	"""The record before or after this one in the list, for the form's arrows; the arguments checked first."""
	if str(prev) not in ("0", "1", "true", "false", "True", "False"):
		frappe.throw(frappe._("{0} must be 0 or 1").format("prev"))
	if sort_order.lower() not in ("asc", "desc"):
		frappe.throw(frappe._("Sort and group by column names only"))
	if sort_field not in frappe.get_meta(doctype).get_valid_columns():
		frappe.throw(frappe._("Sort and group by column names only"))
	prev = 1 if str(prev).lower() in ("1", "true") else 0
	return form_utils.get_next(doctype, value, prev, filters, sort_order, sort_field)


@frappe.whitelist(methods=["POST"])
def update_order_for_single_card(
	board_name, docname, from_colname, to_colname, old_index=None, new_index=None
):
	"""Moving a kanban card sets the record's column field, as the user may. The order of cards within a column
	is not stored on the board, which everyone who opens the board could read."""
	board = frappe.get_doc("Kanban Board", board_name)
	board.check_permission("read")
	if reachable(board.reference_doctype, docname) == NO_SUCH_RECORD:
		throw_not_found(board.reference_doctype, docname)
	if to_colname not in {column.column_name for column in board.columns}:
		frappe.throw(frappe._("{0} must be one of its listed choices").format(frappe._(board.field_name)))
	frappe.client.set_value(board.reference_doctype, docname, board.field_name, to_colname)
	return board


@frappe.whitelist()
def update_order(board_name: str, order=None):
	"""The desk sends the order of the cards it shows when it opens a board. Card order is not kept on the board
	(see update_order_for_single_card), so the board is answered as it is, and no card moves."""
	board = frappe.get_doc("Kanban Board", board_name)
	board.check_permission("read")
	return board, []


@frappe.whitelist(allow_guest=True)
def download_pdf(
	doctype: str,
	name: str,
	format=None,
	no_letterhead=0,
	language=None,
	letterhead=None,
	pdf_generator=None,
):
	"""Frappe's PDF of a record (a document sent by the caller is not taken). When the PDF renderer cannot load
	the site's own stylesheet because the server does not reach its own address, the user is told so."""
	try:
		return print_format.download_pdf(
			doctype,
			name,
			format,
			no_letterhead=no_letterhead,
			language=language,
			letterhead=letterhead,
			pdf_generator=pdf_generator,
		)
	except OSError as error:
		if "network error" not in str(error).lower():
			raise
		frappe.throw(
			frappe._(
				"The PDF could not be made: this server cannot reach its own address {0}. An administrator sets "
				"the site's host_name to an address the server reaches (see the README)."
			).format(frappe.utils.get_url())
		)
