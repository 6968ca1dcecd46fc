"""The customer self-service portal over HTTP: a salesperson invites a customer's contact in one action; the
contact, a Website user, raises tickets, follows and answers them, and learns nothing of another customer's
tickets through the pages, REST, frappe.client, the lists' counts or the reply method; the desk stays closed."""

import re

import frappe
import pytest
from frappe.utils.password import update_password

from tests.integration.client import Client, messages
from tests.integration.conftest import (
	PASSWORD,
	SITE,
	email_of,
	fresh,
	settle,
	unique_mobile,
	unique_name,
)

TICKET = "CRM Ticket"


def ok(response, what=""):
	assert response.status_code == 200, f"{what}: {response.status_code} {messages(response)}"
	body = response.json()
	return body.get("data", body.get("message"))


def portal_login(base_url: str, user: str) -> Client:
	"""A browser-style session of a Website user: the CSRF token comes from a portal page, not the desk."""
	client = Client(base_url, SITE, user)
	assert client.request("POST", "/api/method/login", json={"usr": user, "pwd": PASSWORD}).ok
	page = client.request("GET", "/my_tickets")
	token = re.search(r'csrf_token\s*=\s*"([^"]+)"', page.text)
	assert page.status_code == 200 and token, page.status_code
	client.session.headers["X-Frappe-CSRF-Token"] = token.group(1)
	return client


def invited_customer(sales: Client, key: str) -> dict:
	"""A customer of `sales` with a contact invited to the portal through the desk's action."""
	address = f"portal-{key}-{frappe.generate_hash(length=6)}@customer.example.cn".lower()
	customer = ok(
		sales.insert(
			"CRM Customer",
			{
				"customer_name": unique_name(f"门户客户{key}"),
				"mobile_no": unique_mobile(),
				"contacts": [
					{"contact_name": f"联系人{key}", "email_id": address, "portal_user": email_of("portal")}
				],
			},
		),
		"customer",
	)
	contact = customer["contacts"][0]
	assert not contact.get("portal_user"), "only an invitation names a portal user"
	invited = ok(sales.post("crm_app.api.portal.invite", customer=customer["name"], contact=contact["name"]))
	assert invited["user"] == address and invited["mailed"]
	return {"name": customer["name"], "contact": contact["name"], "user": address}


@pytest.fixture(scope="module")
def portal(users, base_url, outgoing_email):
	a = invited_customer(users["sales_a"], "a")
	b = invited_customer(users["sales_c"], "b")
	fresh()
	for invited in (a, b):
		user = frappe.db.get_value("User", invited["user"], ["user_type", "language"], as_dict=True)
		assert user == {"user_type": "Website User", "language": "zh"}
		assert set(frappe.get_roles(invited["user"])) == {"CRM Customer", "Guest", "All"}
		assert (
			frappe.db.get_value("CRM Customer Contact", invited["contact"], "portal_user") == invited["user"]
		)
		update_password(invited["user"], PASSWORD)
	frappe.db.commit()
	a["client"], b["client"] = portal_login(base_url, a["user"]), portal_login(base_url, b["user"])
	a["ticket"] = ok(
		a["client"].post(
			"crm_app.api.portal.raise_ticket", subject="打印机卡纸", description="第一行\n第二行"
		)
	)["name"]
	b["ticket"] = ok(b["client"].post("crm_app.api.portal.raise_ticket", subject="无法开机"))["name"]
	return a, b


def test_the_invitation_mails_the_set_password_link(portal):
	a, _b = portal
	fresh()
	assert frappe.db.exists("Email Queue Recipient", {"recipient": a["user"]})


def test_invitations_are_refused_for_colleagues_hidden_customers_and_contacts_without_mail(users, portal):
	sales = users["sales_a"]
	_a, b = portal
	hidden = sales.post("crm_app.api.portal.invite", customer=b["name"], contact=b["contact"])
	missing = sales.post("crm_app.api.portal.invite", customer="门户不存在", contact=b["contact"])
	assert hidden.status_code == missing.status_code == 404
	customer = ok(
		sales.insert(
			"CRM Customer",
			{
				"customer_name": unique_name("门户同事"),
				"mobile_no": unique_mobile(),
				"contacts": [
					{"contact_name": "同事", "email_id": email_of("sales_b")},
					{"contact_name": "无邮箱", "mobile_no": unique_mobile()},
				],
			},
		)
	)
	colleague, no_mail = customer["contacts"]
	refused = sales.post("crm_app.api.portal.invite", customer=customer["name"], contact=colleague["name"])
	assert refused.status_code == 417 and "colleague" in messages(refused)
	refused = sales.post("crm_app.api.portal.invite", customer=customer["name"], contact=no_mail["name"])
	assert refused.status_code == 417 and "e-mail" in messages(refused)
	# Chinese for a Chinese-speaking salesperson
	zh = users["sales_b"].post("crm_app.api.portal.invite", customer="门户不存在", contact="x")
	assert zh.status_code == 404 and "未找到" in messages(zh)


def test_each_portal_user_sees_only_their_customer_s_tickets(portal):
	a, b = portal
	for me, other in ((a, b), (b, a)):
		client = me["client"]
		listed = {row["name"] for row in client.list(TICKET, fields=["name", "customer"])}
		assert listed == {me["ticket"]}
		own = ok(client.get_doc(TICKET, me["ticket"]))
		assert own["customer"] == me["name"] and own["channel"] == "Portal"
		assert client.get_doc(TICKET, other["ticket"]).status_code == 404
		assert client.get_doc(TICKET, "TKT-门户不存在").status_code == 404
		assert client.request("GET", f"/my_tickets/{me['ticket']}").status_code == 200
		assert client.request("GET", f"/my_tickets/{other['ticket']}").status_code == 404
		assert client.request("GET", "/my_tickets/TKT-门户不存在").status_code == 404
		page = client.request("GET", "/my_tickets")
		assert me["ticket"] in page.text and other["ticket"] not in page.text


def test_no_side_door_tells_one_customer_of_another_s_tickets(portal):
	a, b = portal
	client = a["client"]
	for method, args in (
		("frappe.client.get", {"doctype": TICKET}),
		("frappe.client.get_list", {"doctype": TICKET, "filters": "{}"}),
		("frappe.client.get_count", {"doctype": TICKET}),
		("frappe.desk.reportview.get_count", {"doctype": TICKET}),
		("frappe.desk.reportview.get", {"doctype": TICKET, "fields": '["name"]'}),
	):
		hidden = client.post(method, name=b["ticket"], **args)
		missing = client.post(method, name="TKT-门户不存在", **args)
		assert hidden.status_code == missing.status_code and hidden.status_code in (403, 404), method
		assert b["ticket"] not in hidden.text
	hidden = client.post("crm_app.api.portal.reply", ticket=b["ticket"], message="你好")
	missing = client.post("crm_app.api.portal.reply", ticket="TKT-门户不存在", message="你好")
	assert hidden.status_code == missing.status_code == 404
	assert messages(hidden).replace(b["ticket"], "?") == messages(missing).replace("TKT-门户不存在", "?")
	# a new ticket goes to one's own customer, whatever customer is named
	named = client.post("crm_app.api.portal.raise_ticket", subject="冒名", customer=b["name"])
	assert named.status_code == 417
	fresh()
	assert not frappe.db.exists(TICKET, {"customer": b["name"], "subject": "冒名"})


def test_a_portal_user_never_reaches_the_desk(portal):
	a, _b = portal
	desk = a["client"].request("GET", "/app", allow_redirects=False)
	assert desk.status_code in (302, 303, 403), desk.status_code


def test_a_reply_from_the_portal_resumes_a_ticket_waiting_on_the_customer(users, portal, worker):
	a, _b = portal
	agent = users["agent_east"]
	for action in ("Start Work", "Ask Customer"):
		doc = ok(agent.get_doc(TICKET, a["ticket"]), "read")
		ok(agent.post("frappe.model.workflow.apply_workflow", doc=doc, action=action), action)
	fresh()
	assert frappe.db.get_value(TICKET, a["ticket"], "status") == "Waiting on Customer"
	ok(a["client"].post("crm_app.api.portal.reply", ticket=a["ticket"], message="已经换了墨盒\n还是卡纸"))
	settle()
	assert frappe.db.get_value(TICKET, a["ticket"], "status") == "In Progress"
	page = a["client"].request("GET", f"/my_tickets/{a['ticket']}")
	assert "已经换了墨盒<br>还是卡纸" in page.text
	# the desk's comments stay on the desk
	ok(
		agent.post(
			"frappe.desk.form.utils.add_comment",
			reference_doctype=TICKET,
			reference_name=a["ticket"],
			content="内部备注：客户设备老旧",
			comment_email=email_of("agent_east"),
			comment_by="agent_east",
		)
	)
	assert "内部备注" not in a["client"].request("GET", f"/my_tickets/{a['ticket']}").text


# --------------------------------------------------------------------------------------------------------------
# The customer's deals: what was sent to them, read-only, and nothing still in the making


def deal_chain(users, customer: str, product: str) -> dict:
	"""As the salesperson makes them in the desk: an approved quotation and a draft one, a contract sent for
	signature and a draft one, a submitted order with its payment plan, and a payment against it."""
	sales = users["sales_a"]
	items = [{"product": product, "qty": 3}]
	sent = ok(sales.insert("CRM Quotation", {"customer": customer, "items": items}), "quotation")
	sent = ok(sales.post("frappe.model.workflow.apply_workflow", doc=sent, action="Approve"), "approve")
	draft = ok(sales.insert("CRM Quotation", {"customer": customer, "items": items}), "draft")
	contract = ok(sales.post("crm_app.api.deals.make_contract", quotation=sent["name"]), "contract")
	ok(sales.update("CRM Contract", contract["name"], {"signing_status": "Sent for Signature"}), "send")
	draft_contract = ok(
		sales.post("crm_app.api.deals.make_contract", quotation=sent["name"]), "draft contract"
	)
	order = ok(sales.post("crm_app.api.deals.make_sales_order", quotation=sent["name"]), "order")
	plan = [
		{"due_date": frappe.utils.today(), "amount": order["grand_total"], "is_deposit": 1, "note": "首付"}
	]
	ok(sales.update("CRM Sales Order", order["name"], {"payment_plan": plan, "docstatus": 1}), "submit order")
	payment = ok(sales.insert("CRM Payment", {"sales_order": order["name"], "amount": 10, "docstatus": 1}))
	return {
		"quotation": sent["name"],
		"draft": draft["name"],
		"contract": contract["name"],
		"draft_contract": draft_contract["name"],
		"order": order["name"],
		"payment": payment["name"],
	}


@pytest.fixture(scope="module")
def deals(users, portal):
	a, _b = portal
	product = "P-PORTAL"
	if not frappe.db.exists("CRM Product", product):
		ok(
			users["admin"].insert(
				"CRM Product",
				{
					"product_code": product,
					"product_name": "门户打印机",
					"list_price": 1200,
					"product_type": "Goods",
				},
			)
		)
	return deal_chain(users, a["name"], product)


def test_a_customer_reads_what_was_sent_to_them_and_nothing_in_the_making(portal, deals):
	a, b = portal
	for route, shown, hidden in (
		("my_quotations", deals["quotation"], deals["draft"]),
		("my_contracts", deals["contract"], deals["draft_contract"]),
		("my_orders", deals["order"], None),
		("my_payments", deals["payment"], None),
	):
		listing = a["client"].request("GET", f"/{route}")
		assert listing.status_code == 200 and shown in listing.text, route
		assert a["client"].request("GET", f"/{route}/{shown}").status_code == 200, route
		for client, name in ((a["client"], hidden), (b["client"], shown), (a["client"], "门户不存在")):
			if name:
				assert client.request("GET", f"/{route}/{name}").status_code == 404, (route, name)
				assert name not in client.request("GET", f"/{route}").text
	order = a["client"].request("GET", f"/my_orders/{deals['order']}").text
	assert "门户打印机" in order and deals["payment"] in order and "首付" in order
	quotation = a["client"].request("GET", f"/my_quotations/{deals['quotation']}").text
	assert "¥" in quotation and "3,600.00" in quotation and "max_discount" not in quotation
	# rich text shaped like JSON, which Frappe's sanitizer passes through untouched, is cleaned all the same
	payload = '["<b onmouseover=alert(1)>条款</b><script>alert(2)</script>"]'
	frappe.db.set_value("CRM Quotation", deals["quotation"], "terms", payload)
	frappe.db.commit()
	quotation = a["client"].request("GET", f"/my_quotations/{deals['quotation']}").text
	assert "条款" in quotation and "onmouseover" not in quotation and "<script>alert" not in quotation
	# a page for anything else is not found, whatever the address says
	assert a["client"].request("GET", "/my_records", params={"doctype": "CRM Customer"}).status_code == 404


def test_the_quotation_pdf_is_theirs_alone(portal, deals):
	a, b = portal
	pdf = a["client"].request(
		"GET", "/api/method/crm_app.api.portal.quotation_pdf", params={"name": deals["quotation"]}
	)
	assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), pdf.status_code
	refused = [
		client.request("GET", "/api/method/crm_app.api.portal.quotation_pdf", params={"name": name})
		for client, name in (
			(a["client"], deals["draft"]),
			(b["client"], deals["quotation"]),
			(b["client"], "QTN-无"),
		)
	]
	# Frappe answers a missing record of a DocType the user has no role for with 403: so does a hidden one
	assert len({response.status_code for response in refused}) == 1 and refused[0].status_code in (403, 404)
	assert messages(refused[1]).replace(deals["quotation"], "?") == messages(refused[2]).replace(
		"QTN-无", "?"
	)


def test_a_ticket_can_name_a_product_the_customer_ordered(portal, deals):
	a, b = portal
	assert "门户打印机" in a["client"].request("GET", "/my_tickets").text
	assert "门户打印机" not in b["client"].request("GET", "/my_tickets").text
	raised = ok(a["client"].post("crm_app.api.portal.raise_ticket", subject="打印机异响", product="P-PORTAL"))
	fresh()
	assert frappe.db.get_value(TICKET, raised["name"], ["product", "product_type"]) == ("P-PORTAL", "Goods")
	refused = b["client"].post("crm_app.api.portal.raise_ticket", subject="冒用产品", product="P-PORTAL")
	assert refused.status_code == 417 and "P-PORTAL" in messages(refused)
	fresh()
	assert not frappe.db.exists(TICKET, {"subject": "冒用产品"})


def test_attachments_go_both_ways_and_stay_with_their_customer(users, portal):
	a, b = portal
	uploaded = a["client"].request(
		"POST",
		"/api/method/crm_app.api.portal.attach",
		data={"ticket": a["ticket"]},
		files={"file": ("卡纸照片.png", b"\x89PNG\r\n\x1a\nportal", "image/png")},
	)
	file = ok(uploaded, "upload")["name"]
	# the desk's own attachments stay on the desk
	internal = users["agent_east"].request(
		"POST",
		"/api/method/upload_file",
		files={"file": ("内部记录.txt", "仅内部".encode(), "text/plain")},
		data={"doctype": TICKET, "docname": a["ticket"], "is_private": 1},
	)
	internal = ok(internal, "desk upload")["name"]
	page = a["client"].request("GET", f"/my_tickets/{a['ticket']}").text
	assert "卡纸照片.png" in page and "内部记录" not in page
	# nor does the desk's file show at its own address
	fresh()
	internal_url, own_url = (frappe.db.get_value("File", name, "file_url") for name in (internal, file))
	assert a["client"].request("GET", internal_url).status_code in (403, 404)
	assert a["client"].request("GET", own_url).content == b"\x89PNG\r\n\x1a\nportal"

	def download(client, ticket, name):
		return client.request(
			"GET", "/api/method/crm_app.api.portal.attachment", params={"ticket": ticket, "file": name}
		)

	got = download(a["client"], a["ticket"], file)
	assert got.status_code == 200 and got.content == b"\x89PNG\r\n\x1a\nportal"
	for client, ticket, name in (
		(a["client"], a["ticket"], internal),
		(b["client"], a["ticket"], file),
		(b["client"], b["ticket"], file),
	):
		assert download(client, ticket, name).status_code == 404, (ticket, name)
	# what may not be attached is refused in the customer's language, and nothing is kept
	refused = a["client"].request(
		"POST",
		"/api/method/crm_app.api.portal.attach",
		data={"ticket": a["ticket"]},
		files={"file": ("脚本.exe", b"MZ", "application/octet-stream")},
	)
	assert refused.status_code == 417 and "不能上传此类文件" in messages(refused)
	hidden = b["client"].request(
		"POST",
		"/api/method/crm_app.api.portal.attach",
		data={"ticket": a["ticket"]},
		files={"file": ("照片.png", b"\x89PNG", "image/png")},
	)
	assert hidden.status_code == 404
	fresh()
	assert not frappe.db.exists("File", {"file_name": ("in", ["脚本.exe", "照片.png"])})


def test_a_resolved_ticket_is_rated_from_its_page_once(users, portal):
	a, _b = portal
	ticket = ok(a["client"].post("crm_app.api.portal.raise_ticket", subject="需要评分的工单"))["name"]
	early = a["client"].post("crm_app.api.portal.rate", ticket=ticket, satisfaction=9)
	assert early.status_code == 417 and "解决后" in messages(early)
	agent = users["agent_east"]
	for action in ("Start Work", "Resolve"):
		doc = ok(agent.get_doc(TICKET, ticket), "read")
		if action == "Resolve":
			doc["resolution"] = "已更换搓纸轮"
		ok(agent.post("frappe.model.workflow.apply_workflow", doc=doc, action=action), action)
	assert "您对本次服务满意吗" in a["client"].request("GET", f"/my_tickets/{ticket}").text
	ok(a["client"].post("crm_app.api.portal.rate", ticket=ticket, satisfaction=9, feedback="很快"))
	again = a["client"].post("crm_app.api.portal.rate", ticket=ticket, satisfaction=1)
	assert again.status_code == 417
	fresh()
	assert frappe.db.get_value(TICKET, ticket, ["satisfaction", "feedback"]) == (9, "很快")
	assert "9 分" in a["client"].request("GET", f"/my_tickets/{ticket}").text
