"""Each customer's submitted orders of each product, month by month and by the orders' salesperson (CRM Product
Sales). The product ranking adds these up in the order of one index, where a year of order lines would need a
temporary table of every product and customer, several seconds at a million lines.

A submitted or cancelled order recounts its customer's month in a job after it commits, and so do the orders a
hand-over moves; the nightly analysis recounts the months of the orders changed any other way since its last pass
(an import, a change by SQL). A new site starts counting at its install; a site that had orders before this
summary existed has them counted once by the upgrade's patch."""

from datetime import date

import frappe
from frappe.utils import getdate, now_datetime

SALES = "`tabCRM Product Sales`"
ORDERS = "`tabCRM Sales Order`"
# when the nightly pass last began: the orders modified since are the ones it recounts
WATERMARK = "crm_product_sales_counted_from"
# customers recounted by one job after a hand-over: each job's transaction stays short
RECOUNT_CHUNK = 1000
COLUMNS = (
	"name, creation, modified, owner, modified_by, docstatus, idx, "
	"month, product, customer, sales_owner, qty, amount, orders"
)
# what each customer's orders of a month add up to: `{orders}` is the orders to count, as `o`, with `{month}` the
# first day of each one's month; a row's name leads with its month, so that counting months in order appends to
# the table rather than splitting its pages
COUNT = f"""
	insert into {SALES} ({COLUMNS})
	select concat(date_format({{month}}, '%%Y%%m-'),
			md5(concat_ws('|', i.product, o.customer, ifnull(o.sales_owner, '')))),
		%(now)s, %(now)s, 'Administrator', 'Administrator', 0, 0,
		{{month}}, i.product, o.customer, o.sales_owner, sum(i.qty), sum(i.amount), count(distinct o.name)
	from {{orders}}
	join `tabCRM Deal Item` i on i.parent = o.name and i.parenttype = 'CRM Sales Order'
	where o.docstatus = 1 and i.product is not null
	group by {{month}}, i.product, o.customer, o.sales_owner
"""
# the orders of each (customer, month) the `touched` derived table gives
TOUCHED_ORDERS = f"""({{touched}}) t join {ORDERS} o on o.customer = t.customer
	and o.transaction_date >= t.month and o.transaction_date < t.month + interval 1 month"""


def month_sql(column: str) -> str:
	"""The first day of the month of a date column, in SQL."""
	return f"date_format({column}, '%%Y-%%m-01')"


def months_of_orders(condition: str) -> str:
	"""A select of the (customer, month) pairs of the orders that meet `condition`."""
	return f"""select distinct customer, {month_sql("transaction_date")} as month from {ORDERS}
		where {condition} and customer is not null and transaction_date is not null"""


def month_of(day) -> date:
	return getdate(day).replace(day=1)


def recount(touched: str, values: dict) -> None:
	"""Recount the (customer, month) pairs that the select `touched` gives, set-based."""
	values = {**values, "now": now_datetime()}
	frappe.db.sql(
		f"delete s from {SALES} s join ({touched}) t on s.customer = t.customer and s.month = t.month", values
	)
	frappe.db.sql(COUNT.format(orders=TOUCHED_ORDERS.format(touched=touched), month="t.month"), values)


def order_changed(doc, method=None) -> None:
	"""doc_events: a submitted or cancelled order has its customer's month recounted once it is committed. Each
	order queues its own job, as a job already running may have read the month before this order committed."""
	frappe.enqueue(
		"crm_app.analytics.product_sales.recount_month",
		queue="short",
		enqueue_after_commit=True,
		customer=doc.customer,
		month=month_of(doc.transaction_date),
	)


def orders_moved(names: list[str]) -> None:
	"""crm_owner_moved: orders handed over count for their new owner once the hand-over is committed, recounted
	by customer in jobs of RECOUNT_CHUNK customers each."""
	customers = frappe.db.sql_list(
		f"select distinct customer from {ORDERS} where name in %(names)s and customer is not null",
		{"names": names},
	)
	for start in range(0, len(customers), RECOUNT_CHUNK):
		frappe.enqueue(
			"crm_app.analytics.product_sales.recount_customers",
			queue="long",
			enqueue_after_commit=True,
			customers=customers[start : start + RECOUNT_CHUNK],
		)


def recount_month(customer: str, month) -> None:
	recount("select %(customer)s as customer, %(month)s as month", {"customer": customer, "month": month})


def recount_customers(customers: list[str]) -> None:
	"""Every month of these customers' orders, for writers that bypass the orders' events (the demo loader)."""
	if customers:
		recount(months_of_orders("customer in %(customers)s"), {"customers": customers})


def recount_changed(today=None) -> None:
	"""The nightly pass: every month on its first night, then the months of the orders modified since."""
	began = now_datetime()
	since = frappe.db.get_default(WATERMARK)
	if since:
		recount(months_of_orders("modified >= %(since)s"), {"since": since})
	else:
		count_everything()
	frappe.db.set_default(WATERMARK, str(began))


def start_counting() -> None:
	"""A new site has no orders: its nightly passes start from now, not with counting everything."""
	frappe.db.set_default(WATERMARK, str(now_datetime()))


def count_everything() -> None:
	frappe.db.delete("CRM Product Sales")
	frappe.db.sql(
		COUNT.format(orders=f"{ORDERS} o", month=month_sql("o.transaction_date")),
		{"now": now_datetime()},
	)
