"""Marketing consent (个人信息保护法): per customer or contact and per channel, with where and when it was given.
Sends read it; an unsubscribe link, an SMS reply of TD or a member of staff withdraws it at once, for the address
everywhere it was given.

A tick on the inquiry page gives nothing by itself, as anyone can type anyone's number: it sends each address
left a signed link (double opt-in), and the consent counts once the address's holder opens it and confirms."""

import frappe
from frappe import _
from frappe.utils import add_to_date, format_datetime, get_url, now_datetime, nowdate
from frappe.utils.verified_command import get_secret

from crm_app.domain.email import normalize_email
from crm_app.domain.errors import DomainError
from crm_app.domain.phone import normalize_mobile
from crm_app.domain.signing import key_matches, link_key

CONSENT = "CRM Marketing Consent"
GRANTED, WITHDRAWN = "Granted", "Withdrawn"
CONFIRMATION = "CRM Consent Confirmation"
PENDING, CONFIRMED = "Pending", "Confirmed"
CONFIRMATION_DAYS = 7
# confirmations the inquiry page sends in an hour, all addresses together: what a flood of inquiries from many
# places can cost in SMS, beyond the page's limit per visitor and the one per address and day
CONFIRMATIONS_PER_HOUR = 200
# withdrawals the customer made themselves, which staff may only undo with a note of how consent was given again
CUSTOMER_WITHDRAWALS = ("Unsubscribe Link", "SMS Reply")
# how each channel's address is written down, so that "13800138000" and "+86 138-0013-8000" are one number
NORMALIZERS = {
	"Email": normalize_email,
	"SMS": normalize_mobile,
	"WeChat": lambda value: (value or "").strip(),
}
# where the customer's and the contacts' own rows keep each channel's address
ADDRESS_FIELDS = {"Email": "email_id", "SMS": "mobile_no", "WeChat": "wechat_id"}


def normalized_address(channel: str, address: str) -> str:
	if channel not in NORMALIZERS:
		raise DomainError("Unknown channel {0}", channel)
	value = NORMALIZERS[channel](address)
	if not value:
		raise DomainError("The address must not be empty")
	return value


def withdraw(channel: str, address: str, via: str) -> int:
	"""Withdraw every consent given for `address` on `channel`; the number withdrawn."""
	now = now_datetime()
	frappe.db.sql(
		f"""update `tab{CONSENT}` set status = %(withdrawn)s, withdrawn_at = %(now)s, withdrawn_via = %(via)s,
			modified = %(now)s
		where channel = %(channel)s and address = %(address)s and status = %(granted)s""",
		{
			"withdrawn": WITHDRAWN,
			"granted": GRANTED,
			"now": now,
			"via": via,
			"channel": channel,
			"address": address,
		},
	)
	return frappe.db.sql("select row_count()")[0][0]


def owner_of_address(customer: str, channel: str, address: str) -> tuple[bool, str | None]:
	"""Whether the address is the customer's own or one of its contacts', and the contact's name if it is
	theirs."""
	field = ADDRESS_FIELDS[channel]
	if frappe.db.get_value("CRM Customer", customer, field) == address:
		return True, None
	contact = frappe.db.get_value(
		"CRM Customer Contact",
		{"parenttype": "CRM Customer", "parent": customer, field: address},
		"contact_name",
	)
	return bool(contact), contact


def lead_addresses(lead) -> tuple[tuple[str, str | None], ...]:
	"""The addresses a visitor leaves on the inquiry page, by channel."""
	return ("SMS", lead.mobile_no), ("Email", lead.email_id)


def request_confirmations(lead) -> None:
	"""Send each address the visitor left with a ticked consent a link to confirm it, once the request commits: at
	most one per address and day and CONFIRMATIONS_PER_HOUR in all, so that the page floods nobody's phone."""
	now = now_datetime()
	allowance = CONFIRMATIONS_PER_HOUR - frappe.db.count(
		CONFIRMATION, {"creation": (">", add_to_date(now, hours=-1))}
	)
	names = []
	for channel, address in lead_addresses(lead):
		if not address or len(names) >= allowance:
			continue
		name = frappe.generate_hash(length=20)
		# `insert ignore` against the unique (channel, address, day): two inquiries at once still send one link
		frappe.db.sql(
			f"""insert ignore into `tab{CONFIRMATION}` (name, creation, modified, owner, modified_by, docstatus,
				idx, channel, address, requested_on, status)
			values (%(name)s, %(now)s, %(now)s, %(user)s, %(user)s, 0, 0, %(channel)s, %(address)s, %(today)s,
				%(pending)s)""",
			{
				"name": name,
				"now": now,
				"user": frappe.session.user,
				"channel": channel,
				"address": address,
				"today": nowdate(),
				"pending": PENDING,
			},
		)
		if frappe.db.sql("select row_count()")[0][0]:
			names.append(name)
	if names:
		frappe.enqueue(
			"crm_app.marketing.sending.send_confirmations",
			queue="short",
			enqueue_after_commit=True,
			names=names,
			lang=frappe.local.lang,
		)


def confirmation_key(name: str) -> str:
	return link_key(get_secret(), "consent-confirmation", name)


def confirmation_url(name: str) -> str:
	return get_url(f"/confirm_consent?confirmation={name}&key={confirmation_key(name)}")


def confirmation(name: str, key: str) -> dict:
	"""The confirmation a link was made for, refused alike for a wrong key, a name that does not exist and a link
	past its days."""
	row = None
	if isinstance(name, str) and key_matches(get_secret(), key, "consent-confirmation", name):
		row = frappe.db.get_value(
			CONFIRMATION, name, ["name", "channel", "address", "status", "creation"], as_dict=True
		)
	if not row or row.creation < add_to_date(now_datetime(), days=-CONFIRMATION_DAYS):
		frappe.throw(_("This link is not valid, or has expired"), frappe.PermissionError)
	return row


def confirm(name: str, key: str) -> str:
	"""The holder of an address confirms the consent ticked for it: granted at once on every customer that holds
	the address, and remembered on the lead that holds it, for when the lead becomes a customer. The address."""
	row = confirmation(name, key)
	now = now_datetime()
	# conditional, so that a replayed link, or two presses at once, confirm once
	frappe.db.sql(
		f"""update `tab{CONFIRMATION}` set status = %(confirmed)s, confirmed_at = %(now)s, modified = %(now)s
		where name = %(name)s and status != %(confirmed)s""",
		{"confirmed": CONFIRMED, "now": now, "name": name},
	)
	if not frappe.db.sql("select row_count()")[0][0]:
		frappe.throw(_("This link has already been used"), frappe.LinkExpired)
	field = ADDRESS_FIELDS[row.channel]
	frappe.db.set_value("CRM Lead", {field: row.address}, "marketing_consent_confirmed_at", now)
	for customer in customers_holding(row.channel, row.address):
		grant_confirmed(customer, row.channel, row.address, now)
	return row.address


def customers_holding(channel: str, address: str) -> list[str]:
	field = ADDRESS_FIELDS[channel]
	return frappe.db.sql(
		f"""select name from `tabCRM Customer` where `{field}` = %(address)s
		union select parent from `tabCRM Customer Contact` where parenttype = 'CRM Customer'
			and `{field}` = %(address)s""",
		{"address": address},
		pluck=True,
	)


def grant_confirmed(customer: str, channel: str, address: str, confirmed_at) -> None:
	"""Grant the consent the address's holder confirmed, on the customer: afresh, or again where it was withdrawn,
	whoever withdrew it."""
	existing = frappe.db.get_value(
		CONSENT,
		{"customer": customer, "channel": channel, "address": address},
		["name", "status"],
		as_dict=True,
	)
	if existing and existing.status == GRANTED:
		return
	consent = frappe.get_doc(CONSENT, existing.name) if existing else frappe.new_doc(CONSENT)
	consent.update(
		{
			"customer": customer,
			"channel": channel,
			"address": address,
			"status": GRANTED,
			"source": "Inquiry Page",
			"granted_at": confirmed_at,
			"note": _("Ticked on the inquiry page and confirmed on {0} through the link sent to {1}").format(
				format_datetime(confirmed_at), address
			),
		}
	)
	consent.flags.confirmed_by_holder = True
	# the holder's own act, recorded by the system whoever set it off
	consent.save(ignore_permissions=True)


def grant_from_inquiry(customer: str, lead) -> None:
	"""The consent a visitor ticked on the inquiry page, on the customer the lead became: for each of the lead's
	addresses that the customer or one of its contacts has, once its holder confirmed it and has not withdrawn it
	since. A tick never confirmed gives nothing."""
	for channel, address in lead_addresses(lead):
		if not address or not owner_of_address(customer, channel, address)[0]:
			continue
		confirmed_at = frappe.db.get_value(
			CONFIRMATION,
			{"channel": channel, "address": address, "status": CONFIRMED},
			"confirmed_at",
			order_by="confirmed_at desc",
		)
		if confirmed_at and not frappe.db.exists(
			CONSENT,
			{
				"channel": channel,
				"address": address,
				"status": WITHDRAWN,
				"withdrawn_at": (">", confirmed_at),
			},
		):
			grant_confirmed(customer, channel, address, confirmed_at)
