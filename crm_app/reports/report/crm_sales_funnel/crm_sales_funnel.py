"""The sales funnel (销售漏斗): the deals within the viewer's reach, stage by stage in the funnel's order up to won:
how many are open at each stage now, their amount and weighted amount; how many deals ever reached each stage,
the share of them that reached the next (conversion) and the average days a deal spent in the stage.

"Mine" counts the viewer's own deals; "Team" everyone's within their reach (their own for a salesperson, their
teams' for a manager, all for an admin). The period (when the deals were opened), a sales team, an owner and
the customer's source channel narrow it further.
"""

import frappe
from frappe import _
from frappe.utils import add_days, flt

from crm_app.domain.stages import conversions, reached_counts
from crm_app.reports.filters import as_date, choice, in_reach, people, text
from crm_app.sales_pipeline.doctype.crm_sales_stage.crm_sales_stage import ordered_stages

SCOPES = ("Mine", "Team")
OPPORTUNITY = "CRM Opportunity"
TABLE = f"`tab{OPPORTUNITY}`"
DAY_SECONDS = 86400


def execute(filters=None):
	filters = frappe._dict(filters or {})
	where, values = conditions(filters)
	stages = [stage for stage in ordered_stages() if not stage.is_lost]
	open_now = {row.stage: row for row in open_deals(where, values)}
	reached = reached_counts(furthest_stages(where, values), [stage.stage_order for stage in stages])
	days = days_in_stage(where, values)
	rows = []
	for stage, count, conversion in zip(stages, reached, conversions(reached), strict=True):
		found = open_now.get(stage.name) or {}
		rows.append(
			{
				"stage": stage.name,
				"opportunities": found.get("opportunities") or 0,
				"amount": flt(found.get("amount"), 2),
				"probability": stage.probability,
				"weighted_amount": flt(found.get("weighted_amount"), 2),
				"reached": count,
				"conversion": None if stage.is_won else conversion,
				"average_days": None if stage.is_won else days.get(stage.name),
			}
		)
	return columns(), rows, None, chart(rows), summary(rows)


def conditions(filters) -> tuple[str, dict]:
	scope = choice(filters.scope, SCOPES, "Scope", default="Team")
	where, values = [in_reach(OPPORTUNITY)], {}
	owners = [frappe.session.user] if scope == "Mine" else None
	if owner := text(filters.opportunity_owner, "Opportunity Owner"):
		owners = [owner] if owners is None or owner in owners else []
	if team := text(filters.sales_team, "Sales Team"):
		members = people(team)
		owners = members if owners is None else [user for user in owners if user in members]
	if owners is None:
		where.append(f"{TABLE}.opportunity_owner is not null")
	else:
		where.append(f"{TABLE}.opportunity_owner in %(owners)s")
		values["owners"] = owners or [""]
	if filters.from_date:
		values["from_date"] = as_date(filters.from_date, None, "From Date")
		where.append(f"{TABLE}.creation >= %(from_date)s")
	if filters.to_date:
		values["until"] = add_days(as_date(filters.to_date, None, "To Date"), 1)
		where.append(f"{TABLE}.creation < %(until)s")
	if channel := text(filters.source_channel, "Source Channel"):
		values["channel"] = channel
		# only customers in reach answer for their channel: the filter must not tell a hidden customer's
		where.append(
			f"""{TABLE}.customer in (select `tabCRM Customer`.name from `tabCRM Customer`
			where `tabCRM Customer`.source_channel = %(channel)s and {in_reach("CRM Customer")})"""
		)
	return " and ".join(where), values


def open_deals(where: str, values: dict) -> list[dict]:
	return frappe.db.sql(
		f"""select stage, count(*) as opportunities, sum(amount) as amount,
			sum(amount * probability / 100) as weighted_amount
		from {TABLE} where status = 'Open' and {where} group by stage""",
		values,
		as_dict=True,
	)


def furthest_stages(where: str, values: dict) -> dict[int, int]:
	"""How many deals got furthest to each stage order, from the furthest stage each deal keeps."""
	return dict(
		frappe.db.sql(
			f"""select stage.stage_order, count(*) from {TABLE}
			join `tabCRM Sales Stage` stage on stage.name = {TABLE}.furthest_stage and stage.is_lost = 0
			where {where} group by stage.stage_order""",
			values,
		)
	)


def days_in_stage(where: str, values: dict) -> dict[str, float]:
	return {
		stage: round(float(seconds) / DAY_SECONDS, 1)
		for stage, seconds in frappe.db.sql(
			f"""select l.from_stage, avg(l.time_in_previous_stage)
			from `tabCRM Opportunity Stage Log` l
			join {TABLE} on {TABLE}.name = l.parent and l.parenttype = 'CRM Opportunity'
			where l.from_stage is not null and {where}
			group by l.from_stage""",
			values,
		)
		if seconds is not None
	}


def columns() -> list[dict]:
	return [
		{
			"fieldname": "stage",
			"label": _("Stage"),
			"fieldtype": "Link",
			"options": "CRM Sales Stage",
			"width": 140,
		},
		{"fieldname": "opportunities", "label": _("Opportunities"), "fieldtype": "Int", "width": 100},
		{"fieldname": "amount", "label": _("Amount"), "fieldtype": "Currency", "width": 140},
		{"fieldname": "probability", "label": _("Stage Probability"), "fieldtype": "Percent", "width": 100},
		{
			"fieldname": "weighted_amount",
			"label": _("Weighted Amount"),
			"fieldtype": "Currency",
			"width": 140,
		},
		{"fieldname": "reached", "label": _("Deals That Reached It"), "fieldtype": "Int", "width": 120},
		{
			"fieldname": "conversion",
			"label": _("Conversion to Next Stage"),
			"fieldtype": "Percent",
			"precision": 1,
			"width": 130,
		},
		{
			"fieldname": "average_days",
			"label": _("Average Days in Stage"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 120,
		},
	]


def chart(rows: list[dict]) -> dict:
	return {
		"data": {
			"labels": [row["stage"] for row in rows],
			"datasets": [{"name": _("Deals That Reached It"), "values": [row["reached"] for row in rows]}],
		},
		"type": "bar",
		"colors": ["#2563EB"],
	}


def summary(rows: list[dict]) -> list[dict]:
	first, won = (rows[0]["reached"], rows[-1]["reached"]) if rows else (0, 0)
	return [
		{
			"label": _("Open Opportunities"),
			"value": sum(row["opportunities"] for row in rows),
			"datatype": "Int",
			"indicator": "Blue",
		},
		{
			"label": _("Amount"),
			"value": sum(row["amount"] for row in rows),
			"datatype": "Currency",
			"indicator": "Blue",
		},
		{
			"label": _("Weighted Amount"),
			"value": sum(row["weighted_amount"] for row in rows),
			"datatype": "Currency",
			"indicator": "Green",
		},
		{
			"label": _("Win Rate"),
			"value": round(100 * won / first, 1) if first else 0,
			"datatype": "Percent",
			"indicator": "Green",
		},
	]
