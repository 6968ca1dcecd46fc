"""Marketing endpoints: a segment's live count and its audience, the ways a customer withdraws consent (the
e-mail's unsubscribe link, and an SMS reply of TD relayed by the gateway), and the link that confirms a consent
ticked on the inquiry page."""

import hmac

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils.password import get_decrypted_password

from crm_app.domain.outreach import is_opt_out
from crm_app.marketing import consent, segments, sending
from crm_app.replica import read_only
from crm_app.validation import normalized


@frappe.whitelist(methods=["GET"])
@read_only
def segment_count(segment: str) -> int:
	"""How many of the segment's customers the user may see, now."""
	doc = frappe.get_doc("CRM Segment", segment)
	doc.check_permission("read")
	return segments.count(doc, frappe.session.user)


@frappe.whitelist(methods=["POST"])
def take_audience(segment: str) -> dict:
	"""Snapshot the segment's customers in the user's reach as an audience."""
	doc = frappe.get_doc("CRM Segment", segment)
	doc.check_permission("write")
	name = segments.take_audience(doc, frappe.session.user)
	members = frappe.db.get_value("CRM Audience", name, "member_count")
	return {"audience": name, "members": members, "message": _("{0} customers taken").format(members)}


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=20, seconds=60 * 60)
def unsubscribe(message: str, key: str) -> dict:
	"""The unsubscribe link of a marketing e-mail: no more marketing e-mail to that address, at once."""
	address = sending.unsubscribed_address(message, key)
	consent.withdraw("Email", address, "Unsubscribe Link")
	return {"message": _("{0} will receive no more marketing e-mails from us.").format(address)}


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=20, seconds=60 * 60)
def confirm_consent(confirmation: str, key: str) -> dict:
	"""The link sent to an address left with a ticked consent on the inquiry page: its holder confirms, and the
	consent counts from now on."""
	address = consent.confirm(confirmation, key)
	return {
		"message": _(
			"Thank you. {0} will receive our offers and news; you can unsubscribe at any time."
		).format(address)
	}


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=600, seconds=60 * 60)
def sms_reply(token: str, mobile: str, content: str | None = None) -> dict:
	"""The SMS gateway relays a customer's reply; TD (退订) withdraws SMS consent for that number at once."""
	expected = get_decrypted_password(
		"CRM Settings", "CRM Settings", "sms_reply_token", raise_exception=False
	)
	if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	if not is_opt_out(content):
		return {"withdrawn": 0}
	number = normalized(lambda value: consent.normalized_address("SMS", value), mobile, _("Mobile No"))
	return {"withdrawn": consent.withdraw("SMS", number, "SMS Reply")}
