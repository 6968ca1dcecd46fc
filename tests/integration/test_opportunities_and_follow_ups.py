"""The funnel: stage gates, the stage log, the kanban board, follow-up reminders and stall alerts."""

import frappe
from frappe.utils import add_days, getdate, now_datetime, today

from tests.integration.client import messages
from tests.integration.conftest import email_of, fresh, run_scheduled_job, settle, unique_name


def new_customer(client) -> str:
	response = client.insert(
		"CRM Customer", {"customer_name": unique_name(), "contacts": [{"contact_name": "李强"}]}
	)
	assert response.status_code == 200, messages(response)
	return response.json()["data"]["name"]


def new_opportunity(client, customer: str, **values) -> dict:
	response = client.insert(
		"CRM Opportunity",
		{"opportunity_name": "年度采购", "customer": customer, "stage": "初步接触", **values},
	)
	assert response.status_code == 200, messages(response)
	return response.json()["data"]


def move(client, name: str, stage: str, **values):
	return client.update("CRM Opportunity", name, {"stage": stage, **values})


def test_stage_gate_lists_what_is_missing_and_logs_each_move(users):
	client = users["sales_a"]
	opp = new_opportunity(client, new_customer(client))
	refused = move(client, opp["name"], "需求确认")
	assert refused.status_code == 417
	text = messages(refused)
	assert "Amount" in text and "Expected Close Date" in text
	fresh()
	assert frappe.db.get_value("CRM Opportunity", opp["name"], "stage") == "初步接触"

	moved = move(
		client, opp["name"], "需求确认", amount=88000, expected_close_date=str(add_days(today(), 30))
	)
	assert moved.status_code == 200, messages(moved)
	doc = moved.json()["data"]
	assert (doc["probability"], doc["status"]) == (30, "Open")
	log = doc["stage_history"]
	assert [(row.get("from_stage"), row["to_stage"]) for row in log] == [
		(None, "初步接触"),
		("初步接触", "需求确认"),
	]
	assert log[1]["time_in_previous_stage"] >= 0

	blocked = move(client, opp["name"], "合同谈判")
	assert blocked.status_code == 417
	assert "an approved CRM Quotation" in messages(blocked)
	back = move(client, opp["name"], "初步接触")  # stepping back needs nothing
	assert back.status_code == 200


def test_lost_needs_a_reason(users):
	client = users["sales_a"]
	opp = new_opportunity(client, new_customer(client))
	refused = move(client, opp["name"], "输单")
	assert refused.status_code == 417
	assert "reason the deal was lost" in messages(refused)
	lost = move(client, opp["name"], "输单", lost_reason="价格太高")
	assert lost.status_code == 200
	assert lost.json()["data"]["status"] == "Lost"


def reached(client) -> dict[str, int]:
	response = client.post(
		"frappe.desk.query_report.run", report_name="CRM Sales Funnel", filters={"scope": "Mine"}
	)
	assert response.status_code == 200, messages(response)
	return {row["stage"]: row["reached"] for row in response.json()["message"]["result"]}


def furthest_stage(name: str) -> str | None:
	fresh()
	return frappe.db.get_value("CRM Opportunity", name, "furthest_stage")


def test_a_deal_counts_in_the_funnel_up_to_the_furthest_stage_it_reached(users, worker):
	client, admin = users["sales_a"], users["admin"]
	before = reached(client)
	opp = new_opportunity(client, new_customer(client))
	moved = move(
		client, opp["name"], "需求确认", amount=52000, expected_close_date=str(add_days(today(), 20))
	)
	assert moved.status_code == 200, messages(moved)
	assert move(client, opp["name"], "初步接触").status_code == 200
	lost = move(client, opp["name"], "输单", lost_reason="价格太高")
	assert lost.status_code == 200, messages(lost)
	assert lost.json()["data"]["furthest_stage"] == "需求确认"
	after = reached(client)
	assert {stage: after[stage] - before[stage] for stage in after} == {
		"初步接触": 1,
		"需求确认": 1,
		"方案报价": 0,
		"合同谈判": 0,
		"赢单": 0,
	}
	ignored = client.update("CRM Opportunity", opp["name"], {"furthest_stage": "赢单"})
	assert ignored.status_code == 200 and furthest_stage(opp["name"]) == "需求确认"

	# the stages put in another order: every deal's furthest stage follows it, in a job
	first_order = frappe.db.get_value("CRM Sales Stage", "初步接触", "stage_order")
	try:
		reordered = admin.update("CRM Sales Stage", "初步接触", {"stage_order": 45})
		assert reordered.status_code == 200, messages(reordered)
		settle()
		assert furthest_stage(opp["name"]) == "初步接触"
	finally:
		assert admin.update("CRM Sales Stage", "初步接触", {"stage_order": first_order}).status_code == 200
		settle()
	assert furthest_stage(opp["name"]) == "需求确认"


def test_a_deal_lost_closes_its_follow_ups(users):
	client = users["sales_a"]
	opp = new_opportunity(client, new_customer(client))
	logged = client.insert(
		"CRM Interaction",
		{
			"opportunity": opp["name"],
			"interaction_type": "Call",
			"summary": "客户考虑中",
			"next_follow_up_date": str(add_days(today(), 3)),
		},
	)
	assert logged.status_code == 200, messages(logged)
	fresh()
	assert frappe.db.exists("ToDo", {"reference_name": opp["name"], "status": "Open"})
	assert move(client, opp["name"], "输单", lost_reason="价格太高").status_code == 200
	fresh()
	assert not frappe.db.exists("ToDo", {"reference_name": opp["name"], "status": "Open"})
	assert frappe.db.get_value("CRM Opportunity", opp["name"], "_assign") == "[]"


def test_kanban_board_has_a_column_per_stage(users):
	board = users["sales_a"].get_doc("Kanban Board", "CRM Opportunity Funnel").json()["data"]
	assert board["field_name"] == "stage"
	assert [c["column_name"] for c in board["columns"]] == [
		"初步接触",
		"需求确认",
		"方案报价",
		"合同谈判",
		"赢单",
		"输单",
	]


def test_opportunities_are_private_to_their_owner_and_team(users):
	opp = new_opportunity(users["sales_c"], new_customer(users["sales_c"]))
	assert users["sales_a"].get_doc("CRM Opportunity", opp["name"]).status_code == 404
	assert users["east_manager"].get_doc("CRM Opportunity", opp["name"]).status_code == 404
	assert users["south_manager"].get_doc("CRM Opportunity", opp["name"]).status_code == 200
	assert opp["name"] not in {row["name"] for row in users["sales_a"].list("CRM Opportunity")}


def test_follow_up_date_creates_a_todo_for_the_owner_and_the_next_interaction_settles_it(users):
	customer = new_customer(users["sales_a"])
	follow_up = str(add_days(today(), 3))
	first = users["east_manager"].insert(
		"CRM Interaction",
		{
			"customer": customer,
			"interaction_type": "Visit",
			"summary": "拜访，约三天后回电",
			"next_follow_up_date": follow_up,
		},
	)
	assert first.status_code == 200, messages(first)
	fresh()
	todo = frappe.get_all(
		"ToDo",
		{"reference_type": "CRM Customer", "reference_name": customer, "status": "Open"},
		["allocated_to", "date"],
	)
	assert todo == [{"allocated_to": email_of("sales_a"), "date": getdate(follow_up)}]
	users["sales_a"].insert(
		"CRM Interaction", {"customer": customer, "interaction_type": "Call", "summary": "已回电"}
	)
	fresh()
	assert not frappe.db.exists("ToDo", {"reference_name": customer, "status": "Open"})


def test_due_follow_up_reminds_by_notification_and_email(users, worker, outgoing_email):
	customer = new_customer(users["sales_b"])
	fresh()
	title = frappe.db.get_value("CRM Customer", customer, "customer_name")
	users["sales_b"].insert(
		"CRM Interaction",
		{"customer": customer, "interaction_type": "Call", "summary": "报价", "next_follow_up_date": today()},
	)
	fresh()
	frappe.set_user("Administrator")
	overdue = frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": email_of("sales_b"),
			"reference_type": "CRM Customer",
			"reference_name": customer,
			"date": add_days(today(), -3),
			"description": "上周该回访",
		}
	).insert()
	frappe.db.commit()
	since = now_datetime()
	run_scheduled_job("crm_app.jobs.remind_follow_ups")
	logs = frappe.get_all(
		"Notification Log",
		filters={"for_user": email_of("sales_b"), "creation": (">=", since)},
		fields=["subject", "document_type", "document_name", "link"],
	)
	due = [log for log in logs if log.document_name == customer]
	# in sales_b's language, naming the customer and the plan, opening the customer
	assert due and due[0].document_type == "CRM Customer"
	assert "今日跟进" in due[0].subject and title in due[0].subject
	summary = [log for log in logs if log.link and "Overdue" in log.link]
	assert summary and "逾期" in summary[0].subject
	assert frappe.db.sql(
		"""select q.name from `tabEmail Queue` q join `tabEmail Queue Recipient` r on r.parent = q.name
		where r.recipient = %s and q.creation >= %s""",
		(email_of("sales_b"), since),
	)
	overdue.delete()
	frappe.db.commit()


def test_without_an_outgoing_account_admins_are_told_once(users, worker):
	fresh()
	accounts = frappe.get_all("Email Account", {"default_outgoing": 1}, pluck="name")
	frappe.db.set_value("Email Account", {"name": ("in", accounts or [""])}, "default_outgoing", 0)
	frappe.db.set_default("crm_app_told_no_email_account", None)
	frappe.db.commit()
	try:
		since = now_datetime()
		for _ in range(2):
			run_scheduled_job("crm_app.jobs.remind_follow_ups")
		told = frappe.get_all(
			"Notification Log",
			filters={"for_user": email_of("admin"), "creation": (">=", since), "link": "/app/email-account"},
			pluck="subject",
		)
		assert len(told) == 1 and "outgoing e-mail account" in told[0]
	finally:
		frappe.db.set_value("Email Account", {"name": ("in", accounts or [""])}, "default_outgoing", 1)
		frappe.db.commit()


def test_overdue_follow_ups_report_shows_own_and_team(users):
	customer = new_customer(users["sales_b"])
	fresh()
	frappe.set_user("Administrator")
	frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": email_of("sales_b"),
			"reference_type": "CRM Customer",
			"reference_name": customer,
			"date": add_days(today(), -2),
			"description": "逾期回访",
		}
	).insert()
	frappe.db.commit()

	def overdue(who):
		response = users[who].post(
			"frappe.desk.query_report.run", report_name="CRM Overdue Follow-ups", filters={}
		)
		assert response.status_code == 200, response.text
		return {
			row["reference_name"]: row
			for row in response.json()["message"]["result"]
			if isinstance(row, dict)
		}

	mine = overdue("sales_b")[customer]
	assert mine["days_overdue"] == 2
	assert mine["title"] == frappe.db.get_value("CRM Customer", customer, "customer_name")
	assert mine["assignee"] == frappe.db.get_value("User", email_of("sales_b"), "full_name")
	assert customer in overdue("east_manager")
	assert customer not in overdue("sales_a")
	assert customer not in overdue("south_manager")


def test_stalled_deal_alerts_owner_and_manager_once(users, worker):
	opp = new_opportunity(users["sales_d"], new_customer(users["sales_d"]))
	fresh()
	frappe.db.set_value(
		"CRM Opportunity",
		opp["name"],
		"stage_changed_at",
		add_days(now_datetime(), -10),
		update_modified=False,
	)
	frappe.db.commit()
	run_scheduled_job("crm_app.jobs.alert_stalled_deals")
	fresh()
	alerted = set(frappe.get_all("Notification Log", {"document_name": opp["name"]}, pluck="for_user"))
	# sales_d's team (杭州组) has no manager, so the alert goes up to 华东销售部's manager
	assert alerted == {email_of("sales_d"), email_of("east_manager")}
	run_scheduled_job("crm_app.jobs.alert_stalled_deals")
	fresh()
	assert frappe.db.count("Notification Log", {"document_name": opp["name"]}) == 2
