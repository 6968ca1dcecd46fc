"""The e-invoice hand-off (数电发票): a fully paid order, or finance, asks for the invoice; the worker sends the
request to the provider set in CRM Settings (a fake gateway here) and the issued number shows on the order;
failures are shown to finance, tried again, and retried by hand."""

import threading
from decimal import Decimal
from itertools import count

import frappe
import pytest

from crm_app.domain.einvoice import signature
from tests.integration.client import messages
from tests.integration.conftest import fresh, run_scheduled_job, settle, unique_name, unique_uscc

APP_ID, SECRET = "crm-test-app", "crm-test-secret"
REQUEST = "CRM Invoice Request"
numbers = count(26330000000000000001)


@pytest.fixture(scope="module")
def product(users):
	if users["admin"].get_doc("CRM Product", "P-EINV-01").status_code != 200:
		response = users["admin"].insert(
			"CRM Product",
			{"product_code": "P-EINV-01", "product_name": "白茶礼盒", "list_price": "258.00", "unit": "盒"},
		)
		assert response.status_code == 200, messages(response)
	return "P-EINV-01"


def signed(request) -> bool:
	headers = {name: request.header(name) for name in ("X-App-Id", "X-Timestamp", "X-Nonce", "X-Signature")}
	expected = signature(
		SECRET, APP_ID, request.method, request.path, headers["X-Timestamp"], headers["X-Nonce"], request.body
	)
	return headers["X-App-Id"] == APP_ID and headers["X-Signature"] == expected


def issue(request):
	assert signed(request), "the site signs its requests"
	return {"status": "issued", "invoice_no": str(next(numbers)), "invoice_date": "2026-12-07"}


@pytest.fixture
def provider(users, gateway):
	"""CRM Settings point at the fake gateway, which issues every signed request; e-invoicing off afterwards."""
	gateway.route("/invoices", issue, method="POST")
	settings = {
		"einvoice_on_full_payment": 1,
		"einvoice_invoice_type": "Electronic Special",
		"einvoice_provider": "HTTP JSON",
		"einvoice_url": gateway.url,
		"einvoice_app_id": APP_ID,
		"einvoice_secret": SECRET,
		"company_name": "杭州测试科技有限公司",
	}
	response = users["admin"].update("CRM Settings", "CRM Settings", settings)
	assert response.status_code == 200, messages(response)
	yield gateway
	settle()
	off = users["admin"].update(
		"CRM Settings", "CRM Settings", {"einvoice_on_full_payment": 0, "einvoice_url": ""}
	)
	assert off.status_code == 200, messages(off)


def submitted_order(client, product, uscc: str | None = None) -> dict:
	customer = client.insert("CRM Customer", {"customer_name": unique_name(), "uscc": uscc})
	assert customer.status_code == 200, messages(customer)
	order = client.insert(
		"CRM Sales Order",
		{
			"customer": customer.json()["data"]["name"],
			"tax_rate": 13,
			"items": [{"product": product, "qty": 3}],
			"docstatus": 1,
		},
	)
	assert order.status_code == 200, messages(order)
	return order.json()["data"]


def pay(client, order: str, amount) -> None:
	payment = client.insert("CRM Payment", {"sales_order": order, "amount": amount, "docstatus": 1})
	assert payment.status_code == 200, messages(payment)


def sent_about(provider, path: str, key: str, value: str) -> list:
	"""What the site sent to `path` about one order or request: requests left due by earlier suites on the same
	site may reach the gateway in the same pass."""
	return [request for request in provider.requests_to(path) if (request.json or {}).get(key) == value]


def requests_of(order: str) -> list[dict]:
	fresh()
	return frappe.get_all(REQUEST, filters={"sales_order": order}, fields=["*"])


def test_a_fully_paid_order_gets_its_invoice_number(users, product, provider, worker):
	sales, finance = users["sales_a"], users["finance"]
	uscc = unique_uscc()
	order = submitted_order(sales, product, uscc)
	pay(sales, order["name"], 100)
	settle()
	assert not requests_of(order["name"]), "a partly paid order asks for no invoice"

	pay(sales, order["name"], round(order["grand_total"] - 100, 2))
	settle()
	[request] = requests_of(order["name"])
	[sent] = sent_about(provider, "/invoices", "order_no", order["name"])
	assert sent.json["request_id"] == request.name and sent.json["order_no"] == order["name"]
	assert sent.json["invoice_type"] == "special"
	assert sent.json["buyer"] == {"name": order["customer_name"], "tax_id": uscc}
	assert sent.json["seller"]["name"] == "杭州测试科技有限公司"
	assert Decimal(sent.json["total_amount"]) == Decimal(str(order["grand_total"]))
	assert Decimal(sent.json["amount"]) + Decimal(sent.json["tax_amount"]) == Decimal(
		str(order["grand_total"])
	)
	assert sent.json["items"][0]["name"] == "白茶礼盒" and sent.json["items"][0]["unit"] == "盒"

	seen = finance.get_doc(REQUEST, request.name).json()["data"]
	assert (seen["status"], seen["attempts"], seen["invoice_date"]) == ("Issued", 1, "2026-12-07")
	assert (
		finance.get_doc("CRM Sales Order", order["name"]).json()["data"]["invoice_no"] == seen["invoice_no"]
	)

	# the salesperson sees their customer's request; another salesperson sees nothing of it
	assert [r["name"] for r in sales.list(REQUEST, filters=[["sales_order", "=", order["name"]]])] == [
		request.name
	]
	assert not users["sales_c"].list(REQUEST, filters=[["sales_order", "=", order["name"]]])
	assert users["sales_c"].get_doc(REQUEST, request.name).status_code == 404
	assert users["east_manager"].get_doc(REQUEST, request.name).status_code == 200

	# a client cannot write the number, on the order or the request
	forged = finance.update(REQUEST, request.name, {"invoice_no": "1", "status": "Failed"})
	assert forged.status_code in (200, 417), messages(forged)
	fresh()
	assert frappe.db.get_value(REQUEST, request.name, ["invoice_no", "status"]) == (
		seen["invoice_no"],
		"Issued",
	)

	again = finance.post("crm_app.api.invoices.request_invoice", sales_order=order["name"])
	assert again.status_code == 200, messages(again)
	assert again.json()["message"]["name"] == request.name
	settle()
	assert (
		len(requests_of(order["name"])) == 1
		and len(sent_about(provider, "/invoices", "order_no", order["name"])) == 1
	)


def test_a_failed_request_is_shown_to_finance_and_retried(users, product, provider, worker):
	sales, finance = users["sales_a"], users["finance"]
	order = submitted_order(sales, product, unique_uscc())

	def ours(request) -> bool:
		return (request.json or {}).get("order_no") == order["name"]

	provider.fail_next(1, status=503, when=ours)
	asked = finance.post("crm_app.api.invoices.request_invoice", sales_order=order["name"])
	assert asked.status_code == 200, messages(asked)
	name = asked.json()["message"]["name"]
	settle()
	failed = finance.get_doc(REQUEST, name).json()["data"]
	assert (failed["status"], failed["attempts"]) == ("Failed", 1)
	assert "HTTP 503" in failed["last_error"] and failed["next_retry_at"], "tried again by itself later"
	assert finance.list(REQUEST, filters=[["status", "=", "Failed"], ["name", "=", name]])

	# the scheduler tries again once the wait is over; a refusal then waits for finance
	provider.fail_next(1, status=400, body={"message": "购买方税号不存在"}, when=ours)
	fresh()
	frappe.db.set_value(REQUEST, name, "next_retry_at", "2026-01-01 00:00:00", update_modified=False)
	frappe.db.commit()
	run_scheduled_job("crm_app.jobs.send_invoice_requests")
	refused = finance.get_doc(REQUEST, name).json()["data"]
	assert (refused["status"], refused["attempts"], refused.get("next_retry_at")) == ("Failed", 2, None)
	assert refused["last_error"] == "HTTP 400: 购买方税号不存在"
	assert not finance.get_doc("CRM Sales Order", order["name"]).json()["data"].get("invoice_no")

	assert sales.post("crm_app.api.invoices.retry", invoice_request=name).status_code == 403
	assert users["sales_c"].post("crm_app.api.invoices.retry", invoice_request=name).status_code == 404
	retried = finance.post("crm_app.api.invoices.retry", invoice_request=name)
	assert retried.status_code == 200, messages(retried)
	settle()
	issued = finance.get_doc(REQUEST, name).json()["data"]
	assert (issued["status"], issued["attempts"], issued.get("last_error")) == ("Issued", 1, None)
	assert (
		finance.get_doc("CRM Sales Order", order["name"]).json()["data"]["invoice_no"] == issued["invoice_no"]
	)
	sent = sent_about(provider, "/invoices", "order_no", order["name"])
	assert all(signed(request) for request in sent)
	assert len(sent) == 3 and {request.json["request_id"] for request in sent} == {name}

	settled = finance.post("crm_app.api.invoices.retry", invoice_request=name)
	assert settled.status_code == 417 and "Only a failed" in messages(settled)


def test_an_invoice_the_provider_is_still_issuing_is_asked_about_later(users, product, provider, worker):
	provider.route("/invoices", {"status": "processing"}, method="POST")
	provider.route("/invoices/query", issue, method="POST")
	finance = users["finance"]
	order = submitted_order(users["sales_a"], product)
	name = finance.post("crm_app.api.invoices.request_invoice", sales_order=order["name"]).json()["message"][
		"name"
	]
	settle()
	requested = finance.get_doc(REQUEST, name).json()["data"]
	assert requested["status"] == "Requested" and requested["next_retry_at"]
	# a customer without a tax ID gets an ordinary invoice, though special ones are preferred
	assert requested["invoice_type"] == "Electronic Ordinary"

	fresh()
	frappe.db.set_value(REQUEST, name, "next_retry_at", "2026-01-01 00:00:00", update_modified=False)
	frappe.db.commit()
	run_scheduled_job("crm_app.jobs.send_invoice_requests")
	assert [request.json for request in sent_about(provider, "/invoices/query", "request_id", name)] == [
		{"request_id": name}
	]
	issued = finance.get_doc(REQUEST, name).json()["data"]
	assert issued["status"] == "Issued"
	assert (
		finance.get_doc("CRM Sales Order", order["name"]).json()["data"]["invoice_no"] == issued["invoice_no"]
	)


def test_asking_by_hand(users, product, provider, worker):
	sales, finance = users["sales_a"], users["finance"]
	order = submitted_order(sales, product)
	assert sales.post("crm_app.api.invoices.request_invoice", sales_order=order["name"]).status_code == 403
	assert (
		users["sales_c"].post("crm_app.api.invoices.request_invoice", sales_order=order["name"]).status_code
		== 404
	)
	special = finance.post(
		"crm_app.api.invoices.request_invoice", sales_order=order["name"], invoice_type="Electronic Special"
	)
	assert special.status_code == 417 and "tax ID" in messages(special)
	draft = sales.insert(
		"CRM Sales Order", {"customer": order["customer"], "items": [{"product": product, "qty": 1}]}
	).json()["data"]
	unsubmitted = finance.post("crm_app.api.invoices.request_invoice", sales_order=draft["name"])
	assert unsubmitted.status_code == 417 and "submitted" in messages(unsubmitted)
	assert not requests_of(order["name"]) and not requests_of(draft["name"])

	answers, barrier = [], threading.Barrier(2)

	def ask():
		barrier.wait()
		answers.append(
			finance.post(
				"crm_app.api.invoices.request_invoice", sales_order=order["name"], buyer_title="王伟（个人）"
			)
		)

	threads = [threading.Thread(target=ask) for _ in range(2)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()
	assert [answer.status_code for answer in answers] == [200, 200], [messages(a) for a in answers]
	assert len({answer.json()["message"]["name"] for answer in answers}) == 1
	settle()
	[request] = requests_of(order["name"])
	assert (request.status, request.buyer_title) == ("Issued", "王伟（个人）")
	assert [sent.json["buyer"] for sent in sent_about(provider, "/invoices", "order_no", order["name"])] == [
		{"name": "王伟（个人）", "tax_id": ""}
	]
