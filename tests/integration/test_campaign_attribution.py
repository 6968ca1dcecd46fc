"""Campaign attribution over HTTP: a visitor comes by a campaign's link (utm_*) and sends the website inquiry as a
guest; the lead is credited to the campaign, and carries it through conversion, quotation, contract and order to
the won amount; the ROI report (营销活动ROI) then sets what each viewer may count of it against the campaign's cost."""

import json
import time

import frappe
import pytest
import requests
from frappe.utils import add_days, today

from tests.integration.client import messages
from tests.integration.conftest import SITE, fresh, unique_mobile, unique_name
from tests.integration.test_deals import apply, customer_and_opportunity, products, quotation  # noqa: F401
from tests.integration.test_leads_and_pool import inquiry_token, new_lead, post_inquiry

REPORT = "CRM Campaign ROI"


def ok(response):
	assert response.status_code == 200, messages(response)
	return response.json()


def report(client, **filters) -> list[dict]:
	response = client.post("frappe.desk.query_report.run", report_name=REPORT, filters=json.dumps(filters))
	return ok(response)["message"]["result"]


def campaign_rows(client, campaign: str, **filters) -> tuple[dict, dict[str, dict]]:
	"""The campaign's own row and its rows by channel, as `client` sees them."""
	rows = report(client, campaign=campaign, **filters)
	[parent] = [row for row in rows if row.get("campaign") == campaign]
	channels = {row["channel"]: row for row in rows if row.get("parent_campaign") == campaign}
	return parent, channels


@pytest.fixture(scope="module")
def campaign(users) -> dict:
	code = f"spring-{frappe.generate_hash(length=6)}"
	costs = [
		{"cost_date": today(), "item": "百度推广", "amount": 1500},
		{"cost_date": today(), "item": "落地页设计", "amount": 500},
		{"cost_date": "2020-01-01", "item": "去年的展位", "amount": 999},  # outside the report's period
	]
	data = {"campaign_name": unique_name("春季推广"), "utm_campaign": code, "costs": costs}
	return ok(users["admin"].insert("CRM Campaign", data))["data"]


def inquire(base_url, ip: str, **utm) -> dict:
	"""A guest opens the inquiry page by a campaign link and sends the form, as the page's script does."""
	token = inquiry_token(base_url)
	time.sleep(3.2)  # people take a few seconds to fill it in
	mobile = unique_mobile()
	response = post_inquiry(
		base_url,
		ip,
		lead_name="吴先生",
		company_name=unique_name("宁波"),
		mobile_no=mobile,
		inquiry="看到广告，想了解报价",
		form_token=token,
		**utm,
	)
	assert response.status_code == 200, response.text
	fresh()
	return frappe.db.get_value("CRM Lead", {"mobile_no": f"+86{mobile}"}, "*", as_dict=True)


def test_the_inquiry_page_keeps_the_campaign_link_for_the_form(base_url):
	page = requests.get(
		f"{base_url}/inquiry?utm_source=baidu", headers={"X-Frappe-Site-Name": SITE}, timeout=30
	)
	html = page.text
	for parameter in ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"):
		assert f'name="{parameter}"' in html
	assert "sessionStorage" in html


def test_an_unknown_campaign_code_is_kept_but_credits_nothing(base_url, campaign):
	lead = inquire(base_url, "10.30.0.1", utm_source="wechat", utm_campaign="no-such-code")
	assert (lead.utm_source, lead.utm_campaign, lead.campaign) == ("wechat", "no-such-code", None)


def test_a_campaign_lead_is_followed_to_the_won_amount_and_the_roi_report(
	base_url,
	users,
	campaign,
	products,  # noqa: F811
):
	name = campaign["name"]
	assert campaign["total_cost"] == 2999

	# a guest comes by the campaign's link
	lead = inquire(
		base_url,
		"10.30.0.2",
		utm_source="baidu",
		utm_medium="cpc",
		utm_campaign=campaign["utm_campaign"],
		utm_content="banner-a",
		utm_term="茶叶 批发",
	)
	assert (lead.campaign, lead.source_channel, lead.lead_owner) == (name, "官网", None)
	assert (lead.utm_medium, lead.utm_content, lead.utm_term) == ("cpc", "banner-a", "茶叶 批发")

	# a salesperson converts it: the opportunity is the campaign's
	sales = users["sales_a"]
	converted = ok(sales.post("crm_app.api.leads.convert", lead=lead.name, amount=20000))["message"]
	opportunity = ok(sales.get_doc("CRM Opportunity", converted["opportunity"]))["data"]
	assert opportunity["campaign"] == name
	# what the link said stays as it arrived, whatever a client sends
	ok(sales.update("CRM Lead", lead.name, {"utm_source": "forged"}))
	assert ok(sales.get_doc("CRM Lead", lead.name))["data"]["utm_source"] == "baidu"

	# quotation → contract → order: the order is credited to the opportunity's campaign
	customer = converted["customer"]
	q = ok(apply(sales, quotation(sales, customer, opportunity["name"], products), "Approve"))["message"]
	contract = ok(sales.post("crm_app.api.deals.make_contract", quotation=q["name"]))["message"]
	ok(sales.update("CRM Contract", contract["name"], {"signing_status": "Signed", "signed_date": today()}))
	order = ok(sales.post("crm_app.api.deals.make_sales_order", contract=contract["name"]))["message"]
	assert order["campaign"] == name
	submitted = ok(sales.update("CRM Sales Order", order["name"], {"docstatus": 1, "campaign": None}))["data"]
	assert submitted["campaign"] == name
	ok(
		sales.insert(
			"CRM Payment", {"sales_order": order["name"], "amount": q["grand_total"], "docstatus": 1}
		)
	)
	ok(sales.update("CRM Opportunity", opportunity["name"], {"stage": "赢单"}))
	fresh()
	assert frappe.db.get_value("CRM Sales Order", order["name"], "payment_status") == "Paid"

	# staff credit a lead and an opportunity to the campaign by hand: one of the same team, one of another
	new_lead(users["sales_b"], source_channel="展会", campaign=name)
	_customer, south_opportunity = customer_and_opportunity(users["sales_c"])
	ok(users["sales_c"].update("CRM Opportunity", south_opportunity, {"campaign": name}))

	won = q["grand_total"]
	# the manager counts the team's: the converted lead by its link's source, the other by its channel
	parent, channels = campaign_rows(users["east_manager"], name)
	assert (parent["cost"], parent["leads"], parent["opportunities"], parent["won_opportunities"]) == (
		2000,
		2,
		1,
		1,
	)
	assert (parent["orders"], parent["won_amount"], parent["cost_per_lead"]) == (1, won, 1000)
	assert parent["return_per_yuan"] == round(won / 2000, 2)
	assert set(channels) == {"baidu", "展会"}
	assert (channels["baidu"]["leads"], channels["baidu"]["won_amount"], channels["展会"]["leads"]) == (
		1,
		won,
		1,
	)
	assert channels["baidu"].get("cost") is None  # the cost is the campaign's, not split between channels

	# the salesperson counts their own: the same cost, their lead and deal
	parent, channels = campaign_rows(sales, name)
	assert (parent["cost"], parent["leads"], parent["opportunities"], parent["won_amount"]) == (
		2000,
		1,
		1,
		won,
	)
	assert (parent["cost_per_lead"], set(channels)) == (2000, {"baidu"})

	# another team's salesperson sees the cost and only their own opportunity, with no lead to spread it over
	parent, channels = campaign_rows(users["sales_c"], name)
	assert (parent["cost"], parent["leads"], parent["opportunities"], parent["won_amount"]) == (2000, 0, 1, 0)
	assert (parent["cost_per_lead"], parent["return_per_yuan"]) == (None, 0)
	assert all(row["won_amount"] == 0 for row in channels.values())

	# an admin counts everything
	parent, _channels = campaign_rows(users["admin"], name)
	assert (parent["leads"], parent["opportunities"], parent["won_amount"]) == (2, 2, won)

	# a period is what is dated in it: last year's cost line, and nothing won
	parent, channels = campaign_rows(users["admin"], name, from_date="2020-01-01", to_date="2020-12-31")
	assert (parent["cost"], parent["leads"], parent["cost_per_lead"], parent["return_per_yuan"]) == (
		999,
		0,
		None,
		0,
	)
	assert channels == {}

	# without a campaign chosen, the campaign is among the others, and a period without it leaves it out
	assert name in [row.get("campaign") for row in report(users["east_manager"])]
	later = {"from_date": add_days(today(), 1), "to_date": add_days(today(), 2)}
	assert name not in [row.get("campaign") for row in report(users["east_manager"], **later)]


@pytest.mark.parametrize(
	"filters",
	[
		{"from_date": "not a date"},
		{"from_date": "2026-02-01", "to_date": "2026-01-01"},
		{"to_date": "9999-12-31"},
		{"campaign": ["a list"]},
		{"campaign": "no such campaign"},
	],
)
def test_bad_filters_get_a_translated_refusal(users, filters):
	response = users["sales_b"].post(
		"frappe.desk.query_report.run", report_name=REPORT, filters=json.dumps(filters)
	)
	assert response.status_code == 417, (response.status_code, response.text[:300])
	assert any("\u4e00" <= char <= "\u9fff" for char in messages(response)), messages(response)


def test_the_report_is_for_the_sales_side_only(users):
	for key in ("warehouse", "agent_east", "outsider"):
		response = users[key].post("frappe.desk.query_report.run", report_name=REPORT, filters="{}")
		assert response.status_code in (403, 404), (key, response.status_code)
