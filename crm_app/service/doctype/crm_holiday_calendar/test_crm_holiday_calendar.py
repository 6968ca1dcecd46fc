"""CRM Holiday Calendar: China's calendar ships with every day the chinese-calendar package knows; each date is
listed once, in order."""

from datetime import date

import frappe
from chinese_calendar.constants import holidays, workdays
from frappe.tests.utils import FrappeTestCase

from crm_app.defaults import HOLIDAY_CALENDAR
from crm_app.service.doctype.crm_holiday_calendar.crm_holiday_calendar import install_china_calendar


def calendar_days(name: str) -> dict[date, tuple[str, str | None, str]]:
	rows = frappe.get_all(
		"CRM Holiday Calendar Day",
		filters={"parenttype": "CRM Holiday Calendar", "parent": name},
		fields=["calendar_date", "kind", "works_as", "description"],
	)
	return {row.calendar_date: (row.kind, row.works_as, row.description) for row in rows}


class TestCRMHolidayCalendar(FrappeTestCase):
	def test_china_ships_with_every_day_the_package_knows(self):
		days = calendar_days(HOLIDAY_CALENDAR)
		self.assertEqual(len(days), len(holidays) + len(workdays))
		self.assertEqual({day for day, (kind, *_rest) in days.items() if kind == "Holiday"}, set(holidays))
		self.assertEqual(
			{day for day, (kind, *_rest) in days.items() if kind == "Working Day"}, set(workdays)
		)
		# the 2025 Spring Festival: 28 January to 4 February off, Sunday 26 January and Saturday 8 February worked
		for day in range(28, 32):
			self.assertEqual(days[date(2025, 1, day)], ("Holiday", None, "春节"))
		self.assertEqual(days[date(2025, 2, 4)], ("Holiday", None, "春节"))
		self.assertEqual(days[date(2025, 1, 26)], ("Working Day", None, "春节调休"))
		self.assertEqual(days[date(2025, 2, 8)], ("Working Day", None, "春节调休"))
		self.assertNotIn(date(2025, 2, 5), days)

	def test_installing_again_leaves_an_edited_calendar_alone(self):
		calendar = frappe.get_doc("CRM Holiday Calendar", HOLIDAY_CALENDAR)
		calendar.append("days", {"calendar_date": "2099-01-01", "kind": "Holiday", "description": "元旦"})
		calendar.save()
		install_china_calendar(HOLIDAY_CALENDAR)
		self.assertEqual(calendar_days(HOLIDAY_CALENDAR)[date(2099, 1, 1)], ("Holiday", None, "元旦"))
		self.assertEqual(len(calendar_days(HOLIDAY_CALENDAR)), len(holidays) + len(workdays) + 1)

	def test_each_date_once_and_in_order(self):
		calendar = frappe.get_doc(
			{
				"doctype": "CRM Holiday Calendar",
				"calendar_name": f"测试日历{frappe.generate_hash(length=8)}",
				"days": [
					{"calendar_date": "2027-02-07", "kind": "Working Day", "works_as": "Friday"},
					{"calendar_date": "2027-02-06", "kind": "Holiday", "works_as": "Friday"},
				],
			}
		).insert()
		self.assertEqual(
			[(str(row.calendar_date), row.kind, row.works_as, row.idx) for row in calendar.days],
			[("2027-02-06", "Holiday", None, 1), ("2027-02-07", "Working Day", "Friday", 2)],
		)
		calendar.append("days", {"calendar_date": "2027-02-06", "kind": "Working Day"})
		with self.assertRaisesRegex(frappe.ValidationError, "2027-02-06 is listed more than once"):
			calendar.save()
