"""An agent's ticket, by hand in headless Chromium at a desktop's and a phone's width: from the 客服工作台, through
the workflow's actions, to a solution that becomes a draft knowledge-base article."""

import frappe
import pytest

from tests.integration import browser
from tests.integration.conftest import SITE, email_of, fresh, unique_mobile, unique_name
from tests.integration.test_daily_path_in_a_browser import click_button
from tests.integration.test_desk_in_a_browser import open_as, size  # noqa: F401 (a fixture)

pytestmark = pytest.mark.skipif(not browser.available(), reason="needs chromium and chromium-driver")


def workflow_action(person: browser.Browser, action: str):
	"""One of the workflow's actions, from the page's Actions menu, as a person opens it and picks."""
	toggle = person.wait_until(
		"[...document.querySelectorAll('.page-actions .actions-btn-group > button')].find(b => b.offsetParent)"
	)
	person.click(toggle)
	item = person.wait_until(
		"""[...document.querySelectorAll('.page-actions .actions-btn-group .dropdown-menu a')]
		.find(a => a.offsetParent && a.innerText.trim() === __(arguments[0]))""",
		args=(action,),
	)
	person.click(item)
	person.wait_until("!frappe.dom.freeze_count && !cur_frm.is_dirty()")
	person.desk_ready()


def test_an_agent_works_a_ticket_to_an_article(base_url, users, worker, size):  # noqa: F811
	customer = users["sales_b"].insert(
		"CRM Customer", {"customer_name": unique_name("服务客户"), "mobile_no": unique_mobile()}
	)
	assert customer.status_code == 200
	ticket = users["service_manager"].insert(
		"CRM Ticket",
		{
			"subject": unique_name("打印机卡纸"),
			"customer": customer.json()["data"]["name"],
			"product_type": "Goods",
			"description": "<p>打印到一半卡纸，指示灯闪红。</p>",
		},
	)
	assert ticket.status_code == 200
	name = ticket.json()["data"]["name"]
	person = open_as(base_url, SITE, "agent_east", size)
	try:
		person.route("service-desk")
		person.wait_until(
			"document.querySelectorAll('.number-widget-box .widget-content .number').length >= 4"
		)
		person.route(f"crm-ticket/{name}")
		person.form("CRM Ticket")
		assert person.script("return cur_frm.doc.agent") == email_of("agent_east")
		workflow_action(person, "Start Work")
		assert person.script("return cur_frm.doc.status") == "In Progress"
		person.script(
			"return cur_frm.set_value('resolution', '<p>清理进纸辊并更换搓纸轮后恢复正常。</p>')"
			".then(() => cur_frm.save())"
		)
		person.wait_until("!cur_frm.is_dirty()")
		workflow_action(person, "Resolve")
		fresh()
		assert frappe.db.get_value("CRM Ticket", name, "status") == "Resolved"
		click_button(person, "Create Article")
		person.form("CRM Knowledge Article")
		article = person.script(
			"return {title: cur_frm.doc.title, body: cur_frm.doc.body, published: cur_frm.doc.published}"
		)
		assert (
			article["title"].startswith("打印机卡纸")
			and "搓纸轮" in article["body"]
			and not article["published"]
		)
		assert not person.errors()
		assert not person.script("return document.documentElement.scrollWidth > window.innerWidth + 1")
	finally:
		person.close()
