"""Overdue follow-ups: open follow-ups on CRM records whose date has passed, for the viewer or their team."""

import frappe
from frappe import _
from frappe.utils import date_diff, getdate, today

from crm_app.permissions import get_visible_owners

FOLLOW_UP_DOCTYPES = ("CRM Customer", "CRM Lead", "CRM Opportunity")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	return columns(), data(filters)


def columns() -> list[dict]:
	# Plain text rather than links to User and DocType: Frappe's report filter would demand read access to both.
	return [
		{"fieldname": "allocated_to", "label": _("Assigned To"), "fieldtype": "Data", "width": 200},
		{"fieldname": "reference_type", "label": _("Document Type"), "fieldtype": "Data", "hidden": 1},
		{"fieldname": "document_type", "label": _("Document Type"), "fieldtype": "Data", "width": 100},
		{
			"fieldname": "reference_name",
			"label": _("Document"),
			"fieldtype": "Dynamic Link",
			"options": "reference_type",
			"width": 160,
		},
		{"fieldname": "date", "label": _("Due Date"), "fieldtype": "Date", "width": 110},
		{"fieldname": "days_overdue", "label": _("Days Overdue"), "fieldtype": "Int", "width": 110},
		{"fieldname": "description", "label": _("Description"), "fieldtype": "Data", "width": 300},
		{"fieldname": "todo", "label": _("ToDo"), "fieldtype": "Link", "options": "ToDo", "width": 120},
	]


def data(filters) -> list[dict]:
	todo = frappe.qb.DocType("ToDo")
	query = (
		frappe.qb.from_(todo)
		.select(
			todo.allocated_to,
			todo.reference_type,
			todo.reference_name,
			todo.date,
			todo.description,
			todo.name.as_("todo"),
		)
		.where(
			(todo.status == "Open")
			& (todo.date < getdate(today()))
			& todo.reference_type.isin(FOLLOW_UP_DOCTYPES)
		)
		.orderby(todo.date)
	)
	owners = get_visible_owners(frappe.session.user)
	if owners is not None:
		query = query.where(todo.allocated_to.isin(owners))
	if filters.allocated_to:
		query = query.where(todo.allocated_to == filters.allocated_to)
	rows = query.run(as_dict=True)
	for row in rows:
		row.days_overdue = date_diff(today(), row.date)
		row.document_type = _(row.reference_type)
	return rows
