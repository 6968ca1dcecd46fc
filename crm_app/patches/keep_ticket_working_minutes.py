from collections import defaultdict

import frappe
from frappe.utils import now_datetime

from crm_app.service.sla import deadlines

ROWS_PER_INSERT = 5000


def execute():
	"""Tickets keep their first-response and resolution times in working minutes, which 服务绩效 now sums instead
	of working them out per ticket on every run: computed once here for the tickets answered so far."""
	tickets = frappe.db.sql(
		"""select name, service_level, priority, opened_on, first_responded_on, resolved_on from `tabCRM Ticket`
		where ifnull(service_level, '') != '' and first_responded_on is not null""",
		as_dict=True,
	)
	if not tickets:
		return
	pauses = defaultdict(list)
	for parent, paused_at, resumed_at in frappe.db.sql(
		"select parent, paused_at, resumed_at from `tabCRM Ticket Pause` where parenttype = 'CRM Ticket'"
	):
		pauses[parent].append((paused_at, resumed_at))
	now = now_datetime()
	rows = []
	for ticket in tickets:
		clock = deadlines(
			ticket.service_level,
			ticket.priority,
			ticket.opened_on,
			pauses[ticket.name],
			responded_at=ticket.first_responded_on,
			resolved_at=ticket.resolved_on,
			now=now,
		)
		rows.append(
			(ticket.name, clock.response_minutes, clock.resolution_minutes if ticket.resolved_on else 0)
		)
	frappe.db.sql(
		"""create temporary table ticket_minutes (name varchar(140) primary key, response double, resolution double)"""
	)
	for start in range(0, len(rows), ROWS_PER_INSERT):
		chunk = rows[start : start + ROWS_PER_INSERT]
		frappe.db.sql(
			f"insert into ticket_minutes values {', '.join(['(%s, %s, %s)'] * len(chunk))}",
			[value for row in chunk for value in row],
		)
	frappe.db.sql(
		"""update `tabCRM Ticket` ticket join ticket_minutes minutes on minutes.name = ticket.name
		set ticket.response_minutes = minutes.response, ticket.resolution_minutes = minutes.resolution"""
	)
	frappe.db.sql("drop temporary table ticket_minutes")
