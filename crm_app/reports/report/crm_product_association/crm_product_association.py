"""Purchase association (购买关联): the strongest "bought X, also buys Y" rules of the last nightly analysis
(crm_app/analytics/associations.py), by lift. Counts over every customer, so it is for managers and admins."""

import frappe
from frappe import _

from crm_app.reports.filters import text

ROW_LIMIT = 200
CHART_ROWS = 10


def execute(filters=None):
	filters = frappe._dict(filters or {})
	where = {}
	if product := text(filters.product, "Product"):
		where["product"] = product
	rows = frappe.get_list(
		"CRM Product Association",
		filters=where,
		fields=["product", "also_product", "customers_both", "support", "confidence", "lift", "computed_on"],
		order_by="lift desc, confidence desc, product asc, also_product asc",
		limit=ROW_LIMIT,
	)
	names = dict(
		frappe.get_all(
			"CRM Product",
			filters={"name": ("in", {row[field] for row in rows for field in ("product", "also_product")})},
			fields=["name", "product_name"],
			as_list=True,
		)
	)
	for row in rows:
		row["product_name"] = names.get(row.product)
		row["also_product_name"] = names.get(row.also_product)
	message = _("Computed on {0}").format(frappe.format(rows[0].computed_on, "Datetime")) if rows else None
	return columns(), rows, message, chart(rows[:CHART_ROWS])


def columns() -> list[dict]:
	return [
		{
			"fieldname": "product",
			"label": _("Bought"),
			"fieldtype": "Link",
			"options": "CRM Product",
			"width": 110,
		},
		{"fieldname": "product_name", "label": _("Product Name"), "fieldtype": "Data", "width": 160},
		{
			"fieldname": "also_product",
			"label": _("Also Buys"),
			"fieldtype": "Link",
			"options": "CRM Product",
			"width": 110,
		},
		{"fieldname": "also_product_name", "label": _("Product Name"), "fieldtype": "Data", "width": 160},
		{
			"fieldname": "customers_both",
			"label": _("Customers Who Bought Both"),
			"fieldtype": "Int",
			"width": 120,
		},
		{"fieldname": "support", "label": _("Support"), "fieldtype": "Percent", "precision": 2, "width": 90},
		{
			"fieldname": "confidence",
			"label": _("Confidence"),
			"fieldtype": "Percent",
			"precision": 1,
			"width": 100,
		},
		{"fieldname": "lift", "label": _("Lift"), "fieldtype": "Float", "precision": 2, "width": 80},
	]


def chart(rows: list[dict]) -> dict | None:
	if not rows:
		return None
	return {
		"data": {
			"labels": [f"{row.product_name} → {row.also_product_name}" for row in rows],
			"datasets": [{"name": _("Lift"), "values": [round(row.lift, 2) for row in rows]}],
		},
		"type": "bar",
		"colors": ["#7C3AED"],
	}
