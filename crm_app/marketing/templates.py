"""The templates of campaigns and journeys, filled in for each customer. Their authors are managers, not
developers, so they run in a sandbox of their own: no Frappe globals (Frappe's own renderer hands every template
its database API), only the customer's listed fields, the contact and the coupon, as plain values; undefined names
are errors, and the e-mail body escapes what it puts into HTML."""

import frappe
from frappe import _
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

# the fields a message's template may use, as {{ customer.<field> }}
CUSTOMER_FIELDS = ("name", "customer_name", "customer_type", "province", "city", "value_tier", "sales_owner")
COUPON_FIELDS = ("code", "valid_until", "amount", "percentage", "min_spend")
# the fields of a campaign or journey that are templates, and of those the one that is HTML
TEMPLATE_FIELDS = ("email_subject", "email_body", "sms_text")
HTML_FIELDS = ("email_body",)

_environments = {
	html: ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=html) for html in (False, True)
}


class TemplateNotFilled(Exception):
	pass


def context(customer, contact: str | None, coupon) -> dict:
	return {
		"customer": {field: (customer or {}).get(field) for field in CUSTOMER_FIELDS},
		"contact": contact,
		"coupon": {field: coupon.get(field) for field in COUPON_FIELDS} if coupon else None,
	}


def render(template: str | None, values: dict, html: bool = False) -> str:
	try:
		return _environments[html].from_string(template or "").render(values)
	except TemplateError as error:
		raise TemplateNotFilled(
			_("The message's template could not be filled in: {0}").format(error)
		) from None


def check(doc, field: str, with_coupon: bool = False) -> None:
	"""Refuse a template that would fail for every customer when saved, not when a thousand messages fail: it is
	filled in once for a sample customer."""
	sample = context(
		{field: "" for field in CUSTOMER_FIELDS},
		"",
		dict.fromkeys(COUPON_FIELDS, "") if with_coupon else None,
	)
	try:
		render(doc.get(field), sample, html=field in HTML_FIELDS)
	except TemplateNotFilled as error:
		frappe.throw(f"{_(doc.meta.get_label(field))}: {error}")
