"""Follow-ups are Frappe ToDos on a CRM record. Those planned by an interaction carry a link back to it, so that
logging the next interaction settles them without touching ordinary assignments.

Bulk changes to ToDos skip ToDo.on_update, which keeps each document's `_assign` list of open assignees; the
list is rebuilt here in one statement instead.
"""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

FOLLOW_UP_FIELD = "crm_interaction"


def install_follow_up_field() -> None:
	create_custom_fields(
		{
			"ToDo": [
				{
					"fieldname": FOLLOW_UP_FIELD,
					"fieldtype": "Link",
					"options": "CRM Interaction",
					"label": "Planned in Interaction",
					"insert_after": "reference_name",
					"read_only": 1,
					"search_index": 1,
				}
			]
		},
		update=True,
	)


def settle_follow_ups(doctype: str, name: str) -> None:
	"""Close the open follow-ups an earlier interaction planned on this record."""
	for todo in frappe.get_all(
		"ToDo",
		filters={
			"reference_type": doctype,
			"reference_name": name,
			"status": "Open",
			FOLLOW_UP_FIELD: ("is", "set"),
		},
		pluck="name",
	):
		frappe.db.set_value("ToDo", todo, "status", "Closed")
	refresh_assignees(doctype, [name])


def cancel_follow_ups(doctype: str, names: list[str]) -> None:
	"""Cancel every open ToDo on records nobody owns any more."""
	todo = frappe.qb.DocType("ToDo")
	frappe.qb.update(todo).set(todo.status, "Cancelled").where(
		(todo.reference_type == doctype) & todo.reference_name.isin(names) & (todo.status == "Open")
	).run()
	refresh_assignees(doctype, names)


def refresh_assignees(doctype: str, names: list[str]) -> None:
	"""Rebuild `_assign` (the open assignees Frappe shows on a record) from the ToDos, in one statement."""
	if not names:
		return
	frappe.db.sql(
		f"""
		update `tab{doctype}` r
		set r.`_assign` = ifnull((
			select json_arrayagg(t.allocated_to) from (
				select distinct allocated_to, reference_name from `tabToDo`
				where reference_type = %(doctype)s and reference_name in %(names)s and status = 'Open'
			) t where t.reference_name = r.name
		), '[]')
		where r.name in %(names)s
		""",
		{"doctype": doctype, "names": tuple(names)},
	)
