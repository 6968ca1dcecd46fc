"""What the script reports share: their filters, checked with a translated refusal (a 4xx, never a 5xx), and the
viewer's row rules as SQL for statements that aggregate over a DocType."""

from datetime import date

import frappe
from frappe import _
from frappe.utils import add_days, getdate, today

from crm_app.permissions import get_permission_query_conditions, get_visible_owners
from crm_app.sales_pipeline.pool import salespeople
from crm_app.teams.doctype.crm_sales_team.crm_sales_team import team_users

# the dates a report may be asked about: a day after the last is still a date
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def as_date(value, default, label: str):
	"""The date of a filter, between the years 1900 and 2999; Frappe's own translated message refuses a string
	that is no such date."""
	if not value:
		return getdate(default)
	try:
		day = getdate(value) if isinstance(value, str) else None
	except (ValueError, OverflowError):
		day = None
	if not day or not FIRST_DAY <= day <= LAST_DAY:
		frappe.throw(_("{0} must be a date (YYYY-MM-DD)").format(_(label)))
	return day


def period(filters, default_from) -> tuple:
	"""(first day, the day after the last) of the report's From Date and To Date, today by default."""
	from_date = as_date(filters.from_date, default_from, "From Date")
	to_date = as_date(filters.to_date, today(), "To Date")
	if from_date > to_date:
		frappe.throw(_("{0} must not be after {1}").format(_("From Date"), _("To Date")))
	return from_date, add_days(to_date, 1)


def text(value, label: str) -> str | None:
	if value and not isinstance(value, str):
		frappe.throw(_("{0} must be text").format(_(label)))
	return value or None


def choice(value, options, label: str, default=None):
	value = value or default
	if value is not None and (not isinstance(value, str) or value not in options):
		frappe.throw(_("{0} must be one of {1}").format(_(label), ", ".join(_(option) for option in options)))
	return value


def in_reach(doctype: str) -> str:
	"""The viewer's row rules over `tab{doctype}` (the table named in full, not aliased), as a condition."""
	return get_permission_query_conditions(frappe.session.user, doctype) or "true"


def people(team: str | None = None) -> list[str]:
	"""The salespeople whose figures the viewer sees: their own for a salesperson, their teams' for a manager,
	everyone who sells for an admin; of those, the members of `team` when one is chosen."""
	visible = get_visible_owners(frappe.session.user)
	found = salespeople() if visible is None else visible
	if team := text(team, "Sales Team"):
		members = set(team_users(team))
		found = [user for user in found if user in members]
	return found
