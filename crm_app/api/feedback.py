"""The customer's rating of a resolved ticket, through the signed link of the e-mail that asked for it."""

import frappe
from frappe.rate_limiter import rate_limit

from crm_app.service import feedback


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=20, seconds=60 * 60)
def rate(ticket: str, key: str, satisfaction: int, comment: str | None = None) -> dict:
	"""Anyone holding the link may rate the ticket once, from 1 to 10, with a comment; twenty tries an hour per
	address."""
	feedback.rate(ticket, key, satisfaction, comment)
	return {"message": frappe._("Thank you for your feedback!")}
