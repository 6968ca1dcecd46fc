"""Purchase association over the submitted orders (crm_app/domain/association.py): which products the same
customers bought within the window, counted in the database, kept as CRM Product Association rows, and offered
on a customer's form as what they have not bought yet."""

from datetime import timedelta

import frappe
from frappe.utils import getdate, now_datetime

from crm_app.domain.association import sql_filter
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import get_settings

SUGGESTIONS = 5


def analyse_associations(today=None) -> int:
	"""Replace the kept rules with this night's; returns how many were kept."""
	today = getdate(today)
	settings = get_settings()
	start = today - timedelta(days=settings.association_window_days)
	kept, kept_params = sql_filter(
		settings.association_thresholds(), "n.customers", "x.buyers", "y.buyers", "p.together"
	)
	now, user = now_datetime(), frappe.session.user
	frappe.db.delete("CRM Product Association")
	frappe.db.sql(
		f"""
		insert into `tabCRM Product Association`
			(name, creation, modified, owner, modified_by, docstatus, idx, product, also_product, customers_both,
			support, confidence, lift, computed_on)
		with basket as (
			select distinct o.customer, i.product
			from `tabCRM Sales Order` o
			join `tabCRM Deal Item` i on i.parent = o.name and i.parenttype = 'CRM Sales Order'
			where o.docstatus = 1 and o.transaction_date between %s and %s and i.product is not null
		),
		buyers as (select product, count(*) as buyers from basket group by product),
		pairs as (
			select a.product as x, b.product as y, count(*) as together
			from basket a join basket b on b.customer = a.customer and b.product <> a.product
			group by a.product, b.product
		),
		customers as (select count(distinct customer) as customers from basket)
		select md5(concat(%s, p.x, '|', p.y)), %s, %s, %s, %s, 0, 0, p.x, p.y, p.together,
			100 * p.together / n.customers, 100 * p.together / x.buyers, p.together * n.customers / (x.buyers * y.buyers), %s
		from pairs p
		join buyers x on x.product = p.x
		join buyers y on y.product = p.y
		join customers n
		where {kept}
		""",
		[start, today, frappe.generate_hash(), now, now, user, user, now, *kept_params],
	)
	return frappe.db.sql("select row_count()")[0][0]


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
	return frappe.db.sql_list(
		"""select distinct i.product from `tabCRM Sales Order` o
		join `tabCRM Deal Item` i on i.parent = o.name and i.parenttype = 'CRM Sales Order'
		where o.customer = %s and o.docstatus = 1 and i.product is not null""",
		customer,
	)


def best_per_product(rows: list[dict]) -> list[dict]:
	seen, best = set(), []
	for row in rows:
		if row.product not in seen:
			seen.add(row.product)
			best.append(row)
	return best[:SUGGESTIONS]
