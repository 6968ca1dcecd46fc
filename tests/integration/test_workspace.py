"""The workspaces' figures: each card names its scope (one's own, or the team's for managers) and agrees with the
list or report it opens; the funnel reads in the funnel's order."""

import json

import frappe
from frappe.utils import add_days, today

from tests.integration.client import messages
from tests.integration.conftest import email_of, fresh, unique_mobile, unique_name
from tests.integration.test_leads_and_pool import pool_lead
from tests.integration.test_opportunities_and_follow_ups import new_customer, new_opportunity

TEAM_EAST = {email_of(key) for key in ("east_manager", "sales_a", "sales_b", "sales_d")}


def card_filters(card, user: str) -> list:
	"""The filters the desk sends for a card, its dynamic ones evaluated as the browser would for `user`."""
	dynamic = json.loads(card.dynamic_filters_json or "[]")
	assert all(f[3] == "frappe.session.user" for f in dynamic), dynamic
	return json.loads(card.filters_json or "[]") + [[*f[:3], user] for f in dynamic]


def figure(client, name: str):
	card = frappe.get_doc("Number Card", name)
	if card.type == "Custom":
		response = client.post(card.method, filters=json.loads(card.filters_json))
		assert response.status_code == 200, messages(response)
		return response.json()["message"]["value"]
	response = client.post(
		"frappe.desk.doctype.number_card.number_card.get_result",
		doc=name,
		filters=card_filters(card, client.user),
	)
	assert response.status_code == 200, messages(response)
	return response.json()["message"]


def listed(client, name: str) -> list[dict]:
	"""What clicking the card opens: its DocType's list with the card's filters."""
	card = frappe.get_doc("Number Card", name)
	owner_field = frappe.get_hooks("crm_owner_fields")[card.document_type][0]
	fields = ["name", owner_field]
	if card.aggregate_function_based_on:
		fields.append(card.aggregate_function_based_on)
	return client.list(card.document_type, fields=fields, filters=card_filters(card, client.user))


def overdue_report_total(client, **filters) -> int:
	response = client.post(
		"frappe.desk.query_report.run", report_name="CRM Overdue Follow-ups", filters=filters
	)
	assert response.status_code == 200, messages(response)
	return response.json()["message"]["report_summary"][0]["value"]


def some_records(users):
	"""A lead, an open opportunity and an overdue follow-up for sales_a, and a lead in the public pool."""
	client = users["sales_a"]
	lead = client.insert(
		"CRM Lead",
		{"lead_name": unique_name("卡片"), "mobile_no": unique_mobile(), "lead_owner": client.user},
	)
	assert lead.status_code == 200, messages(lead)
	customer = new_customer(client)
	new_opportunity(client, customer, amount=120000)
	pool_lead()
	fresh()
	frappe.set_user("Administrator")
	frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": client.user,
			"reference_type": "CRM Customer",
			"reference_name": customer,
			"date": add_days(today(), -3),
			"description": "卡片逾期",
		}
	).insert()
	frappe.db.commit()


def test_own_cards_count_only_ones_own_and_agree_with_their_lists(users):
	some_records(users)
	for who in ("sales_a", "east_manager"):
		client = users[who]
		for name in ("CRM My Open Leads", "CRM My Open Opportunities", "CRM My Open Pipeline Value"):
			rows = listed(client, name)
			card = frappe.get_doc("Number Card", name)
			owner_field = frappe.get_hooks("crm_owner_fields")[card.document_type][0]
			assert {row[owner_field] for row in rows} <= {client.user}, name
			expected = (
				sum(row[card.aggregate_function_based_on] or 0 for row in rows)
				if card.function == "Sum"
				else len(rows)
			)
			assert figure(client, name) == expected, (who, name)
	assert figure(users["sales_a"], "CRM My Open Leads") >= 1


def test_team_cards_count_the_team_and_leave_the_pool_to_its_own_card(users):
	some_records(users)
	manager = users["east_manager"]
	for name in ("CRM Team Open Leads", "CRM Team Open Opportunities", "CRM Team Open Pipeline Value"):
		rows = listed(manager, name)
		card = frappe.get_doc("Number Card", name)
		owner_field = frappe.get_hooks("crm_owner_fields")[card.document_type][0]
		owners = {row[owner_field] for row in rows}
		assert owners <= TEAM_EAST and None not in owners, name
		assert email_of("sales_a") in owners, name
		expected = (
			sum(row[card.aggregate_function_based_on] or 0 for row in rows)
			if card.function == "Sum"
			else len(rows)
		)
		assert figure(manager, name) == expected, name
	pool = listed(manager, "CRM Public Pool Leads")
	assert pool and {row["lead_owner"] for row in pool} == {None}
	assert figure(manager, "CRM Public Pool Leads") == len(pool)
	assert figure(manager, "CRM Team Open Leads") > figure(manager, "CRM My Open Leads")


def test_overdue_cards_agree_with_the_overdue_report(users):
	some_records(users)
	sales, manager = users["sales_a"], users["east_manager"]
	assert figure(sales, "CRM My Overdue Follow-ups") == overdue_report_total(sales) >= 1
	team = figure(manager, "CRM Team Overdue Follow-ups")
	assert team == overdue_report_total(manager)
	own = figure(manager, "CRM My Overdue Follow-ups")
	assert own == overdue_report_total(manager, allocated_to=manager.user)
	assert team >= own + figure(sales, "CRM My Overdue Follow-ups")

	refused = sales.post("crm_app.api.workspace.overdue_follow_ups", filters={"scope": "everyone"})
	assert refused.status_code == 417 and "Scope" in messages(refused)


def test_the_funnel_reads_in_stage_order_and_counts_what_the_lists_show(users):
	some_records(users)
	stages = [
		stage.name
		for stage in frappe.get_all(
			"CRM Sales Stage", fields=["name", "is_won", "is_lost"], order_by="stage_order asc"
		)
		if not stage.is_lost
	]
	for who, scope in (("east_manager", "Team"), ("sales_a", "Mine")):
		client = users[who]
		response = client.post(
			"frappe.desk.query_report.run", report_name="CRM Sales Funnel", filters={"scope": scope}
		)
		assert response.status_code == 200, messages(response)
		result = response.json()["message"]
		assert [row["stage"] for row in result["result"]] == stages
		assert result["chart"]["data"]["labels"] == stages
		owner = (
			["opportunity_owner", "=", client.user] if scope == "Mine" else ["opportunity_owner", "is", "set"]
		)
		opportunities = client.list(
			"CRM Opportunity", fields=["stage"], filters=[["status", "=", "Open"], owner]
		)
		for row in result["result"]:
			assert row["opportunities"] == sum(1 for o in opportunities if o["stage"] == row["stage"]), row
	refused = users["sales_a"].post(
		"frappe.desk.query_report.run", report_name="CRM Sales Funnel", filters={"scope": "Everyone"}
	)
	assert refused.status_code == 417


def test_the_team_workspace_is_for_managers(users):
	def pages(who):
		response = users[who].post("frappe.desk.desktop.get_workspace_sidebar_items")
		assert response.status_code == 200, messages(response)
		return {page["name"] for page in response.json()["message"]["pages"]}

	assert "Sales Team" not in pages("sales_a")
	assert {"Sales Team", "Sales and Customers"} <= pages("east_manager")
	assert "Sales Team" in pages("chief")
