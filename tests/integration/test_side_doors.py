"""Regression tests for the side doors a reviewer found around the row rules, one per example; the access
matrix (test_access_matrix.py) covers their classes."""

import hashlib
import json

import frappe
from frappe.utils import add_days, today

from tests.integration.client import messages
from tests.integration.conftest import email_of, fresh, run_scheduled_job, unique_mobile, unique_name
from tests.integration.test_leads_and_pool import pool_lead


def customer_of(client, **values) -> str:
	response = client.insert("CRM Customer", {"customer_name": unique_name(), **values})
	assert response.status_code == 200, messages(response)
	return response.json()["data"]["name"]


def count(client, doctype: str, filters) -> tuple[int, object]:
	response = client.get("frappe.client.get_count", doctype=doctype, filters=json.dumps(filters))
	return response.status_code, response.json().get("message")


def test_counts_cannot_read_hidden_changes_one_guess_at_a_time(users):
	hidden = customer_of(users["sales_a"], remarks="秘密底价 8 折")
	assert users["sales_a"].update("CRM Customer", hidden, {"remarks": "秘密底价 7 折"}).status_code == 200
	for who in ("sales_b", "south_manager", "portal"):
		status, found = count(users[who], "Version", [["docname", "=", hidden], ["data", "like", "%7 折%"]])
		assert status == 403 or found == 0, who
		for doctype, field in (
			("Comment", "reference_name"),
			("File", "attached_to_name"),
			("ToDo", "reference_name"),
		):
			status, found = count(users[who], doctype, [[field, "=", hidden]])
			assert status == 403 or found == 0, (who, doctype)


def test_counting_needs_the_right_to_read(users):
	for who, doctype in (
		("sales_a", "CRM Settings"),
		("sales_a", "Deleted Document"),
		("sales_a", "Singles"),
		("warehouse", "CRM Lead"),
		("warehouse", "CRM Sales Stage"),
		("portal", "CRM Channel"),
	):
		status, _found = count(users[who], doctype, [])
		assert status in (403, 404), (who, doctype, status)


def test_link_titles_follow_the_row_rules(users):
	customer = customer_of(users["sales_a"])
	opportunity = users["sales_a"].insert(
		"CRM Opportunity", {"opportunity_name": "标题", "customer": customer, "stage": "初步接触"}
	)
	assert opportunity.status_code == 200, messages(opportunity)
	assert (
		users["sales_a"]
		.get("frappe.desk.search.get_link_title", doctype="CRM Customer", docname=customer)
		.json()["message"]
	)
	for who in ("sales_b", "portal", "warehouse"):
		title = users[who].get("frappe.desk.search.get_link_title", doctype="CRM Customer", docname=customer)
		assert not title.json().get("message"), who
	# the opportunity stays with sales_a while the customer moves to another team: its form names no customer
	assert (
		users["admin"].update("CRM Customer", customer, {"sales_owner": email_of("sales_c")}).status_code
		== 200
	)
	form = users["sales_a"].get(
		"frappe.desk.form.load.getdoc", doctype="CRM Opportunity", name=opportunity.json()["data"]["name"]
	)
	assert form.status_code == 200
	assert not form.json().get("_link_titles", {}).get(f"CRM Customer::{customer}")


def test_rule_tag_rows_have_names_nobody_can_guess(users, worker):
	customer = customer_of(users["sales_a"])
	for _ in range(3):
		interaction = {"customer": customer, "interaction_type": "Call", "summary": "意向强"}
		assert users["sales_a"].insert("CRM Interaction", interaction).status_code == 200
	run_scheduled_job("crm_app.jobs.analyse_customers_and_products")
	rows = frappe.get_all("CRM Customer Tag", {"parent": customer, "source": "Rule"}, ["name", "tag_rule"])
	assert rows
	for row in rows:
		assert row.name != hashlib.md5(f"{row.tag_rule}|{customer}".encode()).hexdigest()


def test_follows_end_when_the_record_moves_out_of_reach(users, worker):
	fresh()
	frappe.db.set_value("User", email_of("sales_a"), "document_follow_notify", 1)
	frappe.db.commit()
	customer = customer_of(users["sales_a"])
	follow = users["sales_a"].post(
		"frappe.desk.form.document_follow.update_follow",
		doctype="CRM Customer",
		doc_name=customer,
		following=1,
	)
	assert follow.status_code == 200
	fresh()
	assert frappe.db.exists("Document Follow", {"ref_docname": customer, "user": email_of("sales_a")})
	assert (
		users["admin"].update("CRM Customer", customer, {"sales_owner": email_of("sales_c")}).status_code
		== 200
	)
	run_scheduled_job("crm_app.jobs.forget_follows_of_hidden_records")
	assert not frappe.db.exists("Document Follow", {"ref_docname": customer, "user": email_of("sales_a")})


def test_a_payment_against_a_hidden_order_learns_nothing_of_it(users):
	sales = users["sales_a"]
	customer = customer_of(sales)
	if not frappe.db.exists("CRM Product", "P-SIDE"):
		users["admin"].insert(
			"CRM Product", {"product_code": "P-SIDE", "product_name": "侧门", "list_price": 100}
		)
	quotation = sales.insert(
		"CRM Quotation", {"customer": customer, "items": [{"product": "P-SIDE", "qty": 1}]}
	)
	quotation = sales.post(
		"frappe.model.workflow.apply_workflow", doc=quotation.json()["data"], action="Approve"
	)
	order = sales.post("crm_app.api.deals.make_sales_order", quotation=quotation.json()["message"]["name"])
	name = order.json()["message"]["name"]
	assert sales.update("CRM Sales Order", name, {"docstatus": 1}).status_code == 200

	hidden = users["sales_c"].insert("CRM Payment", {"sales_order": name, "amount": 999999, "docstatus": 1})
	missing = users["sales_c"].insert(
		"CRM Payment", {"sales_order": "SO-1999-00001", "amount": 999999, "docstatus": 1}
	)
	assert hidden.status_code == missing.status_code and 400 <= hidden.status_code < 500
	assert messages(hidden).replace(name, "X") == messages(missing).replace("SO-1999-00001", "X")
	assert "owed" not in messages(hidden)


def test_a_lead_cannot_claim_a_conversion_it_never_made(users):
	hidden = customer_of(users["sales_a"])
	mine = customer_of(users["sales_c"])
	for customer in (hidden, mine):
		response = users["sales_c"].insert(
			"CRM Lead",
			{
				"lead_name": "伪造",
				"status": "Converted",
				"converted_customer": customer,
				"mobile_no": unique_mobile(),
			},
		)
		assert response.status_code in (404, 417), messages(response)
		assert "Converted" not in str(response.json().get("data"))
	fresh()
	assert not frappe.db.exists("CRM Lead", {"converted_customer": ("in", [hidden, mine])})


def test_status_follows_the_stage_and_only_the_stage(users):
	sales = users["sales_a"]
	customer = customer_of(sales)
	created = sales.insert(
		"CRM Opportunity",
		{"opportunity_name": "直接赢单", "customer": customer, "stage": "初步接触", "status": "Won"},
	)
	assert created.status_code == 200
	name = created.json()["data"]["name"]
	assert created.json()["data"]["status"] == "Open"
	updated = sales.update("CRM Opportunity", name, {"status": "Won", "stage_history": []})
	assert updated.status_code == 200
	assert updated.json()["data"]["status"] == "Open"
	assert (
		len(updated.json()["data"]["stage_history"]) == 1
	)  # the stage log is the server's, not the client's


def test_the_won_gate_applies_from_a_lost_deal_too(users):
	sales = users["sales_a"]
	customer = customer_of(sales)
	opp = sales.insert(
		"CRM Opportunity",
		{
			"opportunity_name": "先输后赢",
			"customer": customer,
			"stage": "初步接触",
			"amount": 1000,
			"expected_close_date": add_days(today(), 30),
		},
	).json()["data"]["name"]
	lost = sales.update("CRM Opportunity", opp, {"stage": "输单", "lost_reason": "价格太高"})
	assert lost.status_code == 200, messages(lost)
	won = sales.update("CRM Opportunity", opp, {"stage": "赢单"})
	assert won.status_code == 417
	assert "CRM Contract" in messages(won)


def test_converting_a_pool_lead_claims_it_under_the_pool_rules(users):
	name = pool_lead()
	converted = users["sales_b"].post("crm_app.api.leads.convert", lead=name)
	assert converted.status_code == 200, messages(converted)
	fresh()
	assert frappe.db.get_value("CRM Lead", name, "lead_owner") == email_of("sales_b")
	assert frappe.db.exists(
		"CRM Pool Log", {"document_name": name, "action": "Claim", "user": email_of("sales_b")}
	)
	opportunity = converted.json()["message"]["opportunity"]
	assert frappe.db.get_value("CRM Opportunity", opportunity, "source_lead") == name

	admin = users["admin"]
	assert admin.update("CRM Settings", "CRM Settings", {"pool_daily_claim_limit": 1}).status_code == 200
	try:
		refused = users["sales_b"].post("crm_app.api.leads.convert", lead=pool_lead())
		assert refused.status_code == 417
	finally:
		admin.update("CRM Settings", "CRM Settings", {"pool_daily_claim_limit": 20})


def test_a_draft_order_ignores_forged_payments_and_status(users):
	sales = users["sales_a"]
	customer = customer_of(sales)
	if not frappe.db.exists("CRM Product", "P-SIDE"):
		users["admin"].insert(
			"CRM Product", {"product_code": "P-SIDE", "product_name": "侧门", "list_price": 100}
		)
	order = sales.insert(
		"CRM Sales Order",
		{
			"customer": customer,
			"items": [{"product": "P-SIDE", "qty": 2}],
			"paid_amount": 200,
			"outstanding_amount": 0,
			"payment_status": "Paid",
		},
	)
	assert order.status_code == 200, messages(order)
	data = order.json()["data"]
	assert (data["paid_amount"], data["payment_status"]) == (0, "Unpaid")
	assert data["outstanding_amount"] == data["grand_total"] > 0
	forged = sales.update("CRM Sales Order", data["name"], {"paid_amount": 999, "payment_status": "Paid"})
	assert forged.status_code == 200
	assert (forged.json()["data"]["paid_amount"], forged.json()["data"]["payment_status"]) == (0, "Unpaid")


def test_error_responses_carry_no_traceback(users):
	for response in (
		users["sales_a"].insert("CRM Customer", {"customer_name": ""}),
		users["sales_a"].get_doc("CRM Customer", "CUST-1999-99999"),
		users["sales_a"].post("frappe.desk.like.toggle_like"),
		users["portal"].get("frappe.client.get_list", doctype="CRM Customer"),
	):
		assert response.status_code in (403, 404, 417), response.text[:300]
		assert "Traceback" not in response.text and "exc" not in response.json(), response.text[:300]


def test_sorting_by_a_subquery_is_refused(users):
	for order_by in ("(select sleep(3))", "modified desc, (select 1)", "if(1,name,modified)"):
		response = users["sales_a"].request(
			"GET", "/api/resource/CRM Customer", params={"order_by": order_by, "limit_page_length": 5}
		)
		assert response.status_code == 417, order_by
		response = users["sales_a"].get(
			"frappe.desk.reportview.get", doctype="CRM Lead", fields='["name"]', order_by=order_by
		)
		assert response.status_code == 417, order_by
	assert (
		users["sales_a"]
		.request(
			"GET", "/api/resource/CRM Customer", params={"order_by": "`tabCRM Customer`.`modified` desc"}
		)
		.status_code
		== 200
	)


def test_chart_figures_are_computed_for_each_user(users):
	for _ in range(3):
		users["sales_d"].insert(
			"CRM Lead",
			{"lead_name": unique_name("图表"), "mobile_no": unique_mobile(), "source_channel": "官网"},
		)

	def figures(who, refresh):
		response = users[who].post(
			"frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
			chart_name="CRM Leads by Channel",
			refresh=refresh,
		)
		assert response.status_code == 200, messages(response)
		return sum(sum(dataset["values"]) for dataset in response.json()["message"]["datasets"])

	team = figures("east_manager", 1)
	own = figures("sales_c", 0)
	assert own == len(users["sales_c"].list("CRM Lead"))
	assert team != own


def test_the_quotation_print_escapes_what_was_typed(users):
	sales = users["sales_a"]
	customer = customer_of(sales, customer_name=f"<i>斜体</i>{frappe.generate_hash(length=6)}贸易有限公司")
	if not frappe.db.exists("CRM Product", "P-SIDE"):
		users["admin"].insert(
			"CRM Product", {"product_code": "P-SIDE", "product_name": "侧门", "list_price": 100}
		)
	quotation = sales.insert(
		"CRM Quotation", {"customer": customer, "items": [{"product": "P-SIDE", "qty": 1}]}
	)
	html = sales.get(
		"frappe.www.printview.get_html_and_style",
		doc="CRM Quotation",
		name=quotation.json()["data"]["name"],
		print_format="CRM Quotation CN",
	)
	assert html.status_code == 200, html.text[:300]
	body = html.json()["message"]["html"]
	assert "贸易有限公司" in body and "<i>斜体</i>" not in body


def test_a_private_file_cannot_be_taken_by_attaching_its_address(users):
	mine = customer_of(users["sales_a"])
	upload = users["sales_a"].request(
		"POST",
		"/api/method/upload_file",
		files={
			"file": (
				f"底价表{frappe.generate_hash(length=6)}.txt",
				f"底价 {frappe.generate_hash()}".encode(),
				"text/plain",
			)
		},
		data={"doctype": "CRM Customer", "docname": mine, "is_private": 1},
	)
	assert upload.status_code == 200, upload.text
	url = upload.json()["message"]["file_url"]
	theirs = customer_of(users["sales_c"])
	stolen = users["sales_c"].request(
		"POST",
		"/api/method/upload_file",
		data={"file_url": url, "doctype": "CRM Customer", "docname": theirs, "is_private": 1},
	)
	assert stolen.status_code in (403, 404), stolen.text[:300]
	as_portal = users["portal"].insert("File", {"file_url": url, "is_private": 1})
	assert as_portal.status_code in (403, 404)
	assert users["sales_c"].request("GET", url).status_code == 403
	assert users["sales_a"].request("GET", url).status_code == 200


def test_charts_are_only_those_saved(users):
	adhoc = {
		"name": "x",
		"chart_type": "Count",
		"type": "Heatmap",
		"document_type": "CRM Customer",
		"based_on": "creation",
		"filters_json": "[]",
	}
	response = users["sales_c"].post(
		"frappe.desk.doctype.dashboard_chart.dashboard_chart.get", chart=json.dumps(adhoc), no_cache=1
	)
	assert response.status_code == 403


def test_the_kanban_board_keeps_no_card_names(users):
	board = users["sales_c"].get_doc("Kanban Board", "CRM Opportunity Funnel")
	assert board.status_code == 200
	assert all(not json.loads(column.get("order") or "[]") for column in board.json()["data"]["columns"])
	hidden = users["sales_a"].insert(
		"CRM Opportunity",
		{"opportunity_name": "看板", "customer": customer_of(users["sales_a"]), "stage": "初步接触"},
	)
	name = hidden.json()["data"]["name"]
	moved = users["sales_c"].post(
		"frappe.desk.doctype.kanban_board.kanban_board.update_order",
		board_name="CRM Opportunity Funnel",
		order=json.dumps({"需求确认": [name]}),
	)
	assert moved.status_code == 200 and moved.json()["message"][1] == []
	fresh()
	assert frappe.db.get_value("CRM Opportunity", name, "stage") == "初步接触"
	board = users["sales_c"].get_doc("Kanban Board", "CRM Opportunity Funnel")
	assert all(not json.loads(column.get("order") or "[]") for column in board.json()["data"]["columns"])


def test_an_assignment_rule_named_by_a_client_gives_no_pool_record_away(users):
	name = pool_lead()
	for attempt in (
		lambda: users["sales_c"].post(
			"frappe.client.insert",
			doc={
				"doctype": "ToDo",
				"reference_type": "CRM Lead",
				"reference_name": name,
				"allocated_to": email_of("sales_c"),
				"assignment_rule": "CRM Lead Round Robin",
			},
		),
		lambda: users["sales_c"].post(
			"frappe.desk.form.assign_to.add",
			doctype="CRM Lead",
			name=name,
			assign_to=[email_of("sales_c")],
			assignment_rule="CRM Lead Round Robin",
		),
	):
		attempt()
		fresh()
		assert not frappe.db.get_value("CRM Lead", name, "lead_owner")


def test_malformed_arguments_get_a_4xx(users):
	sales = users["sales_a"]
	customer = customer_of(sales)
	for response in (
		sales.request("POST", "/api/method/run_doc_method", json={"method": "apply_now", "docs": "[1]"}),
		sales.post(
			"frappe.client.set_value",
			doctype="CRM Customer",
			name=customer,
			fieldname="remarks",
			value="9" * 5000,
		),
		sales.post(
			"frappe.client.set_value",
			doctype="CRM Customer",
			name=customer,
			fieldname="interaction_count",
			value="9" * 5000,
		),
		sales.post(
			"frappe.desk.query_report.run",
			report_name="CRM Overdue Follow-ups",
			filters='{"allocated_to": ["a"]}',
		),
		sales.get("frappe.desk.search.search_link", doctype="CRM Customer", txt="x", filters="{bad"),
		sales.get("frappe.desk.reportview.get", doctype="CRM Customer", fields="[bad"),
		sales.get("frappe.desk.form.utils.get_next", doctype="CRM Customer", value=customer, prev="abc"),
		sales.get(
			"frappe.desk.form.utils.get_next",
			doctype="CRM Customer",
			value=customer,
			prev=0,
			sort_field="nope",
		),
	):
		assert 400 <= response.status_code < 500 or response.status_code == 200, response.text[:300]
		assert "Traceback" not in response.text


def test_a_pdf_the_server_cannot_render_says_why(users):
	from frappe.installer import update_site_config

	from tests.integration.conftest import SITE, SITES

	sales = users["sales_a"]
	customer = customer_of(sales)
	if not frappe.db.exists("CRM Product", "P-SIDE"):
		users["admin"].insert(
			"CRM Product", {"product_code": "P-SIDE", "product_name": "侧门", "list_price": 100}
		)
	quotation = sales.insert(
		"CRM Quotation", {"customer": customer, "items": [{"product": "P-SIDE", "qty": 1}]}
	)
	own_address = frappe.local.conf.host_name
	config = str(SITES / SITE / "site_config.json")
	update_site_config("host_name", "http://crm.unreachable.invalid", site_config_path=config)
	try:
		pdf = sales.get(
			"frappe.utils.print_format.download_pdf",
			doctype="CRM Quotation",
			name=quotation.json()["data"]["name"],
			format="CRM Quotation CN",
		)
	finally:
		update_site_config("host_name", own_address, site_config_path=config)
	assert pdf.status_code == 417, pdf.text[:300]
	assert "host_name" in messages(pdf)
