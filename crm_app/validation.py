"""Shared validation for CRM documents and arguments: the pure rules' DomainError becomes Frappe's translated
error, and malformed input a clear 4xx rather than a server error."""

import json

import frappe
from frappe import _

from crm_app.domain.email import normalize_email
from crm_app.domain.errors import DomainError
from crm_app.domain.phone import normalize_mobile, normalize_phone
from crm_app.domain.regions import normalize_region
from crm_app.domain.uscc import normalize_uscc

IDENTIFIER_NORMALIZERS = {
	"mobile_no": (normalize_mobile, "Mobile No"),
	"phone": (normalize_phone, "Phone"),
	"email_id": (normalize_email, "Email"),
	"uscc": (normalize_uscc, "Unified Social Credit Code"),
}


def throw_domain_error(error: DomainError, label: str | None = None) -> None:
	message = _(error.message).format(*error.args_)
	frappe.throw(f"{label}: {message}" if label else message, frappe.ValidationError)


def normalized(normalizer, value, label: str | None = None):
	"""`normalizer(value)`, with its refusal shown as a translated error prefixed by the (translated) label."""
	try:
		return normalizer(value)
	except DomainError as error:
		throw_domain_error(error, label)


def normalize_identifiers(doc, prefix: str = "") -> None:
	"""Normalize the phone, e-mail and credit code fields that `doc` (a document or child row) has."""
	for fieldname, (normalizer, label) in IDENTIFIER_NORMALIZERS.items():
		if doc.meta.has_field(fieldname):
			doc.set(fieldname, normalized(normalizer, doc.get(fieldname), f"{prefix}{_(label)}"))


def normalize_address(doc) -> None:
	try:
		region = normalize_region(doc.province, doc.city, doc.district)
	except DomainError as error:
		throw_domain_error(error)
	doc.province, doc.city, doc.district = region.province, region.city, region.district


def keep_computed_fields(doc, method=None) -> None:
	"""Fields the server computes (`crm_computed_fields` in hooks) ignore what a client sends: they keep their
	stored value, or start from the default on a new record. Server code that sets one itself says so with
	`doc.flags.computed_fields_set`, or acts for the system with `ignore_permissions`."""
	fields = frappe.get_hooks("crm_computed_fields", {}).get(doc.doctype)
	if not fields or doc.flags.computed_fields_set or doc.flags.ignore_permissions:
		return
	before = doc.get_doc_before_save() if not doc.is_new() else frappe.new_doc(doc.doctype)
	for fieldname in fields:
		doc.set(fieldname, before.get(fieldname))


def json_argument(value, label: str):
	"""A dict or list argument, sent as such or as JSON text."""
	if value is None or isinstance(value, dict | list):
		return value
	try:
		return json.loads(value)
	except (TypeError, ValueError):
		frappe.throw(_("{0} must be valid JSON").format(_(label)))
