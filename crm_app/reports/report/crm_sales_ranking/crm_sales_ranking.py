"""Sales ranking (销售排行): per salesperson over a period, the deals won and their amount, the interactions they
logged and how many of their follow-ups due in the period they closed on time. A salesperson sees their own
figures, a manager their teams', an admin everyone's."""

import frappe
from frappe import _
from frappe.utils import get_first_day, getdate, today

from crm_app.follow_ups import FOLLOW_UP_TITLES
from crm_app.reports.filters import people, period

FIGURES = ("won_amount", "won_deals", "interactions", "follow_ups_due", "follow_ups_on_time")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	from_date, until = period(filters, get_first_day(today()))
	users = people(filters.sales_team)
	figures = {user: dict.fromkeys(FIGURES, 0) for user in users}
	if users:
		collect(figures, users, from_date, until)
	names = dict(frappe.get_all("User", {"name": ("in", users)}, ["name", "full_name"], as_list=True))
	rows = []
	for user, found in figures.items():
		due = found["follow_ups_due"]
		rows.append(
			{
				"salesperson": names.get(user) or user,
				"user": user,
				**found,
				"on_time_rate": round(100 * found["follow_ups_on_time"] / due, 1) if due else None,
			}
		)
	rows.sort(key=lambda row: (-row["won_amount"], -row["won_deals"], -row["interactions"], row["user"]))
	for rank, row in enumerate(rows, 1):
		row["rank"] = rank
	return columns(), rows, None, chart(rows)


def collect(figures: dict, users: list[str], from_date, until) -> None:
	values = {"users": users, "from_date": from_date, "until": until, "today": getdate(today())}
	for user, amount, deals in frappe.db.sql(
		"""select opportunity_owner, sum(amount), count(*) from `tabCRM Opportunity`
		where status = 'Won' and opportunity_owner in %(users)s
			and stage_changed_at >= %(from_date)s and stage_changed_at < %(until)s
		group by opportunity_owner""",
		values,
	):
		figures[user].update(won_amount=float(amount or 0), won_deals=deals)
	for user, count in frappe.db.sql(
		"""select owner, count(*) from `tabCRM Interaction`
		where owner in %(users)s and interaction_time >= %(from_date)s and interaction_time < %(until)s
		group by owner""",
		values,
	):
		figures[user]["interactions"] = count
	# follow-ups that fell due in the period up to today, and those closed by the end of their day
	for user, due, on_time in frappe.db.sql(
		"""select allocated_to, count(*), sum(status = 'Closed' and date(modified) <= date) from `tabToDo`
		where allocated_to in %(users)s and reference_type in %(doctypes)s and status != 'Cancelled'
			and date >= %(from_date)s and date < %(until)s and date <= %(today)s
		group by allocated_to""",
		{**values, "doctypes": list(FOLLOW_UP_TITLES)},
	):
		figures[user].update(follow_ups_due=due, follow_ups_on_time=int(on_time or 0))


def columns() -> list[dict]:
	return [
		{"fieldname": "rank", "label": _("Rank"), "fieldtype": "Int", "width": 60},
		{"fieldname": "salesperson", "label": _("Salesperson"), "fieldtype": "Data", "width": 140},
		{"fieldname": "won_amount", "label": _("Won Amount"), "fieldtype": "Currency", "width": 140},
		{"fieldname": "won_deals", "label": _("Deals Won"), "fieldtype": "Int", "width": 90},
		{"fieldname": "interactions", "label": _("Interactions"), "fieldtype": "Int", "width": 100},
		{"fieldname": "follow_ups_due", "label": _("Follow-ups Due"), "fieldtype": "Int", "width": 110},
		{"fieldname": "follow_ups_on_time", "label": _("Done on Time"), "fieldtype": "Int", "width": 110},
		{
			"fieldname": "on_time_rate",
			"label": _("On-time Rate"),
			"fieldtype": "Percent",
			"precision": 1,
			"width": 100,
		},
	]


def chart(rows: list[dict]) -> dict:
	return {
		"data": {
			"labels": [row["salesperson"] for row in rows],
			"datasets": [{"name": _("Won Amount"), "values": [row["won_amount"] for row in rows]}],
		},
		"type": "bar",
		"colors": ["#16A34A"],
	}
