"""Service performance (服务绩效): the tickets opened in a period, by service team, agent, product, product type
or channel: how many were resolved and are still open, how often the response and resolution targets were met,
the average first-response and resolution times in working hours, and the average satisfaction.

A target counts only once its deadline is known and its clock has stopped: a ticket met its response target when
first answered by its response deadline, its resolution target when resolved by its resolution deadline.

Only the tickets the viewer may see count: the statement carries the tickets' row rules. Everything is one
grouped statement: each ticket keeps its first-response and resolution times in working minutes, less its
waiting periods, from the moment each clock stopped (crm_app.service.tickets.update_clock).
"""

from dataclasses import dataclass

import frappe
from frappe import _
from frappe.utils import add_days, today

from crm_app.domain.sla import PRIORITIES
from crm_app.domain.ticket_status import DONE
from crm_app.reports.filters import in_reach, period
from crm_app.service.tickets import TICKET

DEFAULT_DAYS = 30
# group by -> (the ticket's field, the column's label)
GROUPS = {
	"Team": ("service_team", "Service Team"),
	"Agent": ("agent", "Agent"),
	"Product": ("product", "Product"),
	"Product Type": ("product_type", "Product Type"),
	"Channel": ("channel", "Channel"),
}
OPTION_GROUPS = ("Product Type", "Channel")  # their values are option keys, shown translated
CHART_GROUPS = 20
TABLE = f"`tab{TICKET}`"


@dataclass
class Figures:
	opened: int = 0
	resolved: int = 0
	open_now: int = 0
	response_measured: int = 0
	response_met: int = 0
	resolution_measured: int = 0
	resolution_met: int = 0
	satisfaction_total: int = 0
	rated: int = 0
	response_minutes: float = 0
	responses_timed: int = 0
	resolution_minutes: float = 0
	resolutions_timed: int = 0

	def add(self, other: "Figures") -> None:
		for field in self.__dataclass_fields__:
			setattr(self, field, getattr(self, field) + getattr(other, field))

	def as_row(self, label: str) -> dict:
		return {
			"group": label,
			"opened": self.opened,
			"resolved": self.resolved,
			"open_now": self.open_now,
			"response_met": percent(self.response_met, self.response_measured),
			"resolution_met": percent(self.resolution_met, self.resolution_measured),
			"response_hours": hours(self.response_minutes, self.responses_timed),
			"resolution_hours": hours(self.resolution_minutes, self.resolutions_timed),
			"satisfaction": average(self.satisfaction_total, self.rated),
			"rated": self.rated,
		}


def percent(part: int, whole: int) -> float | None:
	return round(100 * part / whole, 1) if whole else None


def hours(minutes: float, tickets: int) -> float | None:
	return round(minutes / tickets / 60, 1) if tickets else None


def average(total: float, count: int) -> float | None:
	return round(total / count, 1) if count else None


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = filters.group_by or "Team"
	if not isinstance(group_by, str) or group_by not in GROUPS:
		frappe.throw(_("{0} must be one of {1}").format(_("Group By"), ", ".join(_(g) for g in GROUPS)))
	where, values = conditions(filters)
	figures = grouped_figures(GROUPS[group_by][0], where, values)
	labels = group_labels(group_by, list(figures))
	rows = sorted(
		(found.as_row(labels[key]) for key, found in figures.items()),
		key=lambda row: (-row["opened"], row["group"]),
	)
	total = Figures()
	for found in figures.values():
		total.add(found)
	return columns(group_by), rows, None, chart(rows), summary(total)


def columns(group_by: str) -> list[dict]:
	return [
		{"fieldname": "group", "label": _(GROUPS[group_by][1]), "fieldtype": "Data", "width": 180},
		{"fieldname": "opened", "label": _("Tickets Opened"), "fieldtype": "Int", "width": 100},
		{"fieldname": "resolved", "label": _("Resolved"), "fieldtype": "Int", "width": 90},
		{"fieldname": "open_now", "label": _("Open Now"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "response_met",
			"label": _("Response Target Met"),
			"fieldtype": "Percent",
			"precision": 1,
			"width": 130,
		},
		{
			"fieldname": "resolution_met",
			"label": _("Resolution Target Met"),
			"fieldtype": "Percent",
			"precision": 1,
			"width": 130,
		},
		{
			"fieldname": "response_hours",
			"label": _("Average First Response (Working Hours)"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 170,
		},
		{
			"fieldname": "resolution_hours",
			"label": _("Average Resolution (Working Hours)"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 170,
		},
		{
			"fieldname": "satisfaction",
			"label": _("Average Satisfaction"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 120,
		},
		{"fieldname": "rated", "label": _("Rated"), "fieldtype": "Int", "width": 80},
	]


def conditions(filters) -> tuple[str, dict]:
	"""The WHERE clause of the tickets counted, row rules included, and its values."""
	from_date, until = period(filters, add_days(today(), -DEFAULT_DAYS))
	where = [f"{TABLE}.opened_on >= %(from_date)s", f"{TABLE}.opened_on < %(until)s"]
	values = {"from_date": from_date, "until": until, "done": DONE}
	if filters.service_team:
		if not isinstance(filters.service_team, str):
			frappe.throw(_("{0} must be text").format(_("Service Team")))
		where.append(f"{TABLE}.service_team = %(service_team)s")
		values["service_team"] = filters.service_team
	if filters.priority:
		if filters.priority not in PRIORITIES:
			frappe.throw(_("{0} must be one of its listed choices").format(_("Priority")))
		where.append(f"{TABLE}.priority = %(priority)s")
		values["priority"] = filters.priority
	where.append(in_reach(TICKET))
	return " and ".join(where), values


def grouped_figures(field: str, where: str, values: dict) -> dict[str, Figures]:
	key = f"ifnull({TABLE}.`{field}`, '')"
	# a ticket's times are measured under its service level; without one they stay 0 and are not counted
	timed = f"ifnull({TABLE}.service_level, '') != ''"
	return {
		row.group_key: Figures(
			opened=row.opened,
			resolved=row.resolved,
			open_now=int(row.open_now),
			response_measured=int(row.response_measured),
			response_met=int(row.response_met or 0),
			resolution_measured=int(row.resolution_measured),
			resolution_met=int(row.resolution_met or 0),
			satisfaction_total=int(row.satisfaction_total or 0),
			rated=row.rated,
			response_minutes=float(row.response_minutes or 0),
			responses_timed=int(row.responses_timed or 0),
			resolution_minutes=float(row.resolution_minutes or 0),
			resolutions_timed=int(row.resolutions_timed or 0),
		)
		for row in frappe.db.sql(
			f"""select {key} as group_key, count(*) as opened, count({TABLE}.resolved_on) as resolved,
				sum({TABLE}.status not in %(done)s) as open_now,
				sum({TABLE}.first_responded_on is not null and {TABLE}.response_by is not null)
					as response_measured,
				sum({TABLE}.first_responded_on <= {TABLE}.response_by) as response_met,
				sum({TABLE}.resolved_on is not null and {TABLE}.resolution_by is not null)
					as resolution_measured,
				sum({TABLE}.resolved_on <= {TABLE}.resolution_by) as resolution_met,
				sum({TABLE}.satisfaction) as satisfaction_total,
				count(nullif({TABLE}.satisfaction, 0)) as rated,
				sum({TABLE}.response_minutes) as response_minutes,
				sum({timed} and {TABLE}.first_responded_on is not null) as responses_timed,
				sum({TABLE}.resolution_minutes) as resolution_minutes,
				sum({timed} and {TABLE}.resolved_on is not null) as resolutions_timed
			from {TABLE} where {where} group by group_key order by null""",
			values,
			as_dict=True,
		)
	}


def group_labels(group_by: str, keys: list[str]) -> dict[str, str]:
	names = {}
	if group_by == "Agent":
		names = dict(
			frappe.get_all("User", filters={"name": ("in", keys)}, fields=["name", "full_name"], as_list=True)
		)
	elif group_by == "Product":
		names = dict(
			frappe.get_all(
				"CRM Product", filters={"name": ("in", keys)}, fields=["name", "product_name"], as_list=True
			)
		)
	labels = {}
	for key in keys:
		if not key:
			labels[key] = _("Not Set")
		elif group_by in OPTION_GROUPS:
			labels[key] = _(key)
		else:
			labels[key] = names.get(key) or key
	return labels


def chart(rows: list[dict]) -> dict | None:
	if not rows:
		return None
	# the busiest groups: a bar per product of a large catalogue would be unreadable
	shown = rows[:CHART_GROUPS]
	return {
		"data": {
			"labels": [row["group"] for row in shown],
			"datasets": [
				{"name": _("Tickets Opened"), "values": [row["opened"] for row in shown]},
				{"name": _("Resolved"), "values": [row["resolved"] for row in shown]},
			],
		},
		"type": "bar",
		"colors": ["#2563EB", "#16A34A"],
	}


def summary(total: Figures) -> list[dict]:
	figures = total.as_row("")
	return [
		{"label": _("Tickets Opened"), "value": total.opened, "datatype": "Int", "indicator": "Blue"},
		{"label": _("Resolved"), "value": total.resolved, "datatype": "Int", "indicator": "Green"},
		{"label": _("Open Now"), "value": total.open_now, "datatype": "Int", "indicator": "Orange"},
		{
			"label": _("Response Target Met"),
			"value": figures["response_met"],
			"datatype": "Percent",
			"indicator": "Blue",
		},
		{
			"label": _("Resolution Target Met"),
			"value": figures["resolution_met"],
			"datatype": "Percent",
			"indicator": "Blue",
		},
		{
			"label": _("Average First Response (Working Hours)"),
			"value": one_decimal(figures["response_hours"]),
			"datatype": "Data",
			"indicator": "Blue",
		},
		{
			"label": _("Average Resolution (Working Hours)"),
			"value": one_decimal(figures["resolution_hours"]),
			"datatype": "Data",
			"indicator": "Blue",
		},
		{
			"label": _("Average Satisfaction"),
			"value": one_decimal(figures["satisfaction"]),
			"datatype": "Data",
			"indicator": "Green",
		},
	]


def one_decimal(value: float | None) -> str:
	# the desk would print a Float summary with the site's float precision (1.500)
	return "" if value is None else f"{value:.1f}"
