"""Campaign ROI (营销活动ROI): per campaign, what it cost in a period and what it brought, in all and by the channel
its leads came by: leads, opportunities, orders and the won amount, the cost per lead and the yuan won per yuan
spent.

- The figures of a period are those dated in it: cost lines by their date, leads and opportunities by when they
  were created, orders by their order date, so that periods add up.
- The won amount is the grand total of the submitted orders credited to the campaign (through the opportunity
  they were made for): what customers committed to, rather than an opportunity's estimate, and counted once
  however many quotations and contracts led to the order. Won opportunities are counted beside it.
- The channel is the utm_source of the link a lead came by, or else the lead's source channel; an opportunity's
  and an order's are those of the lead the opportunity came from, or else the customer's source channel.
- Leads, opportunities and orders follow the viewer's row rules (a salesperson counts their own and the leads of
  the public pool, a manager their teams'). The cost is the campaign's, shown to all who may see the campaign,
  and is not split between channels: the channel rows have no cost, nor ratios over it.
"""

import frappe
from frappe import _
from frappe.utils import add_days, today

from crm_app.domain.campaign_roi import cost_per_lead, return_per_yuan
from crm_app.reports.filters import in_reach, period, text

DEFAULT_DAYS = 365
FIGURES = ("leads", "opportunities", "won_opportunities", "orders", "won_amount")
LEAD, OPPORTUNITY, ORDER = "CRM Lead", "CRM Opportunity", "CRM Sales Order"
# the channel of a deal: its first lead's link, or that lead's channel, or its customer's
DEAL_CHANNEL = """coalesce(nullif(first_lead.utm_source, ''), first_lead.source_channel,
	deal_customer.source_channel, '')"""


def execute(filters=None):
	filters = frappe._dict(filters or {})
	from_date, until = period(filters, add_days(today(), -DEFAULT_DAYS))
	values = {"from_date": from_date, "until": until, "campaign": text(filters.campaign, "Campaign")}
	costs = campaign_costs(values)
	if values["campaign"] and values["campaign"] not in costs:
		frappe.throw(_("Could not find {0}").format(_("Campaign")))
	found = {}
	for campaign, channel, figures in collect(values):
		if campaign in costs:
			found.setdefault(campaign, {}).setdefault(channel, dict.fromkeys(FIGURES, 0)).update(figures)
	groups = [
		campaign_rows(campaign, cost, found.get(campaign, {}))
		for campaign, cost in costs.items()
		if cost or campaign in found or values["campaign"]
	]
	groups.sort(key=lambda group: (-group[0]["won_amount"], -group[0]["cost"], group[0]["campaign"]))
	parents = [group[0] for group in groups]
	return columns(), [row for group in groups for row in group], None, chart(parents), summary(parents)


def campaign_costs(values: dict) -> dict[str, float]:
	"""{campaign: its cost lines dated in the period} of the campaigns the viewer may see."""
	chosen = "and `tabCRM Campaign`.name = %(campaign)s" if values["campaign"] else ""
	return {
		name: float(cost)
		for name, cost in frappe.db.sql(
			f"""
			select `tabCRM Campaign`.name, ifnull(sum(cost.amount), 0)
			from `tabCRM Campaign`
			left join `tabCRM Campaign Cost` cost on cost.parent = `tabCRM Campaign`.name
				and cost.parenttype = 'CRM Campaign' and cost.parentfield = 'costs'
				and cost.cost_date >= %(from_date)s and cost.cost_date < %(until)s
			where {in_reach("CRM Campaign")} {chosen}
			group by `tabCRM Campaign`.name
			""",
			values,
		)
	}


def collect(values: dict):
	"""(campaign, channel, {figure: value}) for leads, opportunities and orders, one statement each."""
	statements = (
		f"""
			select `tabCRM Lead`.campaign,
				coalesce(nullif(`tabCRM Lead`.utm_source, ''), `tabCRM Lead`.source_channel, '') as channel,
				count(*) as leads
			from `tabCRM Lead`
			where {where(LEAD, "creation", values)}
			group by 1, 2""",
		f"""
			select `tabCRM Opportunity`.campaign, {DEAL_CHANNEL} as channel, count(*) as opportunities,
				sum(`tabCRM Opportunity`.status = 'Won') as won_opportunities
			from `tabCRM Opportunity`
			left join `tabCRM Lead` first_lead on first_lead.name = `tabCRM Opportunity`.source_lead
			left join `tabCRM Customer` deal_customer on deal_customer.name = `tabCRM Opportunity`.customer
			where {where(OPPORTUNITY, "creation", values)}
			group by 1, 2""",
		f"""
			select `tabCRM Sales Order`.campaign, {DEAL_CHANNEL} as channel, count(*) as orders,
				sum(`tabCRM Sales Order`.grand_total) as won_amount
			from `tabCRM Sales Order`
			left join `tabCRM Opportunity` deal on deal.name = `tabCRM Sales Order`.opportunity
			left join `tabCRM Lead` first_lead on first_lead.name = deal.source_lead
			left join `tabCRM Customer` deal_customer on deal_customer.name = `tabCRM Sales Order`.customer
			where `tabCRM Sales Order`.docstatus = 1 and {where(ORDER, "transaction_date", values)}
			group by 1, 2""",
	)
	for statement in statements:
		for row in frappe.db.sql(statement, values, as_dict=True):
			campaign, channel = row.pop("campaign"), row.pop("channel")
			yield (
				campaign,
				channel,
				{
					figure: float(value or 0) if figure == "won_amount" else int(value or 0)
					for figure, value in row.items()
				},
			)


def where(doctype: str, date_field: str, values: dict) -> str:
	"""The rows of `doctype` credited to a campaign (the chosen one), dated in the period, in the viewer's reach."""
	table = f"`tab{doctype}`"
	campaign = f"{table}.campaign = %(campaign)s" if values["campaign"] else f"{table}.campaign != ''"
	return f"""{campaign} and {table}.{date_field} >= %(from_date)s and {table}.{date_field} < %(until)s
		and {in_reach(doctype)}"""


def campaign_rows(campaign: str, cost: float, channels: dict[str, dict]) -> list[dict]:
	totals = {figure: sum(found[figure] for found in channels.values()) for figure in FIGURES}
	rows = [{"campaign": campaign, "indent": 0, "cost": cost, **totals, **ratios(cost, totals)}]
	for channel, found in sorted(channels.items(), key=lambda item: (-item[1]["leads"], item[0])):
		rows.append({"parent_campaign": campaign, "channel": channel or _("Not Set"), "indent": 1, **found})
	return rows


def ratios(cost: float, totals: dict) -> dict:
	per_lead, per_yuan = cost_per_lead(cost, totals["leads"]), return_per_yuan(totals["won_amount"], cost)
	return {
		"cost_per_lead": float(per_lead) if per_lead is not None else None,
		"return_per_yuan": float(per_yuan) if per_yuan is not None else None,
	}


def columns() -> list[dict]:
	return [
		{
			"fieldname": "campaign",
			"label": _("Campaign"),
			"fieldtype": "Link",
			"options": "CRM Campaign",
			"width": 180,
		},
		{"fieldname": "channel", "label": _("Channel"), "fieldtype": "Data", "width": 120},
		{"fieldname": "cost", "label": _("Cost"), "fieldtype": "Currency", "width": 120},
		{"fieldname": "leads", "label": _("Leads"), "fieldtype": "Int", "width": 80},
		{"fieldname": "opportunities", "label": _("Opportunities"), "fieldtype": "Int", "width": 100},
		{"fieldname": "won_opportunities", "label": _("Won Opportunities"), "fieldtype": "Int", "width": 110},
		{"fieldname": "orders", "label": _("Orders"), "fieldtype": "Int", "width": 80},
		{"fieldname": "won_amount", "label": _("Won Amount"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "cost_per_lead", "label": _("Cost per Lead"), "fieldtype": "Currency", "width": 110},
		{
			"fieldname": "return_per_yuan",
			"label": _("Return per Yuan"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 110,
		},
	]


def chart(parents: list[dict]) -> dict:
	return {
		"data": {
			"labels": [row["campaign"] for row in parents],
			"datasets": [
				{"name": _("Cost"), "values": [row["cost"] for row in parents]},
				{"name": _("Won Amount"), "values": [row["won_amount"] for row in parents]},
			],
		},
		"type": "bar",
		"colors": ["#DC2626", "#16A34A"],
	}


def summary(parents: list[dict]) -> list[dict]:
	cost = sum(row["cost"] for row in parents)
	totals = {figure: sum(row[figure] for row in parents) for figure in FIGURES}
	overall = ratios(cost, totals)
	return [
		{"label": _("Cost"), "value": cost, "datatype": "Currency", "indicator": "Red"},
		{"label": _("Leads"), "value": totals["leads"], "datatype": "Int", "indicator": "Blue"},
		{
			"label": _("Won Amount"),
			"value": totals["won_amount"],
			"datatype": "Currency",
			"indicator": "Green",
		},
		{
			"label": _("Return per Yuan"),
			"value": overall["return_per_yuan"],
			"datatype": "Float",
			"indicator": "Green",
		},
	]
