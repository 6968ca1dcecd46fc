"""Marketing consent (个人信息保护法): per customer or contact and per channel, with where and when it was given.
Sends read it; an unsubscribe link, an SMS reply of TD or a member of staff withdraws it at once, for the address
everywhere it was given."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from crm_app.domain.email import normalize_email
from crm_app.domain.errors import DomainError
from crm_app.domain.phone import normalize_mobile

CONSENT = "CRM Marketing Consent"
GRANTED, WITHDRAWN = "Granted", "Withdrawn"
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


def grant_from_inquiry(customer: str, lead) -> None:
	"""The consent a visitor gave on the inquiry page, on the customer the lead became: for the mobile number and
	the e-mail address they left, where the customer or one of its contacts has them, stamped when it was given."""
	for channel, address in (("SMS", lead.mobile_no), ("Email", lead.email_id)):
		if not address or frappe.db.exists(
			CONSENT, {"customer": customer, "channel": channel, "address": address}
		):
			continue
		if not owner_of_address(customer, channel, address)[0]:
			continue
		consent = frappe.get_doc(
			{
				"doctype": CONSENT,
				"customer": customer,
				"channel": channel,
				"address": address,
				"source": "Inquiry Page",
				"granted_at": lead.marketing_consent_at,
				"note": _("Given on the inquiry page by {0}").format(lead.lead_name),
			}
		)
		# the customer's own act, recorded by the system whoever converts the lead
		consent.insert(ignore_permissions=True)
