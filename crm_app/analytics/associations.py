"""Purchase association over the submitted orders (crm_app/domain/association.py): which products the same
customers bought within the window, counted in the database, kept as CRM Product Association rows, and offered
on a customer's form as what they have not bought yet."""

from datetime import timedelta

import frappe
from frappe.utils import getdate, now_datetime

from crm_app.bulk import insert_values
from crm_app.domain.association import kept, measures
from crm_app.permissions import get_permission_query_conditions
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import get_settings

SUGGESTIONS = 5
ORDERS = "`tabCRM Sales Order`"
FIELDS = (
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"product",
	"also_product",
	"customers_both",
	"support",
	"confidence",
	"lift",
	"computed_on",
)


def analyse_associations(today=None) -> int:
	"""Replace the kept rules with this night's; returns how many were kept.

	One statement counts, for every pair of products (a product with itself included, which counts its buyers),
	the customers who bought both in the window; the measures and the minimums are the domain's."""
	today = getdate(today)
	settings = get_settings()
	thresholds = settings.association_thresholds()
	thresholds.validate()
	start = today - timedelta(days=settings.association_window_days)
	window = {"start": start, "today": today}
	customers = frappe.db.sql(
		f"""select count(distinct customer) from {ORDERS}
		where docstatus = 1 and transaction_date between %(start)s and %(today)s""",
		window,
	)[0][0]
	together = frappe.db.sql(
		f"""
		with basket as (
			select distinct o.customer, i.product from {ORDERS} o
			join `tabCRM Deal Item` i on i.parent = o.name and i.parenttype = 'CRM Sales Order'
			where o.docstatus = 1 and o.transaction_date between %(start)s and %(today)s
		)
		select a.product, b.product, count(*) from basket a join basket b on b.customer = a.customer
		group by a.product, b.product
		""",
		window,
	)
	buyers = {x: count for x, y, count in together if x == y}
	now, user = now_datetime(), frappe.session.user
	rows = []
	for x, y, both in together:
		if x == y:
			continue
		found = measures(customers, buyers[x], buyers[y], both)
		if kept(thresholds, both, found):
			rows.append(
				(
					frappe.generate_hash(length=12),
					now,
					now,
					user,
					user,
					x,
					y,
					both,
					100 * found.support,
					100 * found.confidence,
					found.lift,
					now,
				)
			)
	frappe.db.delete("CRM Product Association")
	insert_values("CRM Product Association", FIELDS, rows)
	return len(rows)


def suggestions(customer: str) -> list[dict]:
	"""Products a customer has not bought that buyers of what they did buy often also buy, strongest first:
	for each, the product it follows from with the best lift."""
	bought = tuple(bought_products(customer))
	if not bought:
		return []
	return best_per_product(
		frappe.db.sql(
			"""
			select a.also_product as product, p.product_name, a.product as because_of,
				q.product_name as because_of_name, a.confidence, a.lift
			from `tabCRM Product Association` a
			join `tabCRM Product` p on p.name = a.also_product and p.disabled = 0
			join `tabCRM Product` q on q.name = a.product
			where a.product in %(bought)s and a.also_product not in %(bought)s
			order by a.lift desc, a.confidence desc, a.also_product
			""",
			{"bought": bought},
			as_dict=True,
		)
	)


def bought_products(customer: str) -> list[str]:
	"""What the customer bought on the submitted orders the user may see: another salesperson's orders of a
	customer back in the public pool say nothing."""
	rules = get_permission_query_conditions(frappe.session.user, "CRM Sales Order") or "true"
	return frappe.db.sql_list(
		f"""select distinct i.product from {ORDERS}
		join `tabCRM Deal Item` i on i.parent = {ORDERS}.name and i.parenttype = 'CRM Sales Order'
		where {ORDERS}.customer = %s and {ORDERS}.docstatus = 1 and {rules}""",
		customer,
	)


def best_per_product(rows: list[dict]) -> list[dict]:
	seen, best = set(), []
	for row in rows:
		if row.product not in seen:
			seen.add(row.product)
			best.append(row)
	return best[:SUGGESTIONS]
