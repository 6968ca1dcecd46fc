"""A salesperson's and a manager's day, by hand in headless Chromium at a desktop's and a phone's width: what they
type and click, and what the desk then shows them."""

import time

import frappe
import pytest
from frappe.utils import add_days, today
from selenium.webdriver import ActionChains
from selenium.webdriver.support.ui import Select

from tests.integration import browser
from tests.integration.client import messages
from tests.integration.conftest import (
	SITE,
	email_of,
	fresh,
	run_scheduled_job,
	unique_mobile,
	unique_name,
)
from tests.integration.test_desk_in_a_browser import open_as, size  # noqa: F401 (a fixture)

pytestmark = pytest.mark.skipif(not browser.available(), reason="needs chromium and chromium-driver")


def spaced(mobile: str) -> str:
	return f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"


def control(person: browser.Browser, fieldname: str, dialog: bool = False):
	"""The input of a field on the form on screen, or of the quick entry dialog."""
	owner = "frappe.quick_entry.dialog" if dialog else "cur_frm"
	return person.wait_until(f"{owner}.fields_dict[arguments[0]].$input[0]", args=(fieldname,))


def click_button(person: browser.Browser, label: str):
	"""A form's own button, as the screen shows it: in the page head, or in the phone's one-tap bar."""
	button = person.wait_until(
		"""[...document.querySelectorAll('.crm-quick-actions button, .page-actions button, .inner-group-button button')]
		.find(b => b.offsetParent && b.innerText.trim() === __(arguments[0]))""",
		args=(label,),
	)
	person.click(button)


def save(person: browser.Browser):
	"""The form's Save button; a message the desk shows instead fails the test with its text."""
	person.click(person.script("window.scrollTo(0, 0); return cur_frm.page.btn_primary.get(0)"))
	outcome = person.wait_until(
		"(cur_frm && !cur_frm.is_new() && !cur_frm.is_dirty() && 'saved')"
		" || ($('.msgprint:visible').text().trim() && 'refused: ' + $('.msgprint:visible').text().trim())"
	)
	assert outcome == "saved", outcome
	person.desk_ready()


def test_a_salesperson_s_day(base_url, users, worker, size):  # noqa: F811
	person = open_as(base_url, SITE, "sales_b", size)
	mobile, name = unique_mobile(), unique_name("快速客户")
	try:
		# a new customer from the list's Add button, in the quick entry dialog
		person.route("crm-customer")
		# the list view is ready when its own page has its Add button, not when the route changed
		person.click(
			person.wait_until(
				"window.cur_list && cur_list.doctype === 'CRM Customer' && cur_list.page.btn_primary.get(0)"
			)
		)
		person.wait_until(
			"frappe.quick_entry && frappe.quick_entry.dialog && frappe.quick_entry.dialog.display"
		)
		person.type_into(control(person, "customer_name", dialog=True), name)
		person.type_into(control(person, "mobile_no", dialog=True), spaced(mobile))
		assert control(person, "mobile_no", dialog=True).get_attribute("type") == "tel"
		person.choose(control(person, "source_channel", dialog=True), "展", "展会")
		person.choose(control(person, "province", dialog=True), "浙", "浙江")
		person.choose(control(person, "city", dialog=True), "杭", "杭州")
		person.type_into(control(person, "crm_contact_name", dialog=True), "王经理")
		person.click(person.script("return frappe.quick_entry.dialog.get_primary_btn().get(0)"))
		# on to its page, where the first call gets logged
		customer = person.wait_until(
			"cur_frm && cur_frm.doctype === 'CRM Customer' && !cur_frm.is_new() && cur_frm.doc.name"
		)
		person.form("CRM Customer")
		fresh()
		saved = frappe.get_doc("CRM Customer", customer)
		assert (saved.customer_name, saved.mobile_no, saved.source_channel) == (name, f"+86{mobile}", "展会")
		assert (saved.province, saved.city) == ("浙江省", "杭州市")
		assert [row.contact_name for row in saved.contacts] == ["王经理"]

		# its district, picked from the city's districts
		person.choose(control(person, "district"), "西湖", "西湖区")
		save(person)
		fresh()
		assert frappe.db.get_value("CRM Customer", customer, "district") == "西湖区"

		# found again from the search bar by the mobile as it is said on the phone, with spaces
		person.route("crm-lead")
		person.choose(person.find("#navbar-search"), spaced(mobile), name)
		person.wait_until(f"location.pathname.endsWith({('/' + customer)!r})")
		person.form("CRM Customer")

		# a call logged, with the next follow-up planned for today
		click_button(person, "Log Interaction")
		person.form("CRM Interaction")
		Select(control(person, "interaction_type")).select_by_value("Call")
		person.type_into(control(person, "summary"), "电话沟通报价，客户下周定")
		person.script("return cur_frm.set_value('next_follow_up_date', arguments[0])", today())
		save(person)

		# the morning reminder: in the bell, in Chinese, naming the customer; it opens the customer
		run_scheduled_job("crm_app.jobs.remind_follow_ups")
		person.open("/app/sales-and-customers")
		person.desk_ready()
		person.click(
			person.wait_until("document.querySelector('.dropdown-notifications .notifications-icon')")
		)
		item = person.wait_until(
			"[...document.querySelectorAll('.notification-item')].find(i => i.offsetParent && i.innerText.includes(arguments[0]))",
			args=(name,),
		)
		assert "今日跟进" in item.text and "电话沟通报价" in item.text
		person.click(item)
		person.wait_until(f"location.pathname.endsWith({('/' + customer)!r})")
		person.form("CRM Customer")
		assert not person.errors()
	finally:
		person.close()


def card_on_board(person: browser.Browser, opportunity: str):
	return person.wait_until(
		"document.querySelector(`.kanban-card-wrapper[data-name='${CSS.escape(arguments[0])}']`)",
		args=(opportunity,),
	)


def drag(person: browser.Browser, card, column_value: str):
	"""Drags a card onto a column as a hand does: press, move a little at a time, let go."""
	column = person.script(
		"""const column = document.querySelector(`.kanban-column[data-column-value='${arguments[0]}'] .kanban-cards`);
		column.scrollIntoView({inline: 'center', block: 'nearest'}); return column;""",
		column_value,
	)
	person.script("arguments[0].scrollIntoView({inline: 'nearest', block: 'nearest'})", card)
	time.sleep(0.3)
	steps = ActionChains(person.driver, duration=50).click_and_hold(card).move_by_offset(0, 25)
	for _ in range(8):
		steps = steps.move_to_element_with_offset(column, 0, 10).pause(0.05)
	steps.release().perform()


def test_a_manager_moves_a_deal_on_the_board_and_sees_the_team(base_url, users, size):  # noqa: F811
	opportunity = users["sales_a"].insert(
		"CRM Opportunity",
		{
			"opportunity_name": unique_name("看板商机"),
			"customer": users["sales_a"]
			.insert("CRM Customer", {"customer_name": unique_name(), "mobile_no": unique_mobile()})
			.json()["data"]["name"],
			"stage": "初步接触",
			"amount": 68000,
			"expected_close_date": str(add_days(today(), 20)),
		},
	)
	assert opportunity.status_code == 200, messages(opportunity)
	opportunity = opportunity.json()["data"]["name"]
	person = open_as(base_url, SITE, "east_manager", size)
	try:
		person.route("crm-opportunity/view/kanban/CRM Opportunity Funnel")
		card = card_on_board(person, opportunity)
		owner = frappe.db.get_value("User", email_of("sales_a"), "full_name")
		assert owner in card.text, "the card names its owner"
		drag(person, card, "需求确认")
		person.desk_ready()
		fresh()
		assert frappe.db.get_value("CRM Opportunity", opportunity, "stage") == "需求确认"

		person.route("sales-team")
		person.wait_until(
			"document.querySelectorAll('.number-widget-box .widget-content .number').length >= 6"
		)
		assert not person.errors()
	finally:
		person.close()
