"""Tickets (工单) over REST, as the service desk and the sales side use them: a new ticket goes to the team whose
routing matches and to one of its agents through Frappe's Assignment Rule; each team sees its own tickets and the
queue no team has taken, the salesperson reads (and only reads) their customers' tickets; the workflow keeps the
clock (first response, waiting on the customer, resolution) and tells the salesperson, in their language, when a
ticket is resolved and how the customer rated it; the SLA job marks late tickets and escalates each to the
team's manager once."""

import email
import re
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import parse_qs, urlparse

import frappe
import pytest
import requests
from frappe.email.receive import InboundMail
from frappe.utils import now_datetime

from tests.integration.client import messages
from tests.integration.conftest import (
	SITE,
	email_of,
	fresh,
	run_scheduled_job,
	settle,
	unique_mobile,
	unique_name,
)
from tests.integration.test_workspace import card_filters, figure

SLA_JOB = "crm_app.jobs.update_ticket_slas"
INBOX = "CRM 客服邮箱"


def ok(response, what=""):
	assert response.status_code == 200, f"{what}: {response.status_code} {messages(response)}"
	return response.json()["data"]


@pytest.fixture(scope="module")
def customer(users) -> str:
	"""A customer of sales_b, who reads Chinese."""
	return ok(
		users["sales_b"].insert(
			"CRM Customer", {"customer_name": unique_name("工单客户"), "mobile_no": unique_mobile()}
		),
		"customer",
	)["name"]


def open_ticket(client, customer: str, **values) -> dict:
	return ok(
		client.insert(
			"CRM Ticket",
			{"subject": unique_name("打印机卡纸"), "customer": customer, "priority": "High", **values},
		),
		"ticket",
	)


def act(client, ticket: str, action: str) -> dict:
	doc = ok(client.get_doc("CRM Ticket", ticket), "read")
	response = client.post("frappe.model.workflow.apply_workflow", doc=doc, action=action)
	assert response.status_code == 200, f"{action}: {messages(response)}"
	return response.json()["message"]


def bell(user_key: str, ticket: str) -> list[str]:
	fresh()
	return frappe.get_all(
		"Notification Log",
		filters={"for_user": email_of(user_key), "document_type": "CRM Ticket", "document_name": ticket},
		pluck="subject",
		order_by="creation asc",
	)


def test_new_tickets_go_to_the_matching_team_and_one_of_its_agents(users, customer, worker):
	goods = open_ticket(users["service_manager"], customer, product_type="Goods", channel="Phone")
	mailed = open_ticket(users["service_manager"], customer, channel="Email")
	neither = open_ticket(users["service_manager"], customer, product_type="Service", channel="WeChat")
	settle()
	fresh()
	routed = {
		name: frappe.db.get_value("CRM Ticket", name, ["service_team", "agent"])
		for name in (goods["name"], mailed["name"], neither["name"])
	}
	assert routed[goods["name"]] == ("华东服务组", email_of("agent_east"))
	assert routed[mailed["name"]] == ("华南服务组", email_of("agent_south"))
	assert routed[neither["name"]] == (None, None)
	# the agent has it on their to-do list, as Frappe's assignment puts it
	assert frappe.db.exists(
		"ToDo",
		{
			"reference_type": "CRM Ticket",
			"reference_name": goods["name"],
			"allocated_to": email_of("agent_east"),
		},
	)


def test_each_team_sees_its_tickets_and_the_queue_and_sales_only_reads(users, customer):
	east = open_ticket(users["service_manager"], customer, product_type="Goods")["name"]
	queue = open_ticket(users["service_manager"], customer, product_type="Service", channel="WeChat")["name"]
	agent_east, agent_south = users["agent_east"], users["agent_south"]
	assert agent_east.get_doc("CRM Ticket", east).status_code == 200
	assert agent_south.get_doc("CRM Ticket", east).status_code == 404
	assert {row["name"] for row in agent_south.list("CRM Ticket", limit_page_length=0)} >= {queue}
	assert east not in {row["name"] for row in agent_south.list("CRM Ticket", limit_page_length=0)}
	# no one takes a ticket of another team by writing their own team into it
	taken = agent_south.update("CRM Ticket", east, {"service_team": "华南服务组"})
	assert taken.status_code in (403, 404)
	# the customer's salesperson reads it; another team's salesperson learns nothing of it
	assert users["sales_b"].get_doc("CRM Ticket", east).status_code == 200
	assert users["sales_b"].update("CRM Ticket", east, {"priority": "Low"}).status_code == 403
	assert users["sales_c"].get_doc("CRM Ticket", east).status_code == 404
	assert (
		users["sales_b"].insert("CRM Ticket", {"subject": "想报修", "customer": customer}).status_code == 403
	)


def test_the_clock_follows_the_workflow_and_the_salesperson_hears_of_the_result(users, customer, worker):
	agent = users["agent_east"]
	ticket = open_ticket(users["service_manager"], customer, product_type="Goods")
	assert ticket["status"] == "New" and ticket["response_by"] and ticket["resolution_by"]
	assert act(agent, ticket["name"], "Start Work")["first_responded_on"]
	waiting = act(agent, ticket["name"], "Ask Customer")
	assert waiting["sla_status"] == "Paused" and len(waiting["pauses"]) == 1
	assert not waiting["pauses"][0].get("resumed_at")
	replied = act(agent, ticket["name"], "Customer Replied")
	assert replied["pauses"][0].get("resumed_at") and replied["sla_status"] in (
		"On Track",
		"At Risk",
		"Breached",
	)
	resolved = act(agent, ticket["name"], "Resolve")
	assert resolved["status"] == "Resolved" and resolved["resolved_on"]
	rated = ok(agent.update("CRM Ticket", ticket["name"], {"satisfaction": 9, "feedback": "很快"}), "rate")
	assert rated["satisfaction"] == 9
	told = bell("sales_b", ticket["name"])
	assert len(told) == 2 and "已解决" in told[0] and "客户满意度 9 分" in told[1], told
	# reopened, the time it stood resolved does not count against it
	reopened = act(agent, ticket["name"], "Reopen")
	assert not reopened.get("resolved_on") and reopened["pauses"][-1]["reason"] == "Resolved"
	# a closed ticket is reopened by the manager only
	act(agent, ticket["name"], "Resolve")
	act(agent, ticket["name"], "Close")
	doc = ok(agent.get_doc("CRM Ticket", ticket["name"]))
	refused = agent.post("frappe.model.workflow.apply_workflow", doc=doc, action="Reopen")
	assert refused.status_code >= 400
	act(users["service_manager"], ticket["name"], "Reopen")


def test_the_server_keeps_the_clock(users, customer):
	ticket = open_ticket(users["service_manager"], customer, product_type="Goods")
	forged = ok(
		users["service_manager"].update(
			"CRM Ticket",
			ticket["name"],
			{
				"sla_status": "On Track",
				"opened_on": "2099-01-01 00:00:00",
				"resolution_by": "2099-01-01 00:00:00",
				"pauses": [{"paused_at": "2020-01-01"}],
			},
		)
	)
	assert ticket["opened_on"] and forged["opened_on"] == ticket["opened_on"]
	assert forged["resolution_by"] == ticket["resolution_by"] and not forged["pauses"]
	refused = users["service_manager"].update("CRM Ticket", ticket["name"], {"satisfaction": 11})
	assert refused.status_code == 417 and "满意度" in messages(refused)


def test_the_sla_job_marks_late_tickets_and_escalates_each_once(users, customer, worker):
	late = open_ticket(users["service_manager"], customer, product_type="Goods", priority="Urgent")["name"]
	fresh()
	# opened a month ago and never answered: past any Urgent response target, whatever the hour now
	frappe.db.set_value(
		"CRM Ticket", late, "opened_on", now_datetime() - timedelta(days=30), update_modified=False
	)
	frappe.db.commit()
	run_scheduled_job(SLA_JOB)
	fresh()
	assert frappe.db.get_value("CRM Ticket", late, ["sla_status", "escalated_level"]) == (
		"Breached",
		"Breached",
	)
	told = bell("service_manager", late)
	assert len(told) == 1 and "已超时" in told[0], told
	run_scheduled_job(SLA_JOB)
	assert len(bell("service_manager", late)) == 1


@pytest.fixture(scope="module")
def inbox(users):
	"""The service desk's mailbox, whose incoming mail opens tickets (its server is never reached here)."""
	fresh()
	frappe.set_user("Administrator")
	if not frappe.db.exists("Email Account", INBOX):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": INBOX,
				"email_id": "service@crm-test.example.cn",
				"service": "",
				"append_to": "CRM Ticket",
				"awaiting_password": 1,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
	return frappe.get_doc("Email Account", INBOX)


def receive(inbox, sender: str, subject: str, body: str, in_reply_to: str | None = None):
	"""Feed a raw message through Frappe's receiving path, as the mailbox's pull does."""
	message = EmailMessage()
	message["From"], message["To"], message["Subject"] = sender, inbox.email_id, subject
	message["Message-ID"] = make_msgid(domain="mail.example.cn")
	if in_reply_to:
		message["In-Reply-To"] = in_reply_to
	message.set_content(body)
	fresh()
	frappe.set_user("Administrator")
	communication = InboundMail(message.as_bytes(), inbox).process()
	frappe.db.commit()
	return communication


def test_mail_opens_a_ticket_for_the_sender_s_customer_and_threads_replies(users, inbox, worker):
	address = f"buyer{frappe.generate_hash(length=6)}@customer.example.cn"
	customer = ok(
		users["sales_b"].insert(
			"CRM Customer",
			{
				"customer_name": unique_name("邮件客户"),
				"mobile_no": unique_mobile(),
				"contacts": [{"contact_name": "李采购", "email_id": address}],
			},
		)
	)["name"]
	first = receive(inbox, f"李采购 <{address}>", "滤芯漏水", "昨天换的滤芯一直漏水，请尽快处理。")
	ticket = frappe.get_doc("CRM Ticket", first.reference_name)
	assert (ticket.customer, ticket.contact_name, ticket.channel) == (customer, "李采购", "Email")
	assert (ticket.service_team, ticket.raised_by) == ("华南服务组", address)
	settle()
	fresh()
	assert frappe.db.get_value("CRM Ticket", ticket.name, "agent") == email_of("agent_south")
	# the agent asks, the customer answers by mail: the answer joins the ticket and starts its clock again
	act(users["agent_south"], ticket.name, "Start Work")
	act(users["agent_south"], ticket.name, "Ask Customer")
	answer = receive(inbox, address, f"Re: 滤芯漏水 (#{ticket.name})", "照片已附上。")
	assert answer.reference_name == ticket.name
	fresh()
	assert frappe.db.get_value("CRM Ticket", ticket.name, "status") == "In Progress"
	# mail naming the ticket from an address that is not the customer's stays out of it
	stranger = receive(inbox, "someone@elsewhere.example.cn", f"Re: 滤芯漏水 (#{ticket.name})", "我也想看看")
	assert stranger.reference_name != ticket.name


def test_mail_from_an_unknown_address_waits_for_a_customer(users, inbox):
	unknown = receive(inbox, "new.buyer@unknown.example.cn", "咨询保修", "我的设备还在保修期吗？")
	fresh()
	ticket = frappe.get_doc("CRM Ticket", unknown.reference_name)
	assert (ticket.customer, ticket.channel, ticket.status) == (None, "Email", "New")
	# the desk then names the customer; a ticket made by hand must name one
	refused = users["service_manager"].insert("CRM Ticket", {"subject": "没有客户"})
	assert refused.status_code == 417 and "客户" in messages(refused)


def test_the_service_desk_counts_what_its_lists_show(users, customer):
	open_ticket(users["service_manager"], customer, product_type="Goods")
	for who in ("agent_east", "agent_south", "service_manager"):
		client = users[who]
		for card in (
			"CRM My Open Tickets",
			"CRM Ticket Queue",
			"CRM Tickets At Risk",
			"CRM Tickets Breached",
		):
			filters = card_filters(frappe.get_doc("Number Card", card), client.user)
			shown = client.list("CRM Ticket", filters=filters, limit_page_length=0)
			assert figure(client, card) == len(shown), (who, card)
	pages = users["agent_east"].post("frappe.desk.desktop.get_workspace_sidebar_items")
	assert pages.status_code == 200, messages(pages)
	names = {page["name"] for page in pages.json()["message"]["pages"]}
	assert "Service Desk" in names and "Sales Team" not in names


def mailed_html(ticket: str) -> list[str]:
	fresh()
	found = []
	for raw in frappe.get_all(
		"Email Queue", filters={"reference_doctype": "CRM Ticket", "reference_name": ticket}, pluck="message"
	):
		for part in email.message_from_string(raw).walk():
			if part.get_content_type() == "text/html":
				found.append(part.get_payload(decode=True).decode())
	return found


def rate(base_url, **values):
	return requests.post(
		f"{base_url}/api/method/crm_app.api.feedback.rate",
		json=values,
		headers={"X-Frappe-Site-Name": SITE, "Accept": "application/json"},
		timeout=30,
	)


def test_the_customer_rates_a_resolved_ticket_once_through_the_mailed_link(
	base_url, users, customer, outgoing_email, worker
):
	address = f"rater{frappe.generate_hash(length=6)}@customer.example.cn"
	rated_customer = ok(
		users["sales_b"].insert(
			"CRM Customer",
			{
				"customer_name": unique_name("评分客户"),
				"mobile_no": unique_mobile(),
				"contacts": [{"contact_name": "张先生", "email_id": address}],
			},
		)
	)["name"]
	ticket = open_ticket(
		users["service_manager"], rated_customer, product_type="Goods", contact_name="张先生"
	)
	act(users["agent_east"], ticket["name"], "Resolve")
	mails = mailed_html(ticket["name"])
	assert len(mails) == 1, mails
	link = re.search(r'href="([^"]*/ticket_feedback\?[^"]*)"', mails[0]).group(1).replace("&amp;", "&")
	query = {key: values[0] for key, values in parse_qs(urlparse(link).query).items()}
	page = requests.get(
		f"{base_url}{urlparse(link).path}", params=query, headers={"X-Frappe-Site-Name": SITE}, timeout=30
	)
	assert page.status_code == 200 and ticket["subject"] in page.text
	answered = rate(base_url, **query, satisfaction=9, comment="师傅很专业")
	assert answered.status_code == 200, answered.text
	fresh()
	assert frappe.db.get_value("CRM Ticket", ticket["name"], ["satisfaction", "feedback"]) == (
		9,
		"师傅很专业",
	)
	assert any("客户满意度 9 分" in subject for subject in bell("sales_b", ticket["name"]))
	# once only
	assert rate(base_url, **query, satisfaction=1).status_code == 417
	fresh()
	assert frappe.db.get_value("CRM Ticket", ticket["name"], "satisfaction") == 9
	# a key opens its own ticket only, and a wrong key says nothing of whether a ticket exists
	other = open_ticket(users["service_manager"], customer, product_type="Goods")["name"]
	act(users["agent_east"], other, "Resolve")
	forged = rate(base_url, ticket=other, key=query["key"], satisfaction=10)
	missing = rate(base_url, ticket=f"{other}0", key=query["key"], satisfaction=10)
	assert forged.status_code == missing.status_code == 403
	assert messages(forged) == messages(missing)
	fresh()
	assert not frappe.db.get_value("CRM Ticket", other, "satisfaction")
