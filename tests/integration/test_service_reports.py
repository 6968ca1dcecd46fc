"""The service performance report (服务绩效) over REST: tickets of two service teams, opened, answered and
resolved at known instants, counted per team with their response and resolution targets met and their times in
working hours (标准服务: Monday to Friday, 09:00-12:00 and 13:30-18:00), each viewer counting only the tickets
they may see; bad filters get a translated error."""

import frappe
import pytest

from crm_app.service.tickets import update_clock
from tests.integration.client import messages
from tests.integration.conftest import settle, unique_mobile, unique_name
from tests.integration.test_tickets import act, ok, open_ticket

REPORT = "CRM Service Performance"
# a fortnight of March 2025 with neither public holidays nor make-up working days
PERIOD = {"from_date": "2025-03-10", "to_date": "2025-03-21"}
EAST, SOUTH = "华东服务组", "华南服务组"
GOODS = {"product_type": "Goods", "channel": "Phone"}  # routed to 华东服务组
MAILED = {"product_type": "Consumable", "channel": "Email"}  # routed to 华南服务组

# ticket -> (customer's salesperson, team, routing, actions, agent key, satisfaction, instants)
TICKETS = {
	# opened Friday 17:00, answered Monday 09:30: 1.5 working hours; resolved by 11:00: 3
	"east_1": (
		"sales_b",
		EAST,
		GOODS,
		("Start Work", "Resolve"),
		"agent_east",
		10,
		{
			"opened_on": "2025-03-14 17:00:00",
			"first_responded_on": "2025-03-17 09:30:00",
			"response_by": "2025-03-17 09:00:00",
			"resolved_on": "2025-03-17 11:00:00",
			"resolution_by": "2025-03-17 16:00:00",
		},
	),
	# answered in 0.7 working hours, in time; resolved the next day after 8 working hours, late
	"east_2": (
		"sales_c",
		EAST,
		GOODS,
		("Start Work", "Resolve"),
		"agent_east",
		7,
		{
			"opened_on": "2025-03-17 10:00:00",
			"first_responded_on": "2025-03-17 10:42:00",
			"response_by": "2025-03-17 11:00:00",
			"resolved_on": "2025-03-18 10:30:00",
			"resolution_by": "2025-03-18 09:00:00",
		},
	),
	# never answered: open, and in no target's count yet
	"east_3": (
		"sales_b",
		EAST,
		GOODS,
		(),
		"agent_east",
		0,
		{
			"opened_on": "2025-03-18 09:00:00",
			"response_by": "2025-03-18 10:00:00",
			"resolution_by": "2025-03-18 16:30:00",
		},
	),
	# answered in 0.8 working hours; waited on the customer 10:00-11:00, so resolved in 2.5 working hours
	"south_1": (
		"sales_b",
		SOUTH,
		MAILED,
		("Start Work", "Ask Customer", "Customer Replied", "Resolve"),
		"agent_south",
		9,
		{
			"opened_on": "2025-03-19 09:00:00",
			"first_responded_on": "2025-03-19 09:48:00",
			"response_by": "2025-03-19 10:00:00",
			"resolved_on": "2025-03-19 14:00:00",
			"resolution_by": "2025-03-19 16:30:00",
		},
	),
	# answered late, after 2.2 working hours, and still being worked on
	"south_2": (
		"sales_c",
		SOUTH,
		MAILED,
		("Start Work",),
		"agent_south",
		0,
		{
			"opened_on": "2025-03-20 09:00:00",
			"first_responded_on": "2025-03-20 11:12:00",
			"response_by": "2025-03-20 10:00:00",
			"resolution_by": "2025-03-20 17:00:00",
		},
	),
}
SOUTH_1_WAITED = ("2025-03-19 10:00:00", "2025-03-19 11:00:00")

FIGURES = (
	"opened",
	"resolved",
	"open_now",
	"response_met",
	"resolution_met",
	"response_hours",
	"resolution_hours",
	"satisfaction",
	"rated",
)
EAST_ALL = (3, 2, 1, 50.0, 50.0, 1.1, 5.5, 8.5, 2)
SOUTH_ALL = (2, 1, 1, 50.0, 100.0, 1.5, 2.5, 9.0, 1)


@pytest.fixture(scope="module")
def tickets(users, worker) -> dict[str, str]:
	"""The tickets above, taken through the workflow over REST, then set to their instants in the database."""
	customers = {
		key: ok(
			users[key].insert(
				"CRM Customer", {"customer_name": unique_name("服务报表客户"), "mobile_no": unique_mobile()}
			)
		)["name"]
		for key in ("sales_b", "sales_c")
	}
	names = {}
	for key, (salesperson, _team, routing, actions, agent, satisfaction, _instants) in TICKETS.items():
		name = open_ticket(users["service_manager"], customers[salesperson], **routing)["name"]
		for action in actions:
			act(users[agent], name, action)
		if satisfaction:
			ok(users[agent].update("CRM Ticket", name, {"satisfaction": satisfaction}), "rate")
		names[key] = name
	# the assignment rule has run: nothing changes the tickets after the instants below
	settle()
	for key, (_salesperson, team, _routing, _actions, agent, _satisfaction, instants) in TICKETS.items():
		assert frappe.db.get_value("CRM Ticket", names[key], "service_team") == team, key
		frappe.db.set_value(
			"CRM Ticket",
			names[key],
			{
				"agent": users[agent].user,
				"first_responded_on": None,
				"resolved_on": None,
				**instants,
			},
			update_modified=False,
		)
	pause = frappe.qb.DocType("CRM Ticket Pause")
	(
		frappe.qb.update(pause)
		.set(pause.paused_at, SOUTH_1_WAITED[0])
		.set(pause.resumed_at, SOUTH_1_WAITED[1])
		.where(pause.parent == names["south_1"])
	).run()
	# the times a ticket keeps once its clocks stop, as its save would have kept them at those instants
	for name in names.values():
		ticket = frappe.get_doc("CRM Ticket", name)
		update_clock(ticket)
		frappe.db.set_value(
			"CRM Ticket",
			name,
			{"response_minutes": ticket.response_minutes, "resolution_minutes": ticket.resolution_minutes},
			update_modified=False,
		)
	frappe.db.commit()
	return names


def run_report(client, **filters):
	return client.post("frappe.desk.query_report.run", report_name=REPORT, filters={**PERIOD, **filters})


def report(client, **filters) -> dict:
	response = run_report(client, **filters)
	assert response.status_code == 200, messages(response)
	return response.json()["message"]


def by_group(result: dict) -> dict[str, tuple]:
	return {row["group"]: tuple(row[figure] for figure in FIGURES) for row in result["result"]}


def summary(result: dict) -> dict[str, object]:
	return {item["label"]: item["value"] for item in result["report_summary"]}


def test_figures_per_team_in_working_hours(users, tickets):
	result = report(users["admin"])
	assert by_group(result) == {EAST: EAST_ALL, SOUTH: SOUTH_ALL}
	totals = summary(result)
	assert (totals["Tickets Opened"], totals["Resolved"], totals["Open Now"]) == (5, 3, 2)
	assert (totals["Response Target Met"], totals["Resolution Target Met"]) == (50.0, 66.7)
	assert totals["Average First Response (Working Hours)"] == "1.3"
	assert totals["Average Resolution (Working Hours)"] == "4.5"
	assert totals["Average Satisfaction"] == "8.7"
	chart = result["chart"]["data"]
	assert chart["labels"] == [EAST, SOUTH] and chart["datasets"][0]["values"] == [3, 2]


def test_each_viewer_counts_only_the_tickets_they_may_see(users, tickets):
	# the manager of 华东服务组 and the agent of 华南服务组 each count their own team's tickets only
	assert by_group(report(users["service_manager"])) == {EAST: EAST_ALL}
	south = report(users["agent_south"])
	assert by_group(south) == {SOUTH: SOUTH_ALL}
	assert summary(south)["Tickets Opened"] == 2
	# the salesperson counts the tickets of their own customers, whichever team has them
	assert by_group(report(users["sales_b"])) == {
		EAST: (2, 1, 1, 0.0, 100.0, 1.5, 3.0, 10.0, 1),
		SOUTH: (1, 1, 0, 100.0, 100.0, 0.8, 2.5, 9.0, 1),
	}
	# naming another team's tickets in the filter finds nothing more
	assert by_group(report(users["agent_south"], service_team=EAST)) == {}


def test_other_groupings_and_filters(users, tickets):
	assert by_group(report(users["admin"], group_by="Agent")) == {
		"agent_east": EAST_ALL,
		"agent_south": SOUTH_ALL,
	}
	# option values read in the viewer's language
	channels = report(users["service_manager"], group_by="Channel")
	assert by_group(channels) == {"电话": EAST_ALL}
	assert [column["label"] for column in channels["columns"]][:2] == ["渠道", "新建工单数"]
	assert by_group(report(users["admin"], group_by="Product Type", service_team=SOUTH)) == {
		"Consumable": SOUTH_ALL
	}
	assert by_group(report(users["admin"], priority="Urgent")) == {}
	# the period is the day tickets were opened, both ends included
	assert by_group(report(users["admin"], from_date="2025-03-19", to_date="2025-03-19")) == {
		SOUTH: (1, 1, 0, 100.0, 100.0, 0.8, 2.5, 9.0, 1)
	}


def test_bad_filters_and_outsiders_are_refused(users, tickets):
	manager = users["service_manager"]
	backwards = run_report(manager, from_date="2025-03-21", to_date="2025-03-10")
	assert backwards.status_code == 417 and "开始日期不能晚于结束日期" in messages(backwards)
	unknown = run_report(manager, group_by="Region")
	assert unknown.status_code == 417 and "分组方式只能是以下之一" in messages(unknown)
	listed = run_report(manager, group_by=["Team"])
	assert listed.status_code == 417 and "分组方式只能是以下之一" in messages(listed)
	not_a_day = run_report(manager, from_date="2025-02-30")
	assert not_a_day.status_code == 417 and "不是有效的日期格式" in messages(not_a_day)
	not_a_date = run_report(manager, to_date=["2025-03-21"])
	assert not_a_date.status_code == 417 and "结束日期必须是日期" in messages(not_a_date)
	priority = run_report(users["admin"], priority="Whenever")
	assert priority.status_code == 417 and "Priority must be one of its listed choices" in messages(priority)
	assert run_report(users["warehouse"]).status_code == 403
