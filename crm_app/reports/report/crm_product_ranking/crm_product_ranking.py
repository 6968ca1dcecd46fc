"""Product ranking (商品排行) and repurchase: per product, over the submitted orders of a period within the
viewer's reach, the quantity and amount sold, the orders and customers, and the repurchase rate: the share of its
customers who bought it on more than one order."""

import frappe
from frappe import _
from frappe.utils import add_days, today

from crm_app.reports.filters import choice, in_reach, period

DEFAULT_DAYS = 365
ORDER = "CRM Sales Order"
SORTS = {"Amount": "amount", "Quantity": "qty", "Customers": "buyers", "Repurchase Rate": "repurchase_rate"}
ROW_LIMIT = 200
CHART_ROWS = 10


def execute(filters=None):
	filters = frappe._dict(filters or {})
	from_date, until = period(filters, add_days(today(), -DEFAULT_DAYS))
	sort = SORTS[choice(filters.sort_by, SORTS, "Sort By", default="Amount")]
	rows = frappe.db.sql(
		f"""
		select product, max(product_name) as product_name, sum(qty) as qty, sum(amount) as amount,
			sum(orders) as orders, count(*) as buyers, sum(orders > 1) as repeat_buyers
		from (
			select i.product, i.product_name, `tab{ORDER}`.customer, sum(i.qty) as qty, sum(i.amount) as amount,
				count(distinct `tab{ORDER}`.name) as orders
			from `tab{ORDER}`
			join `tabCRM Deal Item` i on i.parent = `tab{ORDER}`.name and i.parenttype = %(order)s
			where `tab{ORDER}`.docstatus = 1 and `tab{ORDER}`.transaction_date >= %(from_date)s
				and `tab{ORDER}`.transaction_date < %(until)s and i.product is not null and {in_reach(ORDER)}
			group by i.product, `tab{ORDER}`.customer
		) bought
		group by product
		""",
		{"order": ORDER, "from_date": from_date, "until": until},
		as_dict=True,
	)
	for row in rows:
		row["qty"] = float(row.qty or 0)
		row["amount"] = float(row.amount or 0)
		row["repeat_buyers"] = int(row.repeat_buyers or 0)
		row["repurchase_rate"] = round(100 * row.repeat_buyers / row.buyers, 1) if row.buyers else 0
	rows.sort(key=lambda row: (-row[sort], row.product))
	total = len(rows)
	rows = rows[:ROW_LIMIT]
	for rank, row in enumerate(rows, 1):
		row["rank"] = rank
	message = (
		_("Showing the first {0} of {1} products.").format(ROW_LIMIT, total) if total > ROW_LIMIT else None
	)
	return columns(), rows, message, chart(rows[:CHART_ROWS], sort)


def columns() -> list[dict]:
	return [
		{"fieldname": "rank", "label": _("Rank"), "fieldtype": "Int", "width": 60},
		{
			"fieldname": "product",
			"label": _("Product"),
			"fieldtype": "Link",
			"options": "CRM Product",
			"width": 110,
		},
		{"fieldname": "product_name", "label": _("Product Name"), "fieldtype": "Data", "width": 180},
		{"fieldname": "qty", "label": _("Quantity"), "fieldtype": "Float", "width": 90},
		{"fieldname": "amount", "label": _("Amount"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "orders", "label": _("Orders"), "fieldtype": "Int", "width": 80},
		{"fieldname": "buyers", "label": _("Customers"), "fieldtype": "Int", "width": 90},
		{"fieldname": "repeat_buyers", "label": _("Repeat Customers"), "fieldtype": "Int", "width": 110},
		{
			"fieldname": "repurchase_rate",
			"label": _("Repurchase Rate"),
			"fieldtype": "Percent",
			"precision": 1,
			"width": 110,
		},
	]


def chart(rows: list[dict], sort: str) -> dict | None:
	if not rows:
		return None
	label = next(label for label, field in SORTS.items() if field == sort)
	return {
		"data": {
			"labels": [row.product_name or row.product for row in rows],
			"datasets": [{"name": _(label), "values": [row[sort] for row in rows]}],
		},
		"type": "bar",
		"colors": ["#2563EB"],
	}
