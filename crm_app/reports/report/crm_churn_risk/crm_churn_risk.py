"""Churn risk (流失预警): the customers within the viewer's reach whose silence has outlasted their own rhythm of
buying (crm_app/analytics/customer_value.py), those who bought most in the RFM window first."""

import frappe
from frappe import _
from frappe.utils import date_diff, today

from crm_app.domain.rfm import TIERS
from crm_app.reports.filters import choice, text

ROW_LIMIT = 500
CUSTOMER = "CRM Customer"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	where = {"churn_risk": 1}
	if tier := choice(filters.value_tier, TIERS, "Value Tier"):
		where["value_tier"] = tier
	if owner := text(filters.sales_owner, "Sales Owner"):
		where["sales_owner"] = owner
	rows = frappe.get_list(
		CUSTOMER,
		filters=where,
		fields=[
			"name as customer",
			"customer_name",
			"sales_owner",
			"value_tier",
			"mobile_no",
			"last_order_date",
			"purchase_interval_days",
			"churn_due_date",
			"churn_warned_on",
			"window_amount",
		],
		order_by="window_amount desc, name asc",
		limit=ROW_LIMIT,
	)
	day = today()
	for row in rows:
		row["days_silent"] = date_diff(day, row.last_order_date)
		row["value_tier"] = _(row.value_tier) if row.value_tier else None
	by_tier = frappe.get_list(
		CUSTOMER,
		filters=where,
		fields=["value_tier", "count(name) as customers", "sum(window_amount) as amount"],
		group_by="value_tier",
		order_by="value_tier asc",
	)
	total = sum(row.customers for row in by_tier)
	message = (
		_("Showing the {0} who bought most of {1} customers at risk.").format(ROW_LIMIT, total)
		if total > ROW_LIMIT
		else None
	)
	return columns(), rows, message, chart(by_tier), summary(by_tier)


def columns() -> list[dict]:
	return [
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": CUSTOMER,
			"width": 140,
		},
		{"fieldname": "customer_name", "label": _("Customer Name"), "fieldtype": "Data", "width": 180},
		{"fieldname": "sales_owner", "label": _("Sales Owner"), "fieldtype": "Data", "width": 150},
		{"fieldname": "value_tier", "label": _("Value Tier"), "fieldtype": "Data", "width": 90},
		{"fieldname": "mobile_no", "label": _("Mobile No"), "fieldtype": "Data", "width": 130},
		{"fieldname": "last_order_date", "label": _("Last Order Date"), "fieldtype": "Date", "width": 110},
		{"fieldname": "days_silent", "label": _("Days Without Orders"), "fieldtype": "Int", "width": 110},
		{
			"fieldname": "purchase_interval_days",
			"label": _("Usual Days Between Orders"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 130,
		},
		{"fieldname": "churn_due_date", "label": _("Churn Risk From"), "fieldtype": "Date", "width": 110},
		{
			"fieldname": "window_amount",
			"label": _("Amount in the RFM Window"),
			"fieldtype": "Currency",
			"width": 140,
		},
	]


def chart(by_tier: list[dict]) -> dict:
	return {
		"data": {
			"labels": [_(row.value_tier) if row.value_tier else _("Not Set") for row in by_tier],
			"datasets": [{"name": _("Customers at Risk"), "values": [row.customers for row in by_tier]}],
		},
		"type": "bar",
		"colors": ["#DC2626"],
	}


def summary(by_tier: list[dict]) -> list[dict]:
	return [
		{
			"label": _("Customers at Risk"),
			"value": sum(row.customers for row in by_tier),
			"datatype": "Int",
			"indicator": "Red",
		},
		{
			"label": _("Their Amount in the RFM Window"),
			"value": sum(row.amount or 0 for row in by_tier),
			"datatype": "Currency",
			"indicator": "Orange",
		},
	]
