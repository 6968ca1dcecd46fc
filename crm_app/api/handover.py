import frappe
from frappe import _

from crm_app.permissions import check_people_in_reach
from crm_app.teams.handover import count_what_moves, search_people
from crm_app.validation import json_argument


@frappe.whitelist(methods=["GET"])
def preview(from_user: str) -> list[dict]:
	"""What a hand-over from `from_user` would move now, per kind, named in the user's language as the form names
	its moved records (ToDos are the open follow-ups): for the form, before the submit that cannot be undone."""
	frappe.has_permission("CRM Handover", "create", throw=True)
	check_people_in_reach([from_user])
	return [
		{"document_type": doctype, "label": _(doctype, context="CRM Handover"), "records": count}
		for doctype, count in count_what_moves(from_user).items()
	]


@frappe.whitelist(methods=["GET", "POST"])
def people(
	doctype: str = "User",
	txt: str = "",
	searchfield: str | None = None,
	start: int = 0,
	page_len: int = 20,
	filters: dict | list | str | None = None,
) -> list[tuple[str, str]]:
	"""The hand-over form's pickers (a link search query, called with Frappe's search arguments): the people of
	the teams the user leads, everyone for an admin; with {"enabled": 1}, only those still active. Read-only;
	POST too, as the desk's pickers ask with it."""
	filters = json_argument(filters, "Filters")
	enabled_only = isinstance(filters, dict) and bool(filters.get("enabled"))
	return search_people(txt, start, page_len, enabled_only)
