"""Service levels and the holiday calendar over REST: an admin sets a level up with working hours and targets,
bad hours and targets are refused with a clear, translated 4xx, the China calendar ships with the Spring
Festival's holidays and make-up working days (调休), and who may change what."""

from datetime import date, datetime

import frappe
import pytest

from crm_app.defaults import HOLIDAY_CALENDAR, SERVICE_LEVEL
from crm_app.service.sla import deadlines
from tests.integration.client import Client, messages
from tests.integration.conftest import fresh

OFFICE_HOURS = [
	{"weekday": day, "start_time": start, "end_time": end}
	for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
	for start, end in (("09:00:00", "12:00:00"), ("13:30:00", "18:00:00"))
]
TARGETS = [
	{"priority": "Urgent", "response_minutes": 30, "resolution_minutes": 240},
	{"priority": "High", "response_minutes": 60, "resolution_minutes": 450},
	{"priority": "Medium", "response_minutes": 240, "resolution_minutes": 1350},
	{"priority": "Low", "response_minutes": 480, "resolution_minutes": 2250},
]


def new_level(**values) -> dict:
	return {
		"service_level_name": f"测试服务{frappe.generate_hash(length=8)}",
		"holiday_calendar": HOLIDAY_CALENDAR,
		"at_risk_percent": 20,
		"working_hours": OFFICE_HOURS,
		"targets": TARGETS,
		**values,
	}


@pytest.fixture(scope="module")
def service_desk(base_url, users) -> dict[str, Client]:
	"""A service manager (客服主管) and an agent (客服), beside the suite's admins and salespeople."""
	return {"service_manager": users["service_manager"], "service_agent": users["agent_east"]}


@pytest.fixture(scope="module")
def created():
	names = []
	yield names
	fresh()
	for name in names:
		frappe.delete_doc("CRM Service Level", name, force=True, ignore_permissions=True)
	frappe.db.commit()


def test_an_admin_sets_up_a_service_level(users, created):
	response = users["admin"].insert("CRM Service Level", new_level())
	assert response.status_code == 200, messages(response)
	level = response.json()["data"]
	created.append(level["name"])
	assert [(row["weekday"], row["start_time"], row["end_time"]) for row in level["working_hours"][:2]] == [
		("Monday", "09:00:00", "12:00:00"),
		("Monday", "13:30:00", "18:00:00"),
	]
	assert {row["priority"]: row["response_minutes"] for row in level["targets"]} == {
		"Urgent": 30,
		"High": 60,
		"Medium": 240,
		"Low": 480,
	}
	fresh()
	# the ticket's clock under it: opened the evening before the 2025 Spring Festival, answered after it
	clock = deadlines(level["name"], "High", "2025-01-27 17:30:00", now="2025-02-05 09:20:00")
	assert clock.response_by == datetime(2025, 2, 5, 9, 30)
	assert clock.resolution_by == datetime(2025, 2, 5, 17, 30)
	# 50 of the 60 response minutes gone: no more than the level's 20% left
	assert (clock.response_minutes, clock.status) == (50, "At Risk")


@pytest.mark.parametrize(
	("values", "message"),
	[
		(
			{"working_hours": [{"weekday": "Monday", "start_time": "18:00:00", "end_time": "09:00:00"}]},
			"结束时间必须晚于开始时间",
		),
		(
			{
				"working_hours": [
					{"weekday": "Tuesday", "start_time": "09:00:00", "end_time": "12:30:00"},
					{"weekday": "Tuesday", "start_time": "12:00:00", "end_time": "18:00:00"},
				]
			},
			"星期二: 工作时间 09:00-12:30 与 12:00-18:00 重叠",
		),
		({"targets": [{**TARGETS[0], "response_minutes": 0}, *TARGETS[1:]]}, "响应时间必须是正的分钟数"),
		({"targets": [{**TARGETS[0], "resolution_minutes": 20}, *TARGETS[1:]]}, "响应时间不能长于解决时间"),
		({"targets": TARGETS[1:]}, "紧急: 该优先级没有设置服务目标"),
		({"at_risk_percent": 100}, "即将超时阈值必须不低于 0% 且低于 100%"),
		(
			{"working_hours": [{"weekday": "Monday", "start_time": "25:00:00", "end_time": "26:00:00"}]},
			"开始时间",
		),
	],
)
def test_bad_hours_and_targets_are_refused_clearly(users, values, message):
	level = new_level(**values)
	response = users["chief"].insert("CRM Service Level", level)
	assert 400 <= response.status_code < 500, response.text
	assert message in messages(response)
	assert "Traceback" not in response.text
	fresh()
	assert not frappe.db.exists("CRM Service Level", level["service_level_name"])


def test_the_china_calendar_ships_with_the_spring_festival_and_its_make_up_days(users):
	response = users["admin"].get_doc("CRM Holiday Calendar", HOLIDAY_CALENDAR)
	assert response.status_code == 200, messages(response)
	days = {date.fromisoformat(row["calendar_date"]): row for row in response.json()["data"]["days"]}
	spring_festival = [date(2025, 1, day) for day in range(28, 32)] + [
		date(2025, 2, day) for day in range(1, 5)
	]
	for day in spring_festival:
		assert (days[day]["kind"], days[day]["description"]) == ("Holiday", "春节"), day
	for day in (date(2025, 1, 26), date(2025, 2, 8)):  # a Sunday and a Saturday, worked
		assert (days[day]["kind"], days[day]["description"]) == ("Working Day", "春节调休"), day
	assert date(2025, 1, 27) not in days and date(2025, 2, 5) not in days
	assert min(days).year <= 2025 <= max(days).year
	standard = users["admin"].get_doc("CRM Service Level", SERVICE_LEVEL).json()["data"]
	assert (standard["is_default"], standard["holiday_calendar"]) == (1, HOLIDAY_CALENDAR)


def test_who_may_change_service_levels_and_calendars(users, service_desk, created):
	manager, agent, sales = service_desk["service_manager"], service_desk["service_agent"], users["sales_a"]
	response = manager.insert("CRM Service Level", new_level())
	assert response.status_code == 200, messages(response)
	name = response.json()["data"]["name"]
	created.append(name)
	assert manager.update("CRM Service Level", name, {"at_risk_percent": 30}).status_code == 200
	assert agent.get_doc("CRM Service Level", name).status_code == 200
	assert agent.update("CRM Service Level", name, {"at_risk_percent": 10}).status_code == 403
	assert agent.insert("CRM Service Level", new_level()).status_code == 403
	assert sales.get_doc("CRM Service Level", name).status_code in (403, 404)
	for client in (manager, agent):
		assert client.get_doc("CRM Holiday Calendar", HOLIDAY_CALENDAR).status_code == 200
		changed = client.update("CRM Holiday Calendar", HOLIDAY_CALENDAR, {"description": "改"})
		assert changed.status_code == 403
	fresh()
	assert frappe.db.get_value("CRM Service Level", name, "at_risk_percent") == 30
