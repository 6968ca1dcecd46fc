import frappe
from frappe import _
from frappe.rate_limiter import rate_limit

from crm_app.permissions import check_visible
from crm_app.sales_pipeline.inquiry import accept_inquiry


@frappe.whitelist(methods=["POST"])
def convert(lead: str, opportunity_name: str | None = None, amount: float | None = None) -> dict:
	"""Turn a lead into a customer (or link it to the existing one) and its first opportunity."""
	check_visible("CRM Lead", lead, "write")
	return frappe.get_doc("CRM Lead", lead).convert(opportunity_name, amount)


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=5, seconds=60 * 60)
def submit_inquiry(
	lead_name: str,
	mobile_no: str | None = None,
	email_id: str | None = None,
	company_name: str | None = None,
	inquiry: str | None = None,
	form_token: str | None = None,
	website: str | None = None,
	utm_source: str | None = None,
	utm_medium: str | None = None,
	utm_campaign: str | None = None,
	utm_content: str | None = None,
	utm_term: str | None = None,
	marketing_consent: str | None = None,
) -> dict:
	"""The website inquiry form (官网询盘). Anyone may post, five times an hour per address. The UTM parameters
	of the link the visitor came by credit the lead to its campaign; ticking the consent box sends each address
	left a link that confirms it, and only a confirmed consent lets the shop send its marketing messages."""
	accept_inquiry(
		{
			"lead_name": lead_name,
			"mobile_no": mobile_no,
			"email_id": email_id,
			"company_name": company_name,
			"inquiry": inquiry,
		},
		form_token=form_token,
		honeypot=website,
		utm={
			"utm_source": utm_source,
			"utm_medium": utm_medium,
			"utm_campaign": utm_campaign,
			"utm_content": utm_content,
			"utm_term": utm_term,
		},
		consent=marketing_consent in ("1", "on", "true"),
	)
	return {"message": _("Thank you, we will contact you shortly.")}
