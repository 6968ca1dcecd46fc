import frappe
from frappe import _
from frappe.query_builder.functions import Count

from crm_app.follow_ups import OVERDUE_REPORT_NAME
from crm_app.follow_ups import overdue_follow_ups as overdue_query
from crm_app.replica import read_only
from crm_app.validation import json_argument

SCOPES = ("mine", "team")


@frappe.whitelist()
@read_only
def overdue_follow_ups(filters: str | dict | None = None) -> dict:
	"""The workspace's overdue follow-ups card, as the overdue report counts them: {"scope": "mine"} for the
	caller's own, {"scope": "team"} for everyone's within the caller's reach."""
	values = json_argument(filters, "Filters") or {}
	scope = values.get("scope", "team") if isinstance(values, dict) else None
	if scope not in SCOPES:
		frappe.throw(_("{0} must be one of {1}").format(_("Scope"), ", ".join(SCOPES)))
	assignee = frappe.session.user if scope == "mine" else None
	todo, query, _title = overdue_query(assignee)
	return {
		"value": query.select(Count(todo.name)).run()[0][0],
		"fieldtype": "Int",
		"route": ["query-report", OVERDUE_REPORT_NAME],
		"route_options": {"allocated_to": assignee} if assignee else {},
	}
