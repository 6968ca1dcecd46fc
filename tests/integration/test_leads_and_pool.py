"""Leads from every channel, BANT scores, conversion, auto-assignment and the public pool."""

import re
import threading
import time

import frappe
import pytest
import requests
from frappe.utils import add_days, now_datetime

from tests.integration.client import messages
from tests.integration.conftest import SITE, email_of, fresh, run_scheduled_job, unique_mobile, unique_uscc


def new_lead(client, **values) -> dict:
	response = client.insert("CRM Lead", {"lead_name": "陈先生", "mobile_no": unique_mobile(), **values})
	assert response.status_code == 200, messages(response)
	return response.json()["data"]


def test_lead_through_the_api_is_normalized_scored_and_owned_by_its_creator(users):
	lead = new_lead(
		users["sales_a"],
		company_name="宁波海曙五金有限公司",
		email_id="Chen@HaishuWujin.cn",
		source_channel="展会",
		province="浙江",
		city="宁波",
		bant_budget="Approved",
		bant_authority="Decision Maker",
		bant_need="Definite",
		bant_timeline="Within 3 Months",
	)
	assert lead["score"] == 25 + 25 + 25 + 18
	assert lead["email_id"] == "chen@haishuwujin.cn"
	assert lead["mobile_no"].startswith("+86")
	assert (lead["province"], lead["city"]) == ("浙江省", "宁波市")
	assert lead["lead_owner"] == email_of("sales_a")
	assert lead["status"] == "New"


def test_admin_edits_bant_weights_and_scores_follow(users):
	settings = users["admin"].get_doc("CRM Settings", "CRM Settings").json()["data"]
	weights = settings["bant_weights"]
	for row in weights:
		if (row["dimension"], row["answer"]) == ("Need", "Definite"):
			row["points"] = 20
	assert users["admin"].update("CRM Settings", "CRM Settings", {"bant_weights": weights}).status_code == 200
	lead = new_lead(users["sales_a"], bant_need="Definite")
	assert lead["score"] == 20
	for row in weights:
		if (row["dimension"], row["answer"]) == ("Need", "Definite"):
			row["points"] = 25
	users["admin"].update("CRM Settings", "CRM Settings", {"bant_weights": weights})
	refused = users["sales_a"].update("CRM Settings", "CRM Settings", {"pool_daily_claim_limit": 1000})
	assert refused.status_code == 403


def test_leads_list_sorts_by_score(users):
	low = new_lead(users["sales_a"], bant_need="Vague")
	high = new_lead(users["sales_a"], bant_budget="Approved", bant_need="Definite")
	rows = users["sales_a"].list(
		"CRM Lead", ["name", "score"], [["name", "in", [low["name"], high["name"]]]], order_by="score desc"
	)
	assert [row["name"] for row in rows] == [high["name"], low["name"]]


def test_lead_duplicates_of_leads_and_customers_are_refused(users):
	mobile = unique_mobile()
	new_lead(users["sales_a"], mobile_no=mobile)
	again = users["sales_a"].insert("CRM Lead", {"lead_name": "x", "mobile_no": f"+86 {mobile}"})
	assert again.status_code == 409
	customer = users["sales_c"].insert("CRM Customer", {"customer_name": "深圳某公司", "uscc": unique_uscc()})
	uscc = customer.json()["data"]["uscc"]
	as_lead = users["sales_a"].insert("CRM Lead", {"lead_name": "y", "uscc": uscc.lower()})
	assert as_lead.status_code == 409
	assert "under another owner" in messages(as_lead)
	assert customer.json()["data"]["name"] not in messages(as_lead)


def test_conversion_creates_customer_contact_and_opportunity_in_one_action(users):
	lead = new_lead(
		users["sales_a"],
		lead_name="周丽",
		job_title="采购经理",
		company_name=f"苏州{frappe.generate_hash(length=5)}纺织有限公司",
		bant_authority="Influencer",
		source_channel="抖音",
	)
	call = users["sales_a"].insert(
		"CRM Interaction", {"lead": lead["name"], "interaction_type": "Call", "summary": "初次电话"}
	)
	assert call.status_code == 200, messages(call)
	response = users["sales_a"].post("crm_app.api.leads.convert", lead=lead["name"], amount=50000)
	assert response.status_code == 200, messages(response)
	result = response.json()["message"]
	customer = users["sales_a"].get_doc("CRM Customer", result["customer"]).json()["data"]
	assert customer["customer_name"] == lead["company_name"]
	assert customer["source_channel"] == "抖音"
	assert customer["sales_owner"] == email_of("sales_a")
	assert customer["contacts"][0]["contact_name"] == "周丽"
	assert customer["contacts"][0]["decision_role"] == "Influencer"
	opportunity = users["sales_a"].get_doc("CRM Opportunity", result["opportunity"]).json()["data"]
	assert (opportunity["stage"], opportunity["amount"], opportunity["source_lead"]) == (
		"初步接触",
		50000,
		lead["name"],
	)
	converted = users["sales_a"].get_doc("CRM Lead", lead["name"]).json()["data"]
	assert (converted["status"], converted["converted_customer"]) == ("Converted", result["customer"])
	fresh()
	assert (
		frappe.db.get_value("CRM Interaction", call.json()["data"]["name"], "customer") == result["customer"]
	)
	twice = users["sales_a"].post("crm_app.api.leads.convert", lead=lead["name"])
	assert twice.status_code == 417


def inquiry_token(base_url) -> str:
	page = requests.get(f"{base_url}/inquiry", headers={"X-Frappe-Site-Name": SITE}, timeout=30)
	assert page.status_code == 200
	return re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)


def post_inquiry(base_url, ip: str, **values):
	return requests.post(
		f"{base_url}/api/method/crm_app.api.leads.submit_inquiry",
		json=values,
		headers={"X-Frappe-Site-Name": SITE, "X-Forwarded-For": ip, "Accept": "application/json"},
		timeout=30,
	)


def test_website_inquiry_creates_an_unowned_lead_without_login(base_url, users):
	token = inquiry_token(base_url)
	time.sleep(3.2)
	mobile = unique_mobile()
	response = post_inquiry(
		base_url,
		"10.1.0.1",
		lead_name="刘女士",
		company_name="杭州某茶业",
		mobile_no=mobile,
		inquiry="想了解批发价格",
		form_token=token,
	)
	assert response.status_code == 200, response.text
	fresh()
	lead = frappe.get_value(
		"CRM Lead", {"mobile_no": f"+86{mobile}"}, ["name", "source_channel", "status", "owner"], as_dict=True
	)
	assert lead and lead.source_channel == "官网" and lead.status == "New"
	# nobody received it (the rule is off here), so the managers are told at once, in their language
	told = frappe.get_all("Notification Log", {"document_name": lead.name}, pluck="for_user")
	assert {email_of("east_manager"), email_of("south_manager")} <= set(told)


def test_the_default_lead_rule_follows_salespeople_as_they_join_and_leave(users):
	fresh()
	frappe.set_user("Administrator")

	def newcomer():
		return frappe.get_doc(
			{
				"doctype": "User",
				"email": f"newcomer{frappe.generate_hash(length=6)}@crm-test.example.cn",
				"first_name": "新人",
				"send_welcome_email": 0,
				"roles": [{"role": "CRM Sales User"}],
			}
		).insert(ignore_permissions=True)

	rule = frappe.get_doc("Assignment Rule", "CRM Lead Round Robin")
	try:
		# switched off by an admin (here, by the suite), the rule learns of the newcomer and stays off
		first = newcomer()
		rule.reload()
		assert first.name in {row.user for row in rule.users} and rule.disabled
		rule.disabled = 0
		rule.save(ignore_permissions=True)
		second = newcomer()
		rule.reload()
		assert second.name in {row.user for row in rule.users} and not rule.disabled
		second.enabled = 0
		second.save(ignore_permissions=True)
		rule.reload()
		assert second.name not in {row.user for row in rule.users} and not rule.disabled
	finally:
		frappe.db.set_value("Assignment Rule", "CRM Lead Round Robin", "disabled", 1)
		frappe.db.commit()


def test_website_inquiry_drops_bots_quietly(base_url):
	mobile = unique_mobile()
	token = inquiry_token(base_url)
	honeypot = post_inquiry(
		base_url, "10.2.0.1", lead_name="bot", mobile_no=mobile, form_token=token, website="x"
	)
	too_fast = post_inquiry(base_url, "10.2.0.2", lead_name="bot", mobile_no=mobile, form_token=token)
	forged = post_inquiry(base_url, "10.2.0.3", lead_name="bot", mobile_no=mobile, form_token="1.abc")
	for response in (honeypot, too_fast, forged):
		assert response.status_code == 200
	fresh()
	assert not frappe.db.exists("CRM Lead", {"mobile_no": f"+86{mobile}"})


def test_website_inquiry_is_rate_limited_per_address(base_url):
	statuses = [
		post_inquiry(
			base_url, "10.3.0.1", lead_name="x", mobile_no=unique_mobile(), form_token="1.x"
		).status_code
		for _ in range(6)
	]
	assert statuses[:5] == [200] * 5 and statuses[5] == 429


def test_website_inquiry_from_a_known_customer_is_logged_on_it_not_duplicated(base_url, users):
	mobile = unique_mobile()
	customer = users["sales_c"].insert(
		"CRM Customer", {"customer_name": "老客户有限公司", "mobile_no": mobile}
	)
	name = customer.json()["data"]["name"]
	token = inquiry_token(base_url)
	time.sleep(3.2)
	response = post_inquiry(
		base_url, "10.4.0.1", lead_name="老客户", mobile_no=mobile, inquiry="再订一批", form_token=token
	)
	assert response.status_code == 200
	assert name not in response.text
	fresh()
	assert not frappe.db.exists("CRM Lead", {"mobile_no": f"+86{mobile}"})
	summaries = frappe.get_all("CRM Interaction", {"customer": name}, pluck="summary")
	assert any("再订一批" in summary for summary in summaries)
	assert frappe.db.exists("Notification Log", {"for_user": email_of("sales_c"), "document_name": name})


def test_invalid_inquiry_gets_a_clear_error(base_url):
	token = inquiry_token(base_url)
	time.sleep(3.2)
	response = post_inquiry(base_url, "10.5.0.1", lead_name="王", mobile_no="123", form_token=token)
	assert response.status_code == 417
	assert "123 is not a valid mobile number" in response.text


@pytest.fixture
def assignment_rules(users):
	"""A province rule for 华东 above the default round robin, configured as an admin would, then removed."""
	admin = users["admin"]
	default = admin.update(
		"Assignment Rule",
		"CRM Lead Round Robin",
		{"users": [{"user": email_of("sales_a")}, {"user": email_of("sales_b")}], "disabled": 0},
	)
	assert default.status_code == 200, messages(default)
	east = admin.insert(
		"Assignment Rule",
		{
			"name": "华东线索",
			"__newname": "华东线索",
			"document_type": "CRM Lead",
			"priority": 10,
			"rule": "Round Robin",
			"assign_condition": 'status == "New" and not lead_owner and province in ("浙江省", "江苏省", "上海市")',
			"users": [{"user": email_of("sales_d")}],
			"assignment_days": [
				{"day": d}
				for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
			],
			"description": "华东新线索",
		},
	)
	assert east.status_code == 200, messages(east)
	yield
	admin.delete("Assignment Rule", east.json()["data"]["name"])
	admin.update("Assignment Rule", "CRM Lead Round Robin", {"disabled": 1})


def test_unowned_leads_are_assigned_round_robin_or_by_province(users, assignment_rules):
	fresh()
	frappe.set_user("Administrator")
	owners = []
	for province in (None, None, "江苏省"):
		lead = frappe.get_doc(
			{"doctype": "CRM Lead", "lead_name": "询盘", "mobile_no": unique_mobile(), "province": province}
		)
		lead.flags.into_pool = True
		lead.insert(ignore_permissions=True)
		frappe.db.commit()
		owners.append(frappe.db.get_value("CRM Lead", lead.name, "lead_owner"))
	assert set(owners[:2]) == {email_of("sales_a"), email_of("sales_b")}
	assert owners[2] == email_of("sales_d")


def test_a_lead_given_back_to_the_pool_stays_there_when_edited(users, assignment_rules):
	lead = users["sales_a"].insert("CRM Lead", {"lead_name": "退回公海", "mobile_no": unique_mobile()})
	assert lead.status_code == 200, messages(lead)
	name = lead.json()["data"]["name"]
	released = users["sales_a"].post(
		"crm_app.api.pool.release", doctype="CRM Lead", name=name, reason="无意向"
	)
	assert released.status_code == 200, messages(released)
	edited = users["east_manager"].update("CRM Lead", name, {"company_name": "宁波某贸易公司"})
	assert edited.status_code == 200, messages(edited)
	fresh()
	assert frappe.db.get_value("CRM Lead", name, ["lead_owner", "status"]) == (None, "New")


def pool_lead(**values) -> str:
	fresh()
	frappe.set_user("Administrator")
	lead = frappe.get_doc(
		{"doctype": "CRM Lead", "lead_name": "公海线索", "mobile_no": unique_mobile(), **values}
	)
	lead.flags.into_pool = True
	lead.insert(ignore_permissions=True)
	frappe.db.commit()
	return lead.name


def test_pool_leads_are_visible_to_all_sales_and_claimed_by_one(users):
	name = pool_lead()
	for key in ("sales_a", "sales_c"):
		assert users[key].get_doc("CRM Lead", name).status_code == 200
	results = []
	barrier = threading.Barrier(2)

	def claim(client):
		barrier.wait()
		results.append(client.post("crm_app.api.pool.claim", doctype="CRM Lead", name=name))

	threads = [threading.Thread(target=claim, args=(users[key],)) for key in ("sales_a", "sales_c")]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()
	# the one who comes second is told it was taken, or, once the winner's claim is committed, finds the lead out
	# of their reach and gets what a missing record gets
	winner, second = sorted(r.status_code for r in results)
	assert winner == 200 and second in (404, 417), [messages(r) for r in results]
	fresh()
	owner = frappe.db.get_value("CRM Lead", name, "lead_owner")
	loser = "sales_c" if owner == email_of("sales_a") else "sales_a"
	assert users[loser].get_doc("CRM Lead", name).status_code == 404
	assert frappe.db.count("CRM Pool Log", {"document_name": name, "action": "Claim"}) == 1


def test_daily_claim_limit(users):
	admin = users["admin"]
	assert admin.update("CRM Settings", "CRM Settings", {"pool_daily_claim_limit": 1}).status_code == 200
	try:
		first, second = pool_lead(), pool_lead()
		fresh()
		frappe.db.delete("CRM Pool Log", {"user": email_of("sales_b"), "action": "Claim"})
		frappe.db.commit()
		assert (
			users["sales_b"].post("crm_app.api.pool.claim", doctype="CRM Lead", name=first).status_code == 200
		)
		refused = users["sales_b"].post("crm_app.api.pool.claim", doctype="CRM Lead", name=second)
		assert refused.status_code == 417
		assert "limit of 1" in messages(refused) or "上限" in messages(refused)
	finally:
		admin.update("CRM Settings", "CRM Settings", {"pool_daily_claim_limit": 20})


def test_release_puts_a_record_back_and_only_its_owner_may(users):
	lead = new_lead(users["sales_a"])
	assert (
		users["sales_c"].post("crm_app.api.pool.release", doctype="CRM Lead", name=lead["name"]).status_code
		== 404
	)
	assert (
		users["sales_a"]
		.post("crm_app.api.pool.release", doctype="CRM Lead", name=lead["name"], reason="不是目标客户")
		.status_code
		== 200
	)
	assert users["sales_c"].get_doc("CRM Lead", lead["name"]).status_code == 200


def test_idle_records_return_to_the_pool_and_the_owner_is_told(users, worker):
	idle = new_lead(users["sales_b"])["name"]
	active = new_lead(users["sales_b"])["name"]
	users["sales_b"].insert(
		"CRM Interaction", {"lead": active, "interaction_type": "Call", "summary": "跟进"}
	)
	customer = (
		users["sales_b"].insert("CRM Customer", {"customer_name": "闲置客户有限公司"}).json()["data"]["name"]
	)
	fresh()
	long_ago = add_days(now_datetime(), -40)
	for doctype, name in (("CRM Lead", idle), ("CRM Lead", active), ("CRM Customer", customer)):
		frappe.db.set_value(doctype, name, "owner_since", long_ago, update_modified=False)
	frappe.db.commit()

	run_scheduled_job("crm_app.jobs.return_idle_records_to_pool")
	fresh()
	assert frappe.db.get_value("CRM Lead", idle, "lead_owner") is None
	assert frappe.db.get_value("CRM Customer", customer, "sales_owner") is None
	assert frappe.db.get_value("CRM Lead", active, "lead_owner") == email_of("sales_b")
	log = frappe.get_all("CRM Pool Log", {"document_name": idle}, ["action", "previous_owner"])
	assert log == [{"action": "Return", "previous_owner": email_of("sales_b")}]
	assert frappe.db.exists(
		"Notification Log", {"for_user": email_of("sales_b"), "subject": ("like", "%public pool%")}
	)
