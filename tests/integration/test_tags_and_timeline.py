"""Rule-based tags applied by the scheduled job, and the customer's one timeline."""

import frappe
from frappe.utils import add_days, now_datetime

from tests.integration.client import messages
from tests.integration.conftest import fresh, run_scheduled_job, unique_mobile, unique_name

HIGH_INTENT = "高意向待转化"


def tags_of(customer: str) -> dict[str, str]:
	fresh()
	return dict(frappe.get_all("CRM Customer Tag", {"parent": customer}, ["tag", "source"], as_list=True))


def test_tag_job_tags_busy_customers_without_orders_and_untags_them_later(users, worker):
	client = users["sales_a"]
	busy = client.insert("CRM Customer", {"customer_name": unique_name()}).json()["data"]["name"]
	quiet = client.insert("CRM Customer", {"customer_name": unique_name()}).json()["data"]["name"]
	interactions = []
	for days_ago in (1, 20, 80):
		response = client.insert(
			"CRM Interaction",
			{
				"customer": busy,
				"interaction_type": "Call",
				"summary": "跟进报价",
				"interaction_time": str(add_days(now_datetime(), -days_ago)),
			},
		)
		assert response.status_code == 200, messages(response)
		interactions.append(response.json()["data"]["name"])
	client.insert(
		"CRM Interaction",
		{
			"customer": quiet,
			"interaction_type": "Call",
			"summary": "很久以前",
			"interaction_time": str(add_days(now_datetime(), -200)),
		},
	)

	run_scheduled_job("crm_app.jobs.analyse_customers_and_products")
	assert tags_of(busy) == {HIGH_INTENT: "Rule"}
	assert HIGH_INTENT not in tags_of(quiet)
	fresh()
	assert frappe.db.get_value("CRM Tag Rule", "近90天互动3次以上且未下单", "matched_customers") >= 1

	# a manual tag of the same name is never duplicated, and is not removed by the rule
	assert client.delete("CRM Interaction", interactions[0]).status_code == 202
	run_scheduled_job("crm_app.jobs.analyse_customers_and_products")
	assert HIGH_INTENT not in tags_of(busy)


def test_manual_tags_survive_the_job(users, worker):
	client = users["sales_a"]
	customer = client.insert(
		"CRM Customer", {"customer_name": unique_name(), "tags": [{"tag": HIGH_INTENT}, {"tag": "重点客户"}]}
	).json()["data"]["name"]
	run_scheduled_job("crm_app.jobs.analyse_customers_and_products")
	assert tags_of(customer) == {HIGH_INTENT: "Manual", "重点客户": "Manual"}


def test_rule_can_be_applied_on_demand_by_an_admin_only(users):
	rule = "近90天互动3次以上且未下单"
	call = {"dt": "CRM Tag Rule", "dn": rule, "method": "apply_now"}
	assert users["sales_a"].request("POST", "/api/method/run_doc_method", json=call).status_code == 403
	response = users["admin"].request("POST", "/api/method/run_doc_method", json=call)
	assert response.status_code == 200, messages(response)
	assert set(response.json()["message"]) == {"added", "removed", "matched"}


def test_invalid_rule_is_refused(users):
	response = users["admin"].insert(
		"CRM Tag Rule",
		{
			"rule_name": f"坏规则{frappe.generate_hash(length=4)}",
			"tag": "VIP客户",
			"conditions": [{"metric": "Order Amount", "operator": ">", "value": "很多"}],
		},
	)
	assert response.status_code == 417
	assert "needs a number" in messages(response)


def test_timeline_shows_interactions_changes_and_comments_newest_first(users):
	client = users["sales_a"]
	customer = client.insert("CRM Customer", {"customer_name": unique_name()}).json()["data"]["name"]
	client.insert(
		"CRM Interaction", {"customer": customer, "interaction_type": "WeChat", "summary": "微信沟通需求"}
	)
	assert client.update("CRM Customer", customer, {"tier": "VIP"}).status_code == 200
	client.post(
		"frappe.desk.form.utils.add_comment",
		reference_doctype="CRM Customer",
		reference_name=customer,
		content="客户很重视交期",
		comment_email=client.user,
		comment_by="sales_a",
	)
	timeline = client.get("crm_app.api.customers.get_timeline", customer=customer).json()["message"]
	kinds = [entry["kind"] for entry in timeline]
	assert {"interaction", "change", "comment"} <= set(kinds)
	times = [entry["time"] for entry in timeline]
	assert times == sorted(times, reverse=True)
	assert users["sales_c"].get("crm_app.api.customers.get_timeline", customer=customer).status_code == 404

	form = client.get("frappe.desk.form.load.getdoc", doctype="CRM Customer", name=customer).json()
	extra = form["docinfo"]["additional_timeline_content"]
	assert any("微信沟通需求" in item["content"] for item in extra)


def test_customer_shows_latest_follow_up_plan(users):
	client = users["sales_a"]
	customer = client.insert("CRM Customer", {"customer_name": unique_name()}).json()["data"]["name"]
	follow_up = str(add_days(now_datetime(), 7).date())
	client.insert(
		"CRM Interaction",
		{
			"customer": customer,
			"interaction_type": "Call",
			"summary": "约下周再谈",
			"next_follow_up_date": follow_up,
		},
	)
	doc = client.get_doc("CRM Customer", customer).json()["data"]
	assert doc["next_follow_up_date"] == follow_up
	assert doc["interaction_count"] == 1
	past = client.insert(
		"CRM Interaction",
		{
			"customer": customer,
			"interaction_type": "Call",
			"summary": "x",
			"next_follow_up_date": str(add_days(now_datetime(), -3).date()),
		},
	)
	assert past.status_code == 417


def test_lead_and_opportunity_forms_show_their_interactions(users):
	client = users["sales_a"]
	lead = client.insert("CRM Lead", {"lead_name": "黄先生", "mobile_no": unique_mobile()}).json()["data"][
		"name"
	]
	client.insert(
		"CRM Interaction", {"lead": lead, "interaction_type": "Call", "summary": "第一次电话，了解需求"}
	)
	customer = client.insert("CRM Customer", {"customer_name": unique_name()}).json()["data"]["name"]
	opp = client.insert(
		"CRM Opportunity", {"opportunity_name": "年度采购", "customer": customer, "stage": "初步接触"}
	).json()["data"]["name"]
	client.insert(
		"CRM Interaction", {"opportunity": opp, "interaction_type": "Meeting", "summary": "方案沟通会"}
	)
	for doctype, name, summary in (("CRM Lead", lead, "第一次电话"), ("CRM Opportunity", opp, "方案沟通会")):
		form = client.get("frappe.desk.form.load.getdoc", doctype=doctype, name=name).json()
		assert any(summary in item["content"] for item in form["docinfo"]["additional_timeline_content"])
