"""Service to sales: some days before a customer's consumable, filter or maintenance is due for replacement,
counted from their last order of the product or the last resolved ticket on it, the customer's salesperson gets
a follow-up on the customer, one per product and due date. Customers in the public pool get none. The rule's
dates are domain/replacements.py."""

import frappe
from frappe import _
from frappe.utils import formatdate, getdate

from crm_app.domain.replacements import chinese_date, last_event_window, next_due_date
from crm_app.follow_ups import REPLACEMENT_FIELD, plan_follow_ups

CUSTOMER = "CRM Customer"

# What starts a product's cycle again for a customer: each branch selects (customer, product, event_on) for the
# products in %(products)s on or after %(since)s, and the latest event of any branch counts.
LAST_EVENTS = (
	"""
	select o.customer, i.product, o.transaction_date as event_on
	from `tabCRM Sales Order` o
	join `tabCRM Deal Item` i on i.parent = o.name and i.parenttype = 'CRM Sales Order'
	where o.docstatus = 1 and o.transaction_date >= %(since)s and i.product in %(products)s
	""",
	"""
	select t.customer, t.product, date(t.resolved_on) as event_on
	from `tabCRM Ticket` t
	where t.resolved_on >= %(since)s and t.product in %(products)s and t.customer is not null
	""",
)


def remind_replacements() -> None:
	today = getdate()
	products = {
		product.name: product
		for product in frappe.get_all(
			"CRM Product",
			filters={"replacement_cycle_days": (">", 0), "disabled": 0},
			fields=["name", "product_name", "replacement_cycle_days", "remind_days_before"],
			order_by="name",
		)
	}
	due = due_replacements(products, today)
	if not due:
		return
	reminded = existing_reminders(
		list(products), min(row.due_on for row in due), max(row.due_on for row in due)
	)
	due = [row for row in due if (row.customer, row.product, row.due_on) not in reminded]
	owners = sorted({row.sales_owner for row in due})
	languages = dict(frappe.get_all("User", {"name": ("in", owners)}, ["name", "language"], as_list=True))
	site_language = frappe.db.get_default("lang") or "en"
	plan_follow_ups(
		CUSTOMER,
		[
			{
				"allocated_to": row.sales_owner,
				"reference_name": row.customer,
				"date": row.due_on,
				"description": reminder_text(
					products[row.product].product_name,
					row.due_on,
					languages.get(row.sales_owner) or site_language,
				),
				REPLACEMENT_FIELD: row.product,
			}
			for row in due
		],
	)


def due_replacements(products: dict, today) -> list:
	"""Customers with an owner whose replacement of a product is to be reminded today: one grouped query over
	every kind of last event, each row with its customer, sales_owner, product and due_on."""
	if not products:
		return []
	windows = {
		name: last_event_window(today, product.replacement_cycle_days, product.remind_days_before)
		for name, product in products.items()
	}
	values = {"products": tuple(products), "since": min(earliest for earliest, _latest in windows.values())}
	conditions = []
	for index, (name, (earliest, latest)) in enumerate(windows.items()):
		conditions.append(f"(product = %(p{index})s and last_on between %(from{index})s and %(to{index})s)")
		values.update({f"p{index}": name, f"from{index}": earliest, f"to{index}": latest})
	rows = frappe.db.sql(
		f"""
		select last.customer, last.product, last.last_on, c.sales_owner
		from (
			select customer, product, max(event_on) as last_on
			from ({" union all ".join(LAST_EVENTS)}) events
			group by customer, product
			having {" or ".join(conditions)}
		) last
		join `tab{CUSTOMER}` c on c.name = last.customer
		where ifnull(c.sales_owner, '') != ''
		order by last.customer, last.product
		""",
		values,
		as_dict=True,
	)
	for row in rows:
		row.due_on = next_due_date(row.last_on, products[row.product].replacement_cycle_days)
	return rows


def existing_reminders(products: list[str], first_due, last_due) -> set[tuple]:
	"""(customer, product, due date) of the reminders already planned for these due dates, open or done."""
	todo = frappe.qb.DocType("ToDo")
	return set(
		frappe.qb.from_(todo)
		.select(todo.reference_name, todo[REPLACEMENT_FIELD], todo.date)
		.where(
			todo[REPLACEMENT_FIELD].isin(products)
			& todo.date.between(first_due, last_due)
			& (todo.reference_type == CUSTOMER)
		)
		.run()
	)


def reminder_text(product_name: str, due_on, lang: str) -> str:
	day = chinese_date(due_on) if lang.startswith("zh") else formatdate(due_on)
	return _("{0} is due for replacement on {1}; please contact the customer", lang=lang).format(
		product_name, day
	)
