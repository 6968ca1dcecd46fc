"""Service to sales: before a consumable is due for replacement, the customer's salesperson gets one follow-up."""

import frappe
from frappe.utils import add_days, getdate, today

from crm_app.domain.replacements import chinese_date
from tests.integration.client import messages
from tests.integration.conftest import email_of, fresh, run_scheduled_job, unique_name

JOB = "crm_app.jobs.remind_replacements"


def new_product(admin, name: str, **values) -> str:
	response = admin.insert(
		"CRM Product",
		{
			"product_code": f"RP-{frappe.generate_hash(length=10)}",
			"product_name": name,
			"product_type": "Consumable",
			"list_price": 120,
			**values,
		},
	)
	assert response.status_code == 200, messages(response)
	return response.json()["data"]["name"]


def new_customer(client) -> str:
	response = client.insert("CRM Customer", {"customer_name": unique_name()})
	assert response.status_code == 200, messages(response)
	return response.json()["data"]["name"]


def order(client, customer: str, product: str, days_ago: int, submit: bool = True) -> str:
	response = client.insert(
		"CRM Sales Order",
		{
			"customer": customer,
			"transaction_date": add_days(today(), -days_ago),
			"items": [{"product": product, "qty": 2}],
		},
	)
	assert response.status_code == 200, messages(response)
	name = response.json()["data"]["name"]
	if submit:
		submitted = client.update("CRM Sales Order", name, {"docstatus": 1})
		assert submitted.status_code == 200, messages(submitted)
	return name


def reminders(customer: str) -> list[dict]:
	fresh()
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": "CRM Customer", "reference_name": customer},
		fields=["allocated_to", "status", "date", "description", "crm_replacement_of"],
		order_by="date",
	)


def test_the_owner_is_reminded_once_per_cycle_and_pool_customers_and_products_without_a_cycle_are_not(
	users, worker
):
	admin, sales = users["admin"], users["sales_b"]  # sales_b reads Chinese
	filter_cartridge = new_product(admin, "滤芯", replacement_cycle_days=60, remind_days_before=7)
	durable = new_product(admin, "净水器主机", product_type="Goods")

	customer = new_customer(sales)
	order(sales, customer, filter_cartridge, days_ago=200)
	order(sales, customer, filter_cartridge, days_ago=55)  # the last one: due in five days
	order(sales, customer, filter_cartridge, days_ago=10, submit=False)  # a draft starts nothing
	order(sales, customer, durable, days_ago=55)

	pooled = new_customer(users["sales_a"])
	order(users["sales_a"], pooled, filter_cartridge, days_ago=55)
	released = users["sales_a"].post("crm_app.api.pool.release", doctype="CRM Customer", name=pooled)
	assert released.status_code == 200, messages(released)

	run_scheduled_job(JOB)
	due = getdate(add_days(today(), 5))
	expected = {
		"allocated_to": email_of("sales_b"),
		"status": "Open",
		"date": due,
		"description": f"滤芯 预计 {chinese_date(due)} 需要更换，请联系客户",
		"crm_replacement_of": filter_cartridge,
	}
	assert reminders(customer) == [expected]
	assert email_of("sales_b") in frappe.parse_json(frappe.db.get_value("CRM Customer", customer, "_assign"))
	assert reminders(pooled) == []

	run_scheduled_job(JOB)
	assert reminders(customer) == [expected]

	# a new order starts a new cycle, reminded once too
	order(sales, customer, filter_cartridge, days_ago=53)
	run_scheduled_job(JOB)
	run_scheduled_job(JOB)
	later = getdate(add_days(today(), 7))
	assert [(row.date, row.description) for row in reminders(customer)] == [
		(due, expected["description"]),
		(later, f"滤芯 预计 {chinese_date(later)} 需要更换，请联系客户"),
	]
	assert not frappe.db.exists("ToDo", {"crm_replacement_of": durable})


def test_a_resolved_ticket_on_the_product_starts_a_cycle_too(users, worker):
	admin, sales = users["admin"], users["sales_b"]
	cartridge = new_product(admin, "除湿滤网", replacement_cycle_days=90, remind_days_before=10)
	customer = new_customer(sales)
	order(sales, customer, cartridge, days_ago=300)
	ticket = users["service_manager"].insert(
		"CRM Ticket",
		{"subject": "上门更换滤网", "customer": customer, "product": cartridge, "channel": "On Site"},
	)
	assert ticket.status_code == 200, messages(ticket)
	fresh()
	# the engineer changed the filter 85 days ago: the next one is due in five days
	resolved_on = f"{add_days(today(), -85)} 10:00:00"
	frappe.db.set_value(
		"CRM Ticket", ticket.json()["data"]["name"], {"status": "Resolved", "resolved_on": resolved_on}
	)
	frappe.db.commit()
	run_scheduled_job(JOB)
	assert [row.date for row in reminders(customer)] == [getdate(add_days(today(), 5))]
