"""Coupons over HTTP: managers keep coupon types and issue coupons; a salesperson sees the coupons of their own
customers and redeems one on an order; two orders submitted at the same moment never share a coupon; expired
coupons are refused and the daily job expires them; a customer's contact reads their coupons in the portal."""

import threading

import frappe
import pytest
from frappe.utils import add_days, today
from frappe.utils.password import update_password

from tests.integration.client import Client, messages
from tests.integration.conftest import (
	PASSWORD,
	SITE,
	email_of,
	fresh,
	run_scheduled_job,
	unique_name,
)
from tests.integration.test_portal import invited_customer, portal_login

COUPON = "CRM Coupon"
ISSUE = "crm_app.api.coupons.issue"


def ok(response, what=""):
	assert response.status_code == 200, f"{what}: {response.status_code} {messages(response)}"
	body = response.json()
	return body.get("data", body.get("message"))


def customer_of(client: Client) -> str:
	return ok(client.insert("CRM Customer", {"customer_name": unique_name("领券客户")}), "customer")["name"]


@pytest.fixture(scope="module")
def product(users) -> str:
	if users["admin"].get_doc("CRM Product", "P-COUPON").status_code != 200:
		ok(
			users["admin"].insert(
				"CRM Product", {"product_code": "P-COUPON", "product_name": "礼盒装绿茶", "list_price": 150}
			),
			"product",
		)
	return "P-COUPON"


@pytest.fixture(scope="module")
def coupon_type(users) -> str:
	"""满 200 减 30, valid 30 days, three per customer, kept by a sales manager."""
	values = {
		"coupon_type_name": f"满200减30-{frappe.generate_hash(length=6)}",
		"discount_type": "Fixed Amount",
		"amount": 30,
		"min_spend": 200,
		"days_valid": 30,
		"limit_per_customer": 3,
	}
	assert users["sales_a"].insert("CRM Coupon Type", values).status_code == 403
	return ok(users["east_manager"].insert("CRM Coupon Type", values), "coupon type")["name"]


def issue(client: Client, coupon_type: str, customer: str) -> str:
	return ok(client.post(ISSUE, coupon_type=coupon_type, customer=customer), "issue")["code"]


def order(client: Client, customer: str, product: str, coupon: str | None, qty: int = 2):
	return client.insert(
		"CRM Sales Order",
		{"customer": customer, "tax_rate": 13, "coupon": coupon, "items": [{"product": product, "qty": qty}]},
	)


def test_managers_issue_coupons_to_customers_in_their_reach_only(users, coupon_type):
	mine, southern = customer_of(users["sales_a"]), customer_of(users["sales_c"])
	code = issue(users["east_manager"], coupon_type, mine)
	assert len(code) == 14 and code.count("-") == 2
	assert users["sales_a"].post(ISSUE, coupon_type=coupon_type, customer=mine).status_code == 403
	hidden = users["east_manager"].post(ISSUE, coupon_type=coupon_type, customer=southern)
	missing = users["east_manager"].post(ISSUE, coupon_type=coupon_type, customer="CUST-NOBODY")
	assert hidden.status_code == missing.status_code == 404
	assert issue(users["admin"], coupon_type, southern)
	# the limit per customer is three
	issue(users["admin"], coupon_type, mine)
	issue(users["admin"], coupon_type, mine)
	refused = users["admin"].post(ISSUE, coupon_type=coupon_type, customer=mine)
	assert refused.status_code == 417 and "already holds" in messages(refused)
	fresh()
	assert frappe.db.count(COUPON, {"customer": mine, "coupon_type": coupon_type}) == 3


def test_a_salesperson_sees_the_coupons_of_their_own_customers_only(users, coupon_type, product):
	mine, others = customer_of(users["sales_a"]), customer_of(users["sales_c"])
	own, foreign = issue(users["admin"], coupon_type, mine), issue(users["admin"], coupon_type, others)
	listed = {
		row["name"] for row in users["sales_a"].list(COUPON, filters=[["coupon_type", "=", coupon_type]])
	}
	assert own in listed and foreign not in listed
	assert ok(users["sales_a"].get_doc(COUPON, own))["customer"] == mine
	assert users["sales_a"].get_doc(COUPON, foreign).status_code in (403, 404)
	# naming another's coupon on an order looks like naming one that does not exist
	refused = order(users["sales_a"], mine, product, foreign)
	assert refused.status_code == 417 and "Could not find" in messages(refused)


def test_a_salesperson_redeems_a_coupon_on_an_order_and_a_cancellation_gives_it_back(
	users, coupon_type, product
):
	sales = users["sales_a"]
	customer = customer_of(sales)
	code = issue(users["east_manager"], coupon_type, customer)
	short = order(sales, customer, product, code, qty=1)
	assert short.status_code == 417 and "at least" in messages(short)
	draft = ok(order(sales, customer, product, code), "order")
	# 2 × 150 = 300, less 30; VAT 13% on 270
	assert (draft["coupon_discount"], draft["discount_amount"], draft["net_total"]) == (30, 30, 270)
	assert draft["grand_total"] == 305.1
	ok(sales.update("CRM Sales Order", draft["name"], {"docstatus": 1}), "submit")
	fresh()
	coupon = frappe.db.get_value(COUPON, code, ["status", "sales_order", "redeemed_at"], as_dict=True)
	assert (coupon.status, coupon.sales_order) == ("Redeemed", draft["name"]) and coupon.redeemed_at
	ok(users["east_manager"].post("frappe.client.cancel", doctype="CRM Sales Order", name=draft["name"]))
	fresh()
	assert frappe.db.get_value(COUPON, code, ["status", "sales_order"]) == ("Issued", None)


def test_two_orders_submitted_at_the_same_moment_never_share_a_coupon(users, coupon_type, product, base_url):
	"""Two browser sessions of a Chinese-speaking salesperson submit two orders with the same coupon at once,
	each through its own request to the several gunicorn workers; exactly one gets the coupon."""
	customer = customer_of(users["sales_b"])
	code = issue(users["east_manager"], coupon_type, customer)
	orders = [ok(order(users["sales_b"], customer, product, code), "order")["name"] for _ in range(2)]
	sessions = [Client(base_url, SITE, email_of("sales_b")).login(PASSWORD) for _ in orders]
	barrier, answers = threading.Barrier(2), {}

	def submit(session: Client, name: str):
		barrier.wait()
		answers[name] = session.update("CRM Sales Order", name, {"docstatus": 1})

	threads = [threading.Thread(target=submit, args=pair) for pair in zip(sessions, orders, strict=True)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()
	assert sorted(answer.status_code for answer in answers.values()) == [200, 417], [
		(answer.status_code, answer.text[:300]) for answer in answers.values()
	]
	winner = next(name for name, answer in answers.items() if answer.status_code == 200)
	loser = next(name for name, answer in answers.items() if answer.status_code == 417)
	assert f"优惠券 {code} 已被使用" in messages(answers[loser])
	fresh()
	assert frappe.db.get_value(COUPON, code, ["status", "sales_order"]) == ("Redeemed", winner)
	assert frappe.db.get_value("CRM Sales Order", loser, "docstatus") == 0
	assert frappe.db.get_value("CRM Sales Order", winner, "docstatus") == 1


def test_expired_coupons_are_refused_and_the_daily_job_expires_them(users, worker, coupon_type, product):
	sales = users["sales_a"]
	customer = customer_of(sales)
	stale, current = (
		issue(users["admin"], coupon_type, customer),
		issue(users["admin"], coupon_type, customer),
	)
	fresh()
	frappe.db.set_value(COUPON, stale, "valid_until", add_days(today(), -1), update_modified=False)
	frappe.db.commit()
	refused = order(sales, customer, product, stale)
	assert refused.status_code == 417 and f"Coupon {stale} expired on" in messages(refused)
	run_scheduled_job("crm_app.jobs.expire_coupons")
	assert frappe.db.get_value(COUPON, stale, "status") == "Expired"
	assert frappe.db.get_value(COUPON, current, "status") == "Issued"
	assert "expired on" in messages(order(sales, customer, product, stale))


def test_a_customers_contact_reads_their_own_coupons_in_the_portal(
	users, coupon_type, base_url, outgoing_email
):
	invited = invited_customer(users["sales_a"], "coupon")
	fresh()
	update_password(invited["user"], PASSWORD)
	frappe.db.commit()
	theirs = issue(users["admin"], coupon_type, invited["name"])
	foreign = issue(users["admin"], coupon_type, customer_of(users["sales_c"]))
	contact = portal_login(base_url, invited["user"])
	listed = contact.request("GET", "/my_coupons")
	assert listed.status_code == 200 and theirs in listed.text and foreign not in listed.text
	page = contact.request("GET", f"/my_coupons/{theirs}")
	assert page.status_code == 200 and "200.00" in page.text
	assert contact.request("GET", f"/my_coupons/{foreign}").status_code == 404
	assert contact.request("GET", f"/api/resource/{COUPON}/{theirs}").status_code in (403, 404)
