"""CRM Holiday Calendar: public holidays and make-up working days (调休) for the service clock. China's ships filled
from the chinese-calendar package; an admin adds each new year when the State Council publishes it."""

import frappe
from chinese_calendar.constants import Holiday, holidays, workdays
from frappe.model.document import Document
from frappe.utils import getdate

from crm_app.bulk import insert_rows
from crm_app.domain.errors import DomainError
from crm_app.domain.sla import HOLIDAY, WORKING_DAY, check_calendar_days
from crm_app.service.sla import forget_service_levels
from crm_app.validation import throw_domain_error


class CRMHolidayCalendar(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		try:
			check_calendar_days(getdate(row.calendar_date) for row in self.days)
		except DomainError as error:
			throw_domain_error(error)
		self.days.sort(key=lambda row: getdate(row.calendar_date))
		for idx, row in enumerate(self.days, 1):
			row.idx = idx
			if row.kind == HOLIDAY:
				row.works_as = None

	def on_update(self):
		forget_service_levels()


def china_calendar_days() -> list[dict]:
	"""Every public holiday and make-up working day the chinese-calendar package knows, read from its two tables
	in one pass, in date order, described in Chinese (春节, 春节调休)."""
	chinese = {holiday.value: holiday.chinese for holiday in Holiday}
	days = [
		{"calendar_date": day, "kind": HOLIDAY, "description": chinese.get(name, name)}
		for day, name in holidays.items()
	]
	days += [
		{"calendar_date": day, "kind": WORKING_DAY, "description": f"{chinese.get(name, name)}调休"}
		for day, name in workdays.items()
	]
	return sorted(days, key=lambda day: day["calendar_date"])


def install_china_calendar(name: str) -> None:
	"""The calendar `name` with China's days from the package, written in one statement; a calendar of that name
	that exists already, perhaps edited since, is left as it is."""
	if frappe.db.exists("CRM Holiday Calendar", name):
		return
	frappe.get_doc(
		{
			"doctype": "CRM Holiday Calendar",
			"calendar_name": name,
			"description": "国务院办公厅公布的法定节假日和调休上班日",
		}
	).insert(ignore_permissions=True)
	insert_rows(
		"CRM Holiday Calendar Day",
		[
			{"parent": name, "parenttype": "CRM Holiday Calendar", "parentfield": "days", "idx": idx, **day}
			for idx, day in enumerate(china_calendar_days(), 1)
		],
	)
