"""The desk in headless Chromium, as a salesperson and a manager use it, at a desktop's and a phone's width:
through the login page, with the app's built bundle. Every request the pages make must succeed, so the perimeter
(deny by default) refuses nothing they need, and no script fails."""

import pytest

from tests.integration import browser
from tests.integration.conftest import PASSWORD, SITE, email_of, unique_mobile, unique_name
from tests.integration.test_deals import customer_and_opportunity, products, quotation  # noqa: F401 (a fixture)

pytestmark = pytest.mark.skipif(not browser.available(), reason="needs chromium and chromium-driver")


@pytest.fixture(params=[browser.DESKTOP, browser.PHONE], ids=["1440px", "390px"])
def size(request):
	return request.param


def open_as(base_url, site, who: str, size) -> browser.Browser:
	person = browser.Browser(base_url, site, size)
	person.login(email_of(who), PASSWORD)
	person.desk_ready()
	return person


def walk(person: browser.Browser, routes: list[str]) -> dict[str, list[str]]:
	problems = {}
	for route in routes:
		person.route(route)
		if errors := person.errors():
			problems[route] = errors
	return problems


def test_a_salesperson_works_through_the_desk(base_url, users, products, size):  # noqa: F811
	customer, opportunity = customer_and_opportunity(users["sales_b"])
	offer = quotation(users["sales_b"], customer, opportunity, products)
	person = open_as(base_url, SITE, "sales_b", size)
	try:
		problems = walk(
			person,
			[
				"sales-and-customers",
				"crm-customer",
				"crm-lead",
				"crm-opportunity",
				"crm-opportunity/view/kanban/CRM Opportunity Funnel",
				"crm-interaction",
				"query-report/CRM Overdue Follow-ups",
				"query-report/CRM Sales Funnel",
				f"crm-quotation/{offer['name']}",
				f"print/CRM Quotation/{offer['name']}",
			],
		)
		# a new customer through the form, as typed
		person.route("crm-customer")
		person.new("CRM Customer")
		name = unique_name("浏览器客户")
		person.script(
			"""return cur_frm.set_value({customer_name: arguments[0], mobile_no: arguments[1], province: '浙江'})
			.then(() => cur_frm.set_value('city', '杭州')).then(() => cur_frm.save());""",
			name,
			unique_mobile(),
		)
		customer = person.wait_until("cur_frm && !cur_frm.is_new() && cur_frm.doc.name")
		person.desk_ready()
		if errors := person.errors():
			problems["new customer"] = errors
		# its form: timeline, deal chain, the buttons a salesperson uses
		person.route(f"crm-customer/{customer}")
		person.form("CRM Customer")
		buttons = person.script("return cur_frm.custom_buttons && Object.keys(cur_frm.custom_buttons)")
		assert buttons, "the customer form shows no buttons: is the app's bundle built?"
		person.script("cur_frm.custom_buttons[__('Log Interaction')].click()")
		person.form("CRM Interaction")
		assert person.script("return cur_frm.doc.customer") == customer
		person.script(
			"cur_frm.set_value({interaction_type: 'Call', summary: '电话沟通需求'}); return cur_frm.save();"
		)
		person.wait_until("!!(cur_frm && !cur_frm.is_new())")
		person.desk_ready()
		if errors := person.errors():
			problems["log a follow-up"] = errors
		assert not problems, problems
	finally:
		person.close()


def test_a_manager_works_through_the_desk(base_url, users, size):
	person = open_as(base_url, SITE, "east_manager", size)
	try:
		problems = walk(
			person,
			[
				"sales-and-customers",
				"crm-customer",
				"crm-duplicate-candidate",
				"query-report/CRM Data Completeness",
			],
		)
		person.new("CRM Handover")
		# the leaving salesperson's picker offers the manager's people; choosing one shows what would move
		person.choose(person.find("[data-fieldname='from_user'] input"), "sales_d", email_of("sales_d"))
		summary = "cur_frm.get_field('summary').$wrapper"
		person.wait_until(
			f"{summary}.find('table').length || {summary}.text().includes(__('There is nothing to move.'))"
		)
		if errors := person.errors():
			problems["new hand-over"] = errors
		assert not problems, problems
	finally:
		person.close()
