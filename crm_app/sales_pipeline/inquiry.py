"""Website inquiries (官网询盘) from anonymous visitors.

Spam is kept out by a honeypot field, a signed form token that must be at least a few seconds old (people
take longer than bots to fill in a form) and a rate limit on the endpoint. A returning visitor whose mobile,
e-mail or credit code is already known is not made into a duplicate lead: the inquiry is logged on the record
that exists and its owner is told. The visitor is thanked either way and learns nothing about our records.
A ticked consent, new visitor or returning one, sends each address left a link to confirm it (double opt-in).
"""

import hashlib
import hmac
import re
import time

import frappe
from frappe import _
from frappe.utils import now_datetime
from frappe.utils.password import get_encryption_key

from crm_app.customers.duplicates import UNIQUE_IDENTIFIERS
from crm_app.domain.campaign_roi import utm_values
from crm_app.marketing.consent import request_confirmations
from crm_app.notifications import notify
from crm_app.permissions import owner_field
from crm_app.validation import normalize_identifiers

WEBSITE_CHANNEL = "官网"
MIN_FILL_SECONDS = 3
MAX_FORM_AGE_SECONDS = 24 * 60 * 60
MAX_LINKS = 2
MAX_INQUIRY_LENGTH = 2000


def _signature(timestamp: str) -> str:
	return hmac.new(get_encryption_key().encode(), timestamp.encode(), hashlib.sha256).hexdigest()[:32]


def make_form_token() -> str:
	timestamp = str(int(time.time()))
	return f"{timestamp}.{_signature(timestamp)}"


def looks_like_spam(values: dict, form_token: str | None, honeypot: str | None) -> bool:
	if honeypot:
		return True
	timestamp, _dot, signature = (form_token or "").partition(".")
	if not timestamp.isdigit() or not hmac.compare_digest(signature, _signature(timestamp)):
		return True
	age = time.time() - int(timestamp)
	if not MIN_FILL_SECONDS <= age <= MAX_FORM_AGE_SECONDS:
		return True
	return len(re.findall(r"https?://", values.get("inquiry") or "")) > MAX_LINKS


def accept_inquiry(
	values: dict, utm: dict, form_token: str | None, honeypot: str | None, consent: bool = False
) -> None:
	values = {key: (value or "").strip() or None for key, value in values.items()}
	if looks_like_spam(values, form_token, honeypot):
		return  # answered like a real submission, so a bot learns nothing
	if not values["lead_name"]:
		frappe.throw(_("Please tell us your name"))
	if not (values["mobile_no"] or values["email_id"]):
		frappe.throw(_("Please leave a mobile number or an e-mail address"))
	if len(values["inquiry"] or "") > MAX_INQUIRY_LENGTH:
		frappe.throw(_("Please keep the message under {0} characters").format(MAX_INQUIRY_LENGTH))

	lead = frappe.get_doc(
		{
			"doctype": "CRM Lead",
			**values,
			**attribution(utm),
			"marketing_consent_at": now_datetime() if consent else None,
			"source_channel": WEBSITE_CHANNEL,
			"status": "New",
		}
	)
	normalize_identifiers(lead)
	if known := known_record(lead):
		log_repeat_inquiry(*known, lead)
	else:
		lead.flags.into_pool = True  # unowned until the assignment rule or a salesperson picks it up
		lead.insert(ignore_permissions=True)
	if consent:
		request_confirmations(lead)


def attribution(utm: dict) -> dict:
	"""The lead's UTM parameters, and the campaign whose code its utm_campaign is: an unknown code is kept as text
	and credits no campaign."""
	found = utm_values(utm)
	code = found["utm_campaign"]
	return {
		**found,
		"campaign": frappe.db.get_value("CRM Campaign", {"utm_campaign": code}) if code else None,
	}


def known_record(lead) -> tuple[str, str] | None:
	for doctype in ("CRM Lead", "CRM Customer"):
		for fieldname in UNIQUE_IDENTIFIERS:
			if lead.get(fieldname) and (
				name := frappe.db.get_value(doctype, {fieldname: lead.get(fieldname)})
			):
				return doctype, name
	return None


def log_repeat_inquiry(doctype: str, name: str, lead) -> None:
	link = "lead" if doctype == "CRM Lead" else "customer"
	frappe.get_doc(
		{
			"doctype": "CRM Interaction",
			link: name,
			"interaction_type": "Other",
			"summary": _("Website inquiry from {0} ({1}): {2}").format(
				lead.lead_name, lead.company_name or "-", lead.inquiry or ""
			),
		}
	).insert(ignore_permissions=True)
	owner = frappe.db.get_value(doctype, name, owner_field(doctype))
	notify([owner], doctype, name, _("New website inquiry from a known contact: {0}").format(name))
