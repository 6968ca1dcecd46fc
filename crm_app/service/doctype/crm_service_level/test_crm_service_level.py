"""CRM Service Level: hours, targets and threshold are checked on save, one level is the default, and
crm_app.service.sla reads deadlines from a level and its calendar."""

from datetime import datetime

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.defaults import HOLIDAY_CALENDAR, SERVICE_LEVEL
from crm_app.service.sla import deadlines, default_service_level, load_service_level

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


def new_level(**values):
	return frappe.get_doc(
		{
			"doctype": "CRM Service Level",
			"service_level_name": f"测试服务{frappe.generate_hash(length=8)}",
			"holiday_calendar": HOLIDAY_CALENDAR,
			"working_hours": OFFICE_HOURS,
			"targets": TARGETS,
			**values,
		}
	)


class TestCRMServiceLevel(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("service_level_test")

	def tearDown(self):
		frappe.db.rollback(save_point="service_level_test")

	def test_the_standard_level_is_the_default_on_the_china_calendar(self):
		self.assertEqual(default_service_level(), SERVICE_LEVEL)
		level = frappe.get_doc("CRM Service Level", SERVICE_LEVEL)
		self.assertEqual(level.holiday_calendar, HOLIDAY_CALENDAR)
		self.assertEqual(len(level.working_hours), 10)
		self.assertEqual({row.priority for row in level.targets}, {"Low", "Medium", "High", "Urgent"})

	def test_deadlines_skip_the_spring_festival(self):
		# the last working hour before the 2025 Spring Festival, then 180 minutes after it
		clock = deadlines(SERVICE_LEVEL, "Urgent", "2025-01-27 17:00:00", now="2025-01-27 17:10:00")
		self.assertEqual(clock.response_by, datetime(2025, 1, 27, 17, 30))
		self.assertEqual(clock.resolution_by, datetime(2025, 2, 5, 12, 0))
		self.assertEqual((clock.response_minutes, clock.status), (10, "On Track"))
		waiting = [("2025-01-27 17:20:00", None)]
		paused = deadlines(
			SERVICE_LEVEL,
			"Urgent",
			"2025-01-27 17:00:00",
			waiting,
			responded_at="2025-01-27 17:20:00",
			now="2025-02-06 10:00:00",
		)
		self.assertEqual((paused.resolution_by, paused.status), (None, "Paused"))
		# across the Spring Festival week and its make-up weekend days
		festival = deadlines(
			SERVICE_LEVEL, "Low", "2025-01-24 09:00:00", responded_at="2025-02-10 09:00:00", now="2025-02-11"
		)
		self.assertEqual(festival.response_minutes, 7 * 450)

	def test_a_new_default_replaces_the_old_one(self):
		level = new_level(is_default=1).insert()
		self.assertEqual(default_service_level(), level.name)
		self.assertEqual(frappe.db.get_value("CRM Service Level", SERVICE_LEVEL, "is_default"), 0)

	def test_changed_hours_apply_within_the_same_request(self):
		level = new_level().insert()
		self.assertEqual(
			deadlines(level.name, "High", "2025-03-03 09:00:00").response_by, datetime(2025, 3, 3, 10)
		)
		level.working_hours[0].start_time = "08:00:00"
		level.save()
		self.assertEqual(
			deadlines(level.name, "High", "2025-03-03 08:00:00").response_by, datetime(2025, 3, 3, 9)
		)
		self.assertIsNotNone(load_service_level(level.name))

	def test_bad_hours_and_targets_are_refused_clearly(self):
		urgent_twice = [*TARGETS, {"priority": "Urgent", "response_minutes": 10, "resolution_minutes": 60}]
		for values, message in (
			(
				{"working_hours": [{"weekday": "Monday", "start_time": "18:00:00", "end_time": "09:00:00"}]},
				"Working Hours #1: The end time must be after the start time",
			),
			(
				{
					"working_hours": [
						{"weekday": "Monday", "start_time": "09:00:00", "end_time": "12:30:00"},
						{"weekday": "Monday", "start_time": "12:00:00", "end_time": "18:00:00"},
					]
				},
				"Monday: The working hours 09:00-12:30 and 12:00-18:00 overlap",
			),
			(
				{"targets": [{**TARGETS[0], "response_minutes": 0}, *TARGETS[1:]]},
				"Targets #1: The response time must be a positive number of minutes",
			),
			(
				{"targets": [{**TARGETS[0], "response_minutes": 300}, *TARGETS[1:]]},
				"Targets #1: The response time cannot be longer than the resolution time",
			),
			({"targets": TARGETS[1:]}, "Urgent: This priority has no targets"),
			({"targets": urgent_twice}, "Urgent: This priority has targets in more than one row"),
			({"at_risk_percent": 100}, "The at-risk threshold must be at least 0% and below 100%"),
		):
			with self.subTest(message=message), self.assertRaisesRegex(frappe.ValidationError, message):
				new_level(**values).insert()

	def test_an_unknown_level_is_not_found(self):
		with self.assertRaises(frappe.DoesNotExistError):
			deadlines("没有这个服务等级", "High", "2025-03-03 09:00:00")
