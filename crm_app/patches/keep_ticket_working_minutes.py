from collections import defaultdict

import frappe
from frappe.utils import now_datetime

from crm_app.service.sla import deadlines

ROWS_PER_UPDATE = 2000


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
	for start in range(0, len(rows), ROWS_PER_UPDATE):
		chunk = rows[start : start + ROWS_PER_UPDATE]
		times = " union all ".join(["select %s as name, %s as response, %s as resolution"] * len(chunk))
		frappe.db.sql(
			f"""update `tabCRM Ticket` ticket join ({times}) minutes on minutes.name = ticket.name
			set ticket.response_minutes = minutes.response, ticket.resolution_minutes = minutes.resolution""",
			[value for row in chunk for value in row],
		)
