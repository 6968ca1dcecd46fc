"""Overdue follow-ups: open follow-ups on CRM records whose date has passed, for the viewer or their team.

The oldest come first, at most ROW_LIMIT of them; the summary counts them all.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Count
from frappe.utils import date_diff, today

from crm_app.follow_ups import overdue_follow_ups

ROW_LIMIT = 1000


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows, total = data(filters)
	summary = [{"label": _("Overdue Follow-ups"), "value": total, "indicator": "Red" if total else "Green"}]
	message = (
		_("Showing the {0} oldest of {1} overdue follow-ups.").format(ROW_LIMIT, total)
		if total > ROW_LIMIT
		else None
	)
	return columns(), rows, message, None, summary


def columns() -> list[dict]:
	# Plain text rather than links to User and DocType: Frappe's report filter would demand read access to both.
	return [
		{"fieldname": "assignee", "label": _("Assigned To"), "fieldtype": "Data", "width": 120},
		{"fieldname": "reference_type", "label": _("Document Type"), "fieldtype": "Data", "hidden": 1},
		{"fieldname": "document_type", "label": _("Document Type"), "fieldtype": "Data", "width": 90},
		{"fieldname": "title", "label": _("Name"), "fieldtype": "Data", "width": 220},
		{
			"fieldname": "reference_name",
			"label": _("Document"),
			"fieldtype": "Dynamic Link",
			"options": "reference_type",
			"width": 150,
		},
		{"fieldname": "date", "label": _("Due Date"), "fieldtype": "Date", "width": 110},
		{"fieldname": "days_overdue", "label": _("Days Overdue"), "fieldtype": "Int", "width": 100},
		{"fieldname": "description", "label": _("Description"), "fieldtype": "Data", "width": 300},
	]


def data(filters) -> tuple[list[dict], int]:
	if filters.allocated_to and not isinstance(filters.allocated_to, str):
		frappe.throw(_("{0} must be text").format(_("Assigned To")))
	todo, query, title = overdue_follow_ups(filters.allocated_to)
	total = query.select(Count("*")).run()[0][0]
	# The oldest are picked in the order of the follow-up index, from it alone; only the rows shown are read.
	oldest = query.select(todo.name).orderby(todo.date).limit(ROW_LIMIT).run(pluck=True)
	user = frappe.qb.DocType("User")
	rows = (
		query.left_join(user)
		.on(user.name == todo.allocated_to)
		.select(
			Coalesce(user.full_name, todo.allocated_to).as_("assignee"),
			todo.reference_type,
			todo.reference_name,
			title.as_("title"),
			todo.date,
			todo.description,
		)
		.where(todo.name.isin(oldest or [""]))
		.orderby(todo.date)
		.orderby(todo.name)
	).run(as_dict=True)
	for row in rows:
		row.days_overdue = date_diff(today(), row.date)
		row.document_type = _(row.reference_type)
	return rows, total
