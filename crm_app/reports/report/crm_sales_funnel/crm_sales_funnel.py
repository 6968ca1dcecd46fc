"""The sales funnel: open opportunities at each stage of the funnel, in the funnel's order, with their amount and
the amount weighted by each opportunity's probability. "Mine" counts the viewer's own; "Team" everyone's within
the viewer's reach (their own for a salesperson, their teams' for a manager, all for an admin)."""

import frappe
from frappe import _
from frappe.utils import flt

from crm_app.sales_pipeline.doctype.crm_sales_stage.crm_sales_stage import ordered_stages

SCOPES = ("Mine", "Team")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	scope = filters.scope or "Team"
	if scope not in SCOPES:
		frappe.throw(_("{0} must be one of {1}").format(_("Scope"), ", ".join(_(s) for s in SCOPES)))
	rows = data(scope)
	return columns(), rows, None, chart(rows), summary(rows)


def columns() -> list[dict]:
	return [
		{
			"fieldname": "stage",
			"label": _("Stage"),
			"fieldtype": "Link",
			"options": "CRM Sales Stage",
			"width": 160,
		},
		{"fieldname": "opportunities", "label": _("Opportunities"), "fieldtype": "Int", "width": 110},
		{"fieldname": "amount", "label": _("Amount"), "fieldtype": "Currency", "width": 160},
		{"fieldname": "probability", "label": _("Stage Probability"), "fieldtype": "Percent", "width": 110},
		{
			"fieldname": "weighted_amount",
			"label": _("Weighted Amount"),
			"fieldtype": "Currency",
			"width": 160,
		},
	]


def data(scope: str) -> list[dict]:
	owner = frappe.session.user if scope == "Mine" else ("is", "set")
	totals = {
		row.stage: row
		for row in frappe.get_list(
			"CRM Opportunity",
			filters={"status": "Open", "opportunity_owner": owner},
			fields=[
				"stage",
				"count(name) as opportunities",
				"sum(amount) as amount",
				"sum(amount * probability / 100) as weighted_amount",
			],
			group_by="stage",
		)
	}
	rows = []
	for stage in ordered_stages():
		if stage.is_won or stage.is_lost:
			continue
		found = totals.get(stage.name) or {}
		rows.append(
			{
				"stage": stage.name,
				"opportunities": found.get("opportunities") or 0,
				"amount": flt(found.get("amount"), 2),
				"probability": stage.probability,
				"weighted_amount": flt(found.get("weighted_amount"), 2),
			}
		)
	return rows


def chart(rows: list[dict]) -> dict:
	return {
		"data": {
			"labels": [row["stage"] for row in rows],
			"datasets": [{"name": _("Opportunities"), "values": [row["opportunities"] for row in rows]}],
		},
		"type": "bar",
		"colors": ["#2563EB"],
	}


def summary(rows: list[dict]) -> list[dict]:
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
	]
