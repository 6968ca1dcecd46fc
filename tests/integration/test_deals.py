"""Quotation → approval → contract → order → payment, with the notifications each step triggers."""

import io
import threading

import frappe
import pytest
from frappe.utils import today
from pypdf import PdfReader

from tests.integration.client import messages
from tests.integration.conftest import email_of, fresh, unique_name, wait_for


@pytest.fixture(scope="module")
def products(users):
	codes = []
	for code, name, price in (("P-TEA-01", "西湖龙井 250g", "398.00"), ("P-CUP-02", "青瓷茶杯", "33.33")):
		if users["admin"].get_doc("CRM Product", code).status_code != 200:
			response = users["admin"].insert(
				"CRM Product", {"product_code": code, "product_name": name, "list_price": price, "unit": "件"}
			)
			assert response.status_code == 200, messages(response)
		codes.append(code)
	return codes


def customer_and_opportunity(client) -> tuple[str, str]:
	customer = client.insert(
		"CRM Customer",
		{
			"customer_name": unique_name(),
			"province": "浙江",
			"city": "杭州",
			"district": "西湖",
			"address_line": "文三路 90 号",
		},
	)
	assert customer.status_code == 200, messages(customer)
	name = customer.json()["data"]["name"]
	opp = client.insert(
		"CRM Opportunity", {"opportunity_name": "茶叶批发", "customer": name, "stage": "初步接触"}
	)
	assert opp.status_code == 200, messages(opp)
	return name, opp.json()["data"]["name"]


def quotation(client, customer, opportunity, products, discount=0) -> dict:
	response = client.insert(
		"CRM Quotation",
		{
			"customer": customer,
			"opportunity": opportunity,
			"tax_rate": 13,
			"items": [
				{"product": products[0], "qty": 3, "discount_percent": discount},
				{"product": products[1], "qty": 7},
			],
		},
	)
	assert response.status_code == 200, messages(response)
	return response.json()["data"]


def apply(client, doc: dict, action: str):
	return client.post("frappe.model.workflow.apply_workflow", doc=doc, action=action)


def test_quotation_totals_are_exact_to_the_fen(users, products):
	customer, opp = customer_and_opportunity(users["sales_a"])
	q = quotation(users["sales_a"], customer, opp, products, discount=5)
	# 398.00 × 95% = 378.10 × 3 = 1134.30; 33.33 × 7 = 233.31; net 1367.61; VAT 13% = 177.79 (177.7893)
	assert [row["amount"] for row in q["items"]] == [1134.30, 233.31]
	assert (q["total"], q["discount_amount"], q["net_total"]) == (1427.31, 59.70, 1367.61)
	assert (q["tax_amount"], q["grand_total"]) == (177.79, 1545.40)
	assert q["needs_approval"] == 0


def test_bad_lines_are_refused(users, products):
	customer, _opportunity = customer_and_opportunity(users["sales_a"])
	for item, expected in (
		({"product": products[0], "qty": -1}, "Quantity must be greater than zero"),
		({"product": products[0], "qty": 1, "discount_percent": 120}, "Discount must be between 0 and 100%"),
		({"product": products[0], "qty": 1, "list_price": -5}, "Price cannot be negative"),
	):
		response = users["sales_a"].insert("CRM Quotation", {"customer": customer, "items": [item]})
		assert response.status_code == 417, item
		assert expected in messages(response)


def test_small_discount_is_approved_by_the_salesperson(users, products):
	customer, opp = customer_and_opportunity(users["sales_a"])
	q = quotation(users["sales_a"], customer, opp, products, discount=10)
	response = apply(users["sales_a"], q, "Approve")
	assert response.status_code == 200, messages(response)
	assert response.json()["message"]["workflow_state"] == "Approved"
	assert response.json()["message"]["docstatus"] == 1


def test_large_discount_needs_a_managers_approval(users, products):
	customer, opp = customer_and_opportunity(users["sales_a"])
	q = quotation(users["sales_a"], customer, opp, products, discount=25)
	assert q["needs_approval"] == 1
	assert apply(users["sales_a"], q, "Approve").status_code == 417  # no such transition for them
	direct = users["sales_a"].update("CRM Quotation", q["name"], {"docstatus": 1})
	assert direct.status_code in (403, 417)
	pending = apply(users["sales_a"], q, "Submit for Approval")
	assert pending.status_code == 200, messages(pending)
	assert pending.json()["message"]["workflow_state"] == "Pending Approval"
	other_team = apply(users["south_manager"], pending.json()["message"], "Approve")
	assert other_team.status_code in (403, 404)
	approved = apply(users["east_manager"], pending.json()["message"], "Approve")
	assert approved.status_code == 200, messages(approved)
	assert approved.json()["message"]["workflow_state"] == "Approved"


def test_approved_quotation_prints_as_a_chinese_pdf(users, products):
	customer, opp = customer_and_opportunity(users["sales_a"])
	q = apply(users["sales_a"], quotation(users["sales_a"], customer, opp, products), "Approve").json()
	name = q["message"]["name"]
	html = users["sales_a"].get(
		"frappe.www.printview.get_html_and_style",
		doc="CRM Quotation",
		name=name,
		print_format="CRM Quotation CN",
		_lang="zh",
	)
	assert html.status_code == 200, html.text
	body = html.json()["message"]["html"]
	assert "报价单" in body and "西湖龙井" in body and "1,612.86" in body
	assert "壹仟陆佰壹拾贰元捌角陆分" in body  # 1612.86 in capitals

	params = {"doctype": "CRM Quotation", "name": name, "format": "CRM Quotation CN", "language": "zh"}
	pdf = users["sales_a"].request("GET", "/api/method/frappe.utils.print_format.download_pdf", params=params)
	assert pdf.status_code == 200, pdf.text[:3000]
	text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
	# text extraction maps some glyphs of the CJK font to look-alike code points, so check plain characters
	assert "报价单" in text and "价税合计" in text and "壹仟陆佰壹拾贰元捌" in text
	hidden = users["sales_c"].request(
		"GET", "/api/method/frappe.utils.print_format.download_pdf", params=params
	)
	assert hidden.status_code == 404


def test_the_whole_chain_with_payments_and_notifications(users, products, worker):
	sales = users["sales_a"]
	customer, opp = customer_and_opportunity(sales)
	q = apply(sales, quotation(sales, customer, opp, products), "Approve").json()["message"]

	contract = sales.post("crm_app.api.deals.make_contract", quotation=q["name"])
	assert contract.status_code == 200, messages(contract)
	contract = contract.json()["message"]
	assert contract["contract_amount"] == q["grand_total"]
	unsigned = sales.update("CRM Contract", contract["name"], {"signing_status": "Signed"})
	assert unsigned.status_code == 417  # the date it was signed is needed
	assert (
		sales.update(
			"CRM Contract", contract["name"], {"signing_status": "Signed", "signed_date": today()}
		).status_code
		== 200
	)

	order = sales.post("crm_app.api.deals.make_sales_order", contract=contract["name"])
	assert order.status_code == 200, messages(order)
	order = order.json()["message"]
	assert (
		order["grand_total"] == q["grand_total"]
		and order["shipping_address"] == "浙江省杭州市西湖区文三路 90 号"
	)
	bad_plan = sales.update(
		"CRM Sales Order", order["name"], {"payment_plan": [{"due_date": today(), "amount": 100}]}
	)
	assert bad_plan.status_code == 417
	plan = [
		{"due_date": today(), "amount": 500, "is_deposit": 1},
		{"due_date": today(), "amount": round(q["grand_total"] - 500, 2)},
	]
	saved = sales.update("CRM Sales Order", order["name"], {"payment_plan": plan, "docstatus": 1})
	assert saved.status_code == 200, messages(saved)

	deposit = sales.insert(
		"CRM Payment", {"sales_order": order["name"], "amount": 500, "is_deposit": 1, "docstatus": 1}
	)
	assert deposit.status_code == 200, messages(deposit)
	fresh()
	assert frappe.db.get_value("CRM Sales Order", order["name"], "payment_status") == "Deposit Paid"
	deposit_name = deposit.json()["data"]["name"]
	wait_for(
		lambda: frappe.db.exists(
			"Notification Log", {"for_user": email_of("warehouse"), "document_name": deposit_name}
		),
		what="the warehouse to be told about the deposit",
	)

	over = sales.insert(
		"CRM Payment", {"sales_order": order["name"], "amount": q["grand_total"], "docstatus": 1}
	)
	assert over.status_code == 417
	assert "more than the" in messages(over)
	negative = sales.insert("CRM Payment", {"sales_order": order["name"], "amount": -1})
	assert negative.status_code == 417

	warehouse = users["warehouse"]
	# after submission the warehouse moves the goods, nothing else
	assert warehouse.update(
		"CRM Sales Order", order["name"], {"delivery_date": "2030-01-01"}
	).status_code in (403, 417)
	assert (
		sales.post(
			"crm_app.api.deals.set_delivery_status", sales_order=order["name"], status="Shipped"
		).status_code
		== 403
	)
	shipped = warehouse.post(
		"crm_app.api.deals.set_delivery_status", sales_order=order["name"], status="Shipped"
	)
	assert shipped.status_code == 200, messages(shipped)
	wait_for(
		lambda: frappe.db.exists(
			"Notification Log",
			{
				"for_user": email_of("sales_a"),
				"document_name": order["name"],
				"subject": ("like", "%shipped%"),
			},
		),
		what="the salesperson to be reminded to confirm receipt",
	)
	back = warehouse.post(
		"crm_app.api.deals.set_delivery_status", sales_order=order["name"], status="To Ship"
	)
	assert back.status_code == 417
	received = sales.post(
		"crm_app.api.deals.set_delivery_status", sales_order=order["name"], status="Received"
	)
	assert received.status_code == 200, messages(received)
	assert received.json()["message"]["received_at"]

	rest = round(q["grand_total"] - 500, 2)
	final = sales.insert("CRM Payment", {"sales_order": order["name"], "amount": rest, "docstatus": 1})
	assert final.status_code == 200, messages(final)
	fresh()
	paid = frappe.db.get_value(
		"CRM Sales Order",
		order["name"],
		["payment_status", "paid_amount", "outstanding_amount"],
		as_dict=True,
	)
	assert (paid.payment_status, float(paid.paid_amount), float(paid.outstanding_amount)) == (
		"Paid",
		q["grand_total"],
		0.0,
	)
	wait_for(
		lambda: frappe.db.exists(
			"Notification Log", {"for_user": email_of("finance"), "document_name": order["name"]}
		),
		what="finance to be told the order is paid",
	)

	won = sales.update("CRM Opportunity", opp, {"stage": "赢单"})
	assert won.status_code == 200, messages(won)
	wait_for(
		lambda: frappe.db.exists("Notification Log", {"for_user": email_of("finance"), "document_name": opp}),
		what="finance to be told the deal was won",
	)

	chain = sales.get("crm_app.api.customers.get_deal_chain", customer=customer).json()["message"]
	assert [row["name"] for row in chain["CRM Quotation"]] == [q["name"]]
	assert chain["CRM Sales Order"][0]["payment_status"] == "Paid"
	assert len(chain["CRM Payment"]) == 2
	assert users["sales_c"].get("crm_app.api.customers.get_deal_chain", customer=customer).status_code == 404
	for doctype in ("CRM Quotation", "CRM Contract", "CRM Sales Order", "CRM Payment"):
		assert not users["sales_c"].list(doctype, filters=[["customer", "=", customer]]), doctype
		assert users["east_manager"].list(doctype, filters=[["customer", "=", customer]]), doctype


def test_simultaneous_payments_never_overpay(users, products):
	sales = users["sales_a"]
	customer, opp = customer_and_opportunity(sales)
	q = apply(sales, quotation(sales, customer, opp, products), "Approve").json()["message"]
	order = sales.post("crm_app.api.deals.make_sales_order", quotation=q["name"]).json()["message"]
	assert sales.update("CRM Sales Order", order["name"], {"docstatus": 1}).status_code == 200
	results, barrier = [], threading.Barrier(3)

	def pay():
		barrier.wait()
		results.append(
			sales.insert("CRM Payment", {"sales_order": order["name"], "amount": 1000, "docstatus": 1})
		)

	threads = [threading.Thread(target=pay) for _ in range(3)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()
	fresh()
	paid = frappe.db.get_value("CRM Sales Order", order["name"], "paid_amount")
	assert float(paid) <= q["grand_total"]
	assert sorted(r.status_code for r in results) == [200, 417, 417]
