"""The service clock for tickets, jobs and reports: a CRM Service Level with its holiday calendar, loaded once per
request or background job into the working-time arithmetic of crm_app.domain.sla.

Instants are naive datetimes in the site's time zone (Asia/Shanghai), as Frappe stores Datetime fields; strings
in Frappe's format are accepted too. A pause is a pair (paused at, resumed at), the second None while the ticket
still waits on the customer: rows of a ticket's pause table, read for many tickets in one query, fit as they are.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import cint, escape_html, flt, get_datetime, get_time, getdate, now_datetime
from frappe.utils.caching import request_cache

from crm_app.domain.errors import DomainError
from crm_app.domain.sla import (
	HOLIDAY,
	MAKE_UP_HOURS,
	WEEKDAYS,
	WORKING_DAY,
	Calendar,
	Clock,
	Pause,
	ServiceLevel,
	Targets,
	at_risk_share,
)
from crm_app.validation import throw_domain_error

PauseRow = tuple[datetime | str, datetime | str | None]


@request_cache
def load_service_level(name: str) -> ServiceLevel:
	"""The service level `name` with its calendar, read in four queries once per request or job: a job that reads
	the clocks of thousands of tickets loads each service level once."""
	level = frappe.db.get_value(
		"CRM Service Level", name, ["holiday_calendar", "at_risk_percent"], as_dict=True
	)
	if not level:
		frappe.throw(_("Service level {0} not found").format(escape_html(name)), frappe.DoesNotExistError)
	hours = defaultdict(list)
	for row in frappe.get_all(
		"CRM Service Hours",
		filters={"parenttype": "CRM Service Level", "parent": name},
		fields=["weekday", "start_time", "end_time"],
		order_by="idx",
	):
		hours[WEEKDAYS.index(row.weekday)].append((get_time(row.start_time), get_time(row.end_time)))
	targets = {
		row.priority: Targets(cint(row.response_minutes), cint(row.resolution_minutes))
		for row in frappe.get_all(
			"CRM Service Target",
			filters={"parenttype": "CRM Service Level", "parent": name},
			fields=["priority", "response_minutes", "resolution_minutes"],
		)
	}
	days = (
		frappe.get_all(
			"CRM Holiday Calendar Day",
			filters={"parenttype": "CRM Holiday Calendar", "parent": level.holiday_calendar},
			fields=["calendar_date", "kind", "works_as"],
		)
		if level.holiday_calendar
		else []
	)
	try:
		calendar = Calendar(
			hours,
			holidays=[getdate(day.calendar_date) for day in days if day.kind == HOLIDAY],
			working_days={
				getdate(day.calendar_date): WEEKDAYS.index(day.works_as or MAKE_UP_HOURS)
				for day in days
				if day.kind == WORKING_DAY
			},
		)
		return ServiceLevel(calendar, targets, at_risk_share(flt(level.at_risk_percent)))
	except DomainError as error:
		throw_domain_error(error, escape_html(name))


def forget_service_levels() -> None:
	"""Drop the service levels loaded in this request, after one of them or a calendar changed."""
	getattr(frappe.local, "request_cache", {}).pop(load_service_level.__wrapped__, None)


def default_service_level() -> str | None:
	"""The service level of tickets that name none, or None when no level is marked as the default."""
	return frappe.db.get_value("CRM Service Level", {"is_default": 1}, "name", order_by="name asc")


def as_pauses(pauses: Iterable[PauseRow]) -> list[Pause]:
	return [Pause(get_datetime(start), get_datetime(end) if end else None) for start, end in pauses]


def deadlines(
	service_level: str,
	priority: str,
	opened_at: datetime | str,
	pauses: Iterable[PauseRow] = (),
	responded_at: datetime | str | None = None,
	resolved_at: datetime | str | None = None,
	now: datetime | str | None = None,
) -> Clock:
	"""A ticket's clock under its service level, read at `now` (the present when None).

	`priority`: Low, Medium, High or Urgent; the targets are always those of the current priority, counted from
	`opened_at`, so a priority change just calls this again. `pauses`: the stretches the ticket waited on the
	customer, as (paused at, resumed at or None) pairs; a ticket reopened after its resolution passes the
	stretch it stood resolved as a pause too. `responded_at` / `resolved_at` stop the response and resolution
	clocks. Returns a crm_app.domain.sla.Clock: response_by, resolution_by (None while paused before them),
	at_risk_from, the working minutes each clock has run, and status, one of On Track, At Risk, Breached, Paused
	(正常 / 即将超时 / 已超时 / 已暂停).
	"""
	try:
		return load_service_level(service_level).clock(
			priority,
			get_datetime(opened_at),
			get_datetime(now) if now else now_datetime(),
			pauses=as_pauses(pauses),
			responded_at=get_datetime(responded_at) if responded_at else None,
			resolved_at=get_datetime(resolved_at) if resolved_at else None,
		)
	except DomainError as error:
		throw_domain_error(error)
