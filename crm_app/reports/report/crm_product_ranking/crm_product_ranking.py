"""Product ranking (商品排行) and repurchase: per product, over the submitted orders of the whole months of a period
within the viewer's reach, the quantity and amount sold, the orders and customers, and the repurchase rate: the
share of its customers who bought it on more than one order. It adds up the months kept in CRM Product Sales
(crm_app/analytics/product_sales.py), each customer's orders of a product in a month, by the orders' salesperson:
a viewer sees the orders of the salespeople in their reach."""

import frappe
from frappe import _
from frappe.utils import add_days, add_months, getdate, today

from crm_app.analytics.product_sales import month_of
from crm_app.permissions import get_visible_owners
from crm_app.reports.filters import choice, period

DEFAULT_MONTHS = 12
ORDER = "CRM Sales Order"
SORTS = {"Amount": "amount", "Quantity": "qty", "Customers": "buyers", "Repurchase Rate": "repurchase_rate"}
ROW_LIMIT = 200
CHART_ROWS = 10


def execute(filters=None):
	filters = frappe._dict(filters or {})
	from_date, until = period(filters, add_months(month_of(today()), 1 - DEFAULT_MONTHS))
	sort = SORTS[choice(filters.sort_by, SORTS, "Sort By", default="Amount")]
	first, last = month_of(from_date), month_of(add_days(until, -1))
	rows = sold(first, last, get_visible_owners(frappe.session.user, ORDER))
	names = (
		dict(
			frappe.get_all(
				"CRM Product",
				filters={"name": ("in", [row.product for row in rows])},
				fields=["name", "product_name"],
				as_list=True,
			)
		)
		if rows
		else {}
	)
	for row in rows:
		row["product_name"] = names.get(row.product)
		row["qty"] = float(row.qty or 0)
		row["amount"] = float(row.amount or 0)
		row["repeat_buyers"] = int(row.repeat_buyers or 0)
		row["repurchase_rate"] = round(100 * row.repeat_buyers / row.buyers, 1) if row.buyers else 0
	rows.sort(key=lambda row: (-row[sort], row.product))
	total = len(rows)
	rows = rows[:ROW_LIMIT]
	for rank, row in enumerate(rows, 1):
		row["rank"] = rank
	message = _("Whole months from {0} to {1}.").format(first.strftime("%Y-%m"), last.strftime("%Y-%m"))
	if total > ROW_LIMIT:
		message += " " + _("Showing the first {0} of {1} products.").format(ROW_LIMIT, total)
	return columns(), rows, message, chart(rows[:CHART_ROWS], sort)


def sold(first, last, owners: list[str] | None) -> list[dict]:
	"""Per product: quantity, amount, orders, customers, and customers on more than one order. The inner group
	reads the index in its order (product, customer), so neither group needs a temporary table."""
	values = {"first": getdate(first), "last": getdate(last), "owners": owners or [""]}
	return frappe.db.sql(
		f"""
		select product, sum(qty) as qty, sum(amount) as amount, sum(orders) as orders, count(*) as buyers,
			sum(orders > 1) as repeat_buyers
		from (
			select product, customer, sum(qty) as qty, sum(amount) as amount, sum(orders) as orders
			from `tabCRM Product Sales` force index (crm_product_sales_by_product)
			where month between %(first)s and %(last)s
				{"" if owners is None else "and sales_owner in %(owners)s"}
			group by product, customer
		) bought
		group by product
		""",
		values,
		as_dict=True,
	)


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
