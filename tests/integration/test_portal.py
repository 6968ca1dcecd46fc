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
