"""Tickets (工单): which team a new ticket goes to, its service clock, and who is told when it runs late or is
resolved.

A ticket's status moves through the workflow in crm_app/workflows/crm_ticket_status.json; saving it keeps the
clock: the stretches it waits on the customer (and stands resolved, when reopened) are pauses, its first response
and resolution stop the clocks, and its deadlines follow its current priority. The SLA job reads the clocks of all
open tickets in a few statements and escalates each to its team's manager once per level.
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import escape_html, now_datetime

from crm_app.domain.sla import AT_RISK, BREACHED
from crm_app.domain.ticket_status import (
	DONE,
	IN_PROGRESS,
	NEW,
	RESOLVED,
	RESOLVED_REASON,
	WAITING,
	WAITING_REASON,
)
from crm_app.notifications import notify_each
from crm_app.service.sla import deadlines, default_service_level

TICKET = "CRM Ticket"
TEAM = "CRM Service Team"
# escalation levels, in order: a ticket is escalated once per level
LEVELS = ("", AT_RISK, BREACHED)
ROUTING_FIELDS = ("product_type", "channel", "service_level")
CHUNK = 1000


def route(ticket) -> str | None:
	"""The team whose routing matches the ticket best: every routing field a team sets must equal the ticket's,
	and the team setting more of them wins; None when no team matches (the ticket waits in the general queue)."""
	team = frappe.qb.DocType(TEAM)
	query = frappe.qb.from_(team).select(team.name)
	specificity = None
	for field in ROUTING_FIELDS:
		column = team[field]
		query = query.where((column.isnull()) | (column == "") | (column == (ticket.get(field) or "")))
		sets = frappe.qb.terms.Case().when((column.isnull()) | (column == ""), 0).else_(1)
		specificity = sets if specificity is None else specificity + sets
	found = query.orderby(specificity, order=frappe.qb.desc).orderby(team.name).limit(1).run(pluck=True)
	return found[0] if found else None


def take_in_mail(ticket) -> None:
	"""A ticket an e-mail opened (Frappe's Email Account appends new mail to CRM Ticket): its channel is e-mail and
	its customer and contact those whose address sent it, when one of theirs did."""
	ticket.channel = "Email"
	ticket.raised_by = (ticket.raised_by or "").strip().lower()
	contact = frappe.db.get_value(
		"CRM Customer Contact",
		{"email_id": ticket.raised_by, "parenttype": "CRM Customer"},
		["parent", "contact_name"],
		order_by="creation asc",
	)
	if contact:
		ticket.customer, ticket.contact_name = contact
	else:
		ticket.customer = frappe.db.get_value("CRM Customer", {"email_id": ticket.raised_by})


def known_senders(ticket: str) -> set[str]:
	"""The addresses whose mail may join this ticket: who raised it, its customer and the customer's contacts."""
	raised_by, customer = frappe.db.get_value(TICKET, ticket, ["raised_by", "customer"]) or (None, None)
	senders = {raised_by}
	if customer:
		senders.add(frappe.db.get_value("CRM Customer", customer, "email_id"))
		senders.update(
			frappe.get_all(
				"CRM Customer Contact",
				filters={"parenttype": "CRM Customer", "parent": customer},
				pluck="email_id",
			)
		)
	return {sender.lower() for sender in senders if sender}


def thread_mail(communication, method=None) -> None:
	"""Received mail joins a ticket only from an address of that ticket's customer, or from a colleague: Frappe
	threads mail by a ticket name in the subject, which anyone may type, and a stranger's mail stays unlinked."""
	if communication.reference_doctype != TICKET or communication.sent_or_received != "Received":
		return
	sender = (communication.sender or "").strip().lower()
	if sender in known_senders(communication.reference_name):
		return
	if frappe.db.get_value("User", {"name": sender, "enabled": 1, "user_type": "System User"}):
		return
	communication.reference_doctype = communication.reference_name = None


def resume_on_reply(communication, method=None) -> None:
	"""The customer's answer to a ticket waiting on them starts its clock again."""
	if communication.reference_doctype != TICKET or communication.sent_or_received != "Received":
		return
	if frappe.db.get_value(TICKET, communication.reference_name, "status") != WAITING:
		return
	# the workflow lets only the service desk move a ticket on; here the system does, for the customer
	user = frappe.session.user
	frappe.set_user("Administrator")
	try:
		ticket = frappe.get_doc(TICKET, communication.reference_name)
		ticket.status = IN_PROGRESS
		ticket.flags.ignore_permissions = True
		ticket.save()
	finally:
		frappe.set_user(user)


def service_level_of(ticket) -> str | None:
	if ticket.service_team:
		if level := frappe.db.get_value(TEAM, ticket.service_team, "service_level"):
			return level
	return default_service_level()


def track_status(ticket, before) -> None:
	"""Pauses, first response and resolution from a change of status."""
	now = now_datetime()
	old = before.status if before else NEW
	if ticket.status == old:
		return
	if ticket.status != NEW and not ticket.first_responded_on:
		ticket.first_responded_on = now
	for pause in ticket.pauses:
		if not pause.resumed_at:
			pause.resumed_at = now
	if ticket.status == WAITING:
		ticket.append("pauses", {"paused_at": now, "reason": WAITING_REASON})
	if ticket.status in DONE:
		if old not in DONE:
			ticket.resolved_on = now
	elif old in DONE:
		# reopened: the stretch it stood resolved does not count against it, and its clocks run again
		ticket.append(
			"pauses", {"paused_at": ticket.resolved_on or now, "resumed_at": now, "reason": RESOLVED_REASON}
		)
		ticket.resolved_on = None
		ticket.escalated_level = ""


def update_clock(ticket) -> None:
	if not ticket.service_level:
		ticket.response_by = ticket.resolution_by = None
		ticket.response_minutes = ticket.resolution_minutes = 0
		ticket.sla_status = ""
		return
	clock = deadlines(
		ticket.service_level,
		ticket.priority,
		ticket.opened_on,
		[(pause.paused_at, pause.resumed_at) for pause in ticket.pauses],
		responded_at=ticket.first_responded_on,
		resolved_at=ticket.resolved_on,
	)
	ticket.response_by, ticket.resolution_by, ticket.sla_status = (
		clock.response_by,
		clock.resolution_by,
		clock.status,
	)
	# the times the reports average, kept once their clocks have stopped
	ticket.response_minutes = clock.response_minutes if ticket.first_responded_on else 0
	ticket.resolution_minutes = clock.resolution_minutes if ticket.resolved_on else 0


def tell_salesperson(ticket, before) -> None:
	"""The customer's salesperson hears, in their language, when a ticket of theirs is resolved and how the
	customer rated it."""
	resolved = ticket.status == RESOLVED and (not before or before.status != RESOLVED)
	rated = ticket.satisfaction and (not before or before.satisfaction != ticket.satisfaction)
	if not (resolved or rated):
		return
	salesperson = frappe.db.get_value("CRM Customer", ticket.customer, "sales_owner")
	if not salesperson:
		return
	lang = frappe.db.get_value("User", salesperson, "language") or None
	what = escape_html(f"{ticket.customer_name or ticket.customer}: {ticket.subject}")
	if rated:
		subject = _("Ticket {0} resolved, customer satisfaction {1} points", lang=lang).format(
			what, ticket.satisfaction
		)
	else:
		subject = _("Ticket {0} resolved", lang=lang).format(what)
	notify_each([([salesperson], TICKET, ticket.name, subject)])


def open_tickets() -> list[dict]:
	return frappe.db.sql(
		f"""select name, subject, customer_name, service_team, service_level, priority, opened_on,
			first_responded_on, resolved_on, sla_status, escalated_level
		from `tab{TICKET}` where status not in %(done)s and ifnull(service_level, '') != ''""",
		{"done": DONE},
		as_dict=True,
	)


def pauses_of(names: list[str]) -> dict[str, list[tuple]]:
	pauses = defaultdict(list)
	for start in range(0, len(names), CHUNK):
		for parent, paused_at, resumed_at in frappe.db.sql(
			"""select parent, paused_at, resumed_at from `tabCRM Ticket Pause`
			where parenttype = %(doctype)s and parent in %(names)s""",
			{"doctype": TICKET, "names": names[start : start + CHUNK]},
		):
			pauses[parent].append((paused_at, resumed_at))
	return pauses


def update_sla_statuses() -> dict[str, int]:
	"""Read the clock of every open ticket, store the SLA statuses that changed and escalate each ticket newly
	at risk or breached to its team's manager, once per level: a few statements whatever the number of tickets.
	Returns how many tickets changed status and how many were escalated."""
	tickets = open_tickets()
	pauses = pauses_of([ticket.name for ticket in tickets])
	now = now_datetime()
	changed, escalate = defaultdict(list), []
	for ticket in tickets:
		status = deadlines(
			ticket.service_level,
			ticket.priority,
			ticket.opened_on,
			pauses.get(ticket.name, ()),
			responded_at=ticket.first_responded_on,
			resolved_at=ticket.resolved_on,
			now=now,
		).status
		if status != ticket.sla_status:
			changed[status].append(ticket.name)
		if status in (AT_RISK, BREACHED) and LEVELS.index(status) > LEVELS.index(
			ticket.escalated_level or ""
		):
			escalate.append((ticket, status))
	for status, names in changed.items():
		set_where_names(names, {"sla_status": status})
	for level in (AT_RISK, BREACHED):
		set_where_names(
			[ticket.name for ticket, reached in escalate if reached == level], {"escalated_level": level}
		)
	escalate_to_managers(escalate)
	return {"changed": sum(len(names) for names in changed.values()), "escalated": len(escalate)}


def set_where_names(names: list[str], values: dict) -> None:
	table = frappe.qb.DocType(TICKET)
	for start in range(0, len(names), CHUNK):
		query = frappe.qb.update(table).where(table.name.isin(names[start : start + CHUNK]))
		for field, value in values.items():
			query = query.set(table[field], value)
		query.run()


def escalate_to_managers(escalate: list[tuple]) -> None:
	if not escalate:
		return
	teams = {ticket.service_team for ticket, _level in escalate if ticket.service_team}
	managers = dict(
		frappe.get_all(TEAM, filters={"name": ("in", list(teams))}, fields=["name", "manager"], as_list=True)
	)
	everyone = service_managers()
	people = {manager for manager in managers.values() if manager} | set(everyone)
	languages = dict(
		frappe.get_all(
			"User", filters={"name": ("in", list(people))}, fields=["name", "language"], as_list=True
		)
	)
	alerts = []
	for ticket, level in escalate:
		# a ticket of no team, or of a team without a manager, goes to every service manager
		told = [managers[ticket.service_team]] if managers.get(ticket.service_team) else everyone
		for manager in told:
			lang = languages.get(manager) or None
			what = escape_html(f"{ticket.customer_name}: {ticket.subject}")
			message = (
				_("Ticket {0} is about to miss its deadline", lang=lang)
				if level == AT_RISK
				else _("Ticket {0} missed its deadline", lang=lang)
			)
			alerts.append(([manager], TICKET, ticket.name, message.format(what)))
	notify_each(alerts)


def service_managers() -> list[str]:
	has_role, user = frappe.qb.DocType("Has Role"), frappe.qb.DocType("User")
	return (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(user.name)
		.distinct()
		.where(
			(has_role.role == "CRM Service Manager") & (has_role.parenttype == "User") & (user.enabled == 1)
		)
		.where(user.name.notin(["Administrator", "Guest"]))
		.orderby(user.name)
	).run(pluck=True)


def ticket_timeline_content(doctype: str, docname: str) -> list[dict]:
	"""A customer's tickets on its timeline, as far as the reader may see them: opened and, when done, resolved."""
	rows = frappe.get_list(
		TICKET,
		filters={"customer": docname},
		fields=["name", "subject", "status", "opened_on", "resolved_on", "satisfaction"],
		order_by="opened_on desc",
		limit=200,
	)
	content = []
	for row in rows:
		link = f'<a href="/app/crm-ticket/{row.name}">{escape_html(row.subject)}</a>'
		content.append(
			{"icon": "support", "creation": row.opened_on, "content": _("Ticket opened: {0}").format(link)}
		)
		if row.resolved_on:
			rated = (
				_(", customer satisfaction {0} points").format(row.satisfaction) if row.satisfaction else ""
			)
			content.append(
				{
					"icon": "support",
					"creation": row.resolved_on,
					"content": _("Ticket resolved: {0}").format(link) + rated,
				}
			)
	return content
