"""Searches of the knowledge base that found nothing, the most asked first: the articles to write next.

Searches count as one when they use the same words (domain.search_terms.query_key), in any order and whatever
the punctuation. Counted in one statement through the list's row rules, at most ROW_LIMIT groups.
"""

import frappe
from frappe import _
from frappe.utils import add_days, getdate, today

ROW_LIMIT = 500
DEFAULT_DAYS = 30
CHANNELS = ("Desk", "Portal", "Website")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = data(filters)
	total = sum(row.searches for row in rows)
	summary = [
		{"label": _("Searches that found nothing"), "value": total, "indicator": "Red" if total else "Green"}
	]
	return columns(), rows, None, None, summary


def columns() -> list[dict]:
	return [
		{"fieldname": "query_key", "label": _("Words"), "fieldtype": "Data", "width": 220},
		{"fieldname": "example", "label": _("Search Text"), "fieldtype": "Data", "width": 260},
		{"fieldname": "searches", "label": _("Searches"), "fieldtype": "Int", "width": 90},
		{"fieldname": "people", "label": _("People"), "fieldtype": "Int", "width": 90},
		{"fieldname": "last_searched", "label": _("Last Searched"), "fieldtype": "Datetime", "width": 160},
	]


def data(filters) -> list[dict]:
	from_date = getdate(filters.from_date or add_days(today(), -DEFAULT_DAYS))
	to_date = getdate(filters.to_date or today())
	if from_date > to_date:
		frappe.throw(_("{0} must not be after {1}").format(_("From Date"), _("To Date")))
	conditions = [["searched_at", ">=", from_date], ["searched_at", "<", add_days(to_date, 1)]]
	if filters.channel:
		if filters.channel not in CHANNELS:
			frappe.throw(_("{0} must be one of its listed choices").format(_("Channel")))
		conditions.append(["channel", "=", filters.channel])
	return frappe.get_list(
		"CRM Unanswered Search",
		filters=conditions,
		fields=[
			"query_key",
			"max(query) as example",
			"count(*) as searches",
			"count(distinct user) as people",
			"max(searched_at) as last_searched",
		],
		group_by="query_key",
		order_by="searches desc, last_searched desc",
		limit_page_length=ROW_LIMIT,
	)
