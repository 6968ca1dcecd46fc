"""Satisfaction (满意度): when a ticket is resolved, the customer is asked by e-mail to rate it from 1 to 10, through
a signed link that needs no login and works once. The link is bound to the ticket and the moment it was resolved,
so a ticket resolved again after a reopening asks again, and an old link no longer works."""

import frappe
from frappe import _
from frappe.utils import cint, cstr, escape_html, get_url
from frappe.utils.verified_command import get_secret

from crm_app.domain.signing import key_matches, link_key
from crm_app.domain.ticket_status import DONE
from crm_app.notifications import outgoing_account_exists
from crm_app.service.tickets import TICKET

MAX_FEEDBACK = 2000


def feedback_url(ticket: str, resolved_on) -> str:
	key = link_key(get_secret(), ticket, cstr(resolved_on))
	return get_url(f"/ticket_feedback?ticket={ticket}&key={key}")


def recipient(ticket) -> str | None:
	"""Who raised the ticket, or else the contact named on it, or else the customer's own address."""
	if ticket.raised_by:
		return ticket.raised_by
	if ticket.customer and ticket.contact_name:
		email = frappe.db.get_value(
			"CRM Customer Contact",
			{"parenttype": "CRM Customer", "parent": ticket.customer, "contact_name": ticket.contact_name},
			"email_id",
		)
		if email:
			return email
	return frappe.db.get_value("CRM Customer", ticket.customer, "email_id") if ticket.customer else None


def ask_for_rating(ticket, before) -> None:
	"""E-mail the customer the rating link when the ticket is newly resolved, if there is an address to write to and
	an outgoing account to write from."""
	if ticket.status not in DONE or (before and before.status in DONE) or ticket.satisfaction:
		return
	email = recipient(ticket)
	if not email or not outgoing_account_exists():
		return
	url = feedback_url(ticket.name, ticket.resolved_on)
	frappe.sendmail(
		recipients=[email],
		subject=_("How did we do? Please rate ticket {0}").format(ticket.subject),
		message=(
			f"<p>{_('Your ticket {0} has been resolved.').format(f'<b>{escape_html(ticket.subject)}</b>')}</p>"
			f"<p>{_('Please tell us how satisfied you are, from 1 to 10. The link works once and needs no login.')}"
			f'</p><p><a href="{url}">{_("Rate Our Service")}</a></p>'
		),
		reference_doctype=TICKET,
		reference_name=ticket.name,
	)


def rated_ticket(name: str, key: str):
	"""The ticket a link opens, or a refusal that says the same of a wrong key, a missing ticket and one that was
	resolved again since (the link no longer matches its resolution)."""
	resolved_on = frappe.db.get_value(TICKET, name, "resolved_on") if isinstance(name, str) else None
	if not resolved_on or not key_matches(get_secret(), key, name, cstr(resolved_on)):
		frappe.throw(_("This link is not valid, or has expired"), frappe.PermissionError)
	return frappe.get_doc(TICKET, name)


def rate(name: str, key: str, satisfaction, feedback: str | None = None) -> None:
	save_rating(rated_ticket(name, key), satisfaction, feedback)


def save_rating(ticket, satisfaction, feedback: str | None) -> None:
	"""The customer's score from 1 to 10 and comment, once per resolution."""
	if ticket.satisfaction:
		frappe.throw(_("This ticket has already been rated. Thank you!"))
	score = cint(satisfaction) if cstr(satisfaction).strip().isdigit() else 0
	if not 1 <= score <= 10:
		frappe.throw(_("Satisfaction is a score from 1 to 10"))
	ticket.satisfaction = score
	ticket.feedback = cstr(feedback).strip()[:MAX_FEEDBACK]
	ticket.flags.ignore_permissions = True
	ticket.save()
