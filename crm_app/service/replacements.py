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

ORDER_LINES = """`tabCRM Sales Order` {o}
	join `tabCRM Deal Item` {i} on {i}.parent = {o}.name and {i}.parenttype = 'CRM Sales Order'"""
# What starts a product's cycle again for a customer: an order of the product or a resolved ticket on it, and
# the latest event of any kind counts. Each branch selects (customer, product, event_on, latest) for the events
# inside their product's window of the `windows` table (product, earliest, latest); `{dates}` is the windows'
# distinct date ranges, over which the orders' date index reads each day once however many products share it.
EVENTS_IN_WINDOW = (
	f"""
	select o.customer, i.product, o.transaction_date as event_on, w.latest
	from {ORDER_LINES.format(o="o", i="i")}
	join windows w on i.product = w.product and o.transaction_date between w.earliest and w.latest
	where o.docstatus = 1 and ({{dates}})
	""",
	"""
	select t.customer, t.product, date(t.resolved_on) as event_on, w.latest
	from windows w join `tabCRM Ticket` t on t.product = w.product
	where t.resolved_on >= w.earliest and t.resolved_on < w.latest + interval 1 day and t.customer is not null
	""",
)
# ...and an event after the window makes a later one the last: (customer, product, latest) come from `last`.
EVENTS_LATER = (
	f"""
	select 1 from {ORDER_LINES.format(o="later_o", i="later_i")}
	where later_o.docstatus = 1 and later_o.customer = last.customer
		and later_o.transaction_date > last.latest and later_i.product = last.product
	""",
	"""
	select 1 from `tabCRM Ticket` later_t
	where later_t.customer = last.customer and later_t.product = last.product
		and later_t.resolved_on >= last.latest + interval 1 day
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
	"""Customers with an owner whose replacement of a product is to be reminded today: those with an event in the
	product's window and none after it, each row with its customer, sales_owner, product and due_on. Reading only
	the windows' few days of events, and each candidate's later ones through its customer, keeps the job's cost
	apart from the years of orders before them."""
	windows = {
		name: last_event_window(today, product.replacement_cycle_days, product.remind_days_before)
		for name, product in products.items()
	}
	values, table, dates = {}, [], {}
	for index, (name, (earliest, latest)) in enumerate(windows.items()):
		values.update({f"p{index}": name, f"from{index}": earliest, f"to{index}": latest})
		table.append(f"select %(p{index})s as product, %(from{index})s as earliest, %(to{index})s as latest")
		dates.setdefault((earliest, latest), f"o.transaction_date between %(from{index})s and %(to{index})s")
	if not windows:
		return []
	rows = frappe.db.sql(
		f"""
		with windows as ({" union all ".join(table)})
		select last.customer, last.product, last.last_on, c.sales_owner
		from (
			select customer, product, max(event_on) as last_on, max(latest) as latest
			from ({" union all ".join(EVENTS_IN_WINDOW).format(dates=" or ".join(dates.values()))}) events
			group by customer, product
		) last
		join `tab{CUSTOMER}` c on c.name = last.customer
		where ifnull(c.sales_owner, '') != ''
			{"".join(f" and not exists ({later})" for later in EVENTS_LATER)}
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
