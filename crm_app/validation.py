"""Shared validation for CRM documents and arguments: the pure rules' DomainError becomes Frappe's translated
error, and malformed input a clear 4xx rather than a server error."""

import json

import frappe
from frappe import _
from frappe.utils import escape_html

from crm_app.domain.email import normalize_email
from crm_app.domain.errors import DomainError
from crm_app.domain.phone import normalize_mobile, normalize_phone
from crm_app.domain.regions import normalize_region
from crm_app.domain.uscc import normalize_uscc
from crm_app.domain.values import TABLE_TYPES, Field, check_value

IDENTIFIER_NORMALIZERS = {
	"mobile_no": (normalize_mobile, "Mobile No"),
	"phone": (normalize_phone, "Phone"),
	"email_id": (normalize_email, "Email"),
	"uscc": (normalize_uscc, "Unified Social Credit Code"),
}


def throw_domain_error(error: DomainError, label: str | None = None) -> None:
	message = _(error.message).format(*(escape_html(str(arg)) for arg in error.args_))
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


def check_submitted_document(doctype: str, values, label_prefix: str = "") -> None:
	"""Refuse a record sent by a client whose values its fields cannot hold, before Frappe casts or stores any:
	with a message naming the field, never echoing the value."""
	if not isinstance(values, dict):
		frappe.throw(_("The request must carry a record"), frappe.ValidationError)
	meta = frappe.get_meta(doctype)
	for fieldname, value in values.items():
		df = meta.get_field(fieldname) if isinstance(fieldname, str) else None
		if not df:
			continue
		label = f"{label_prefix}{_(df.label or df.fieldname, context=doctype)}"
		spec = Field(
			label,
			df.fieldtype,
			df.length or 0,
			money=df.fieldtype == "Currency" and not df.read_only,
			choices=tuple(df.options.split("\n")) if df.fieldtype == "Select" and df.options else (),
		)
		try:
			check_value(spec, value)
		except DomainError as error:
			throw_domain_error(error)
		if df.fieldtype in TABLE_TYPES:
			for index, row in enumerate(value or [], 1):
				check_submitted_document(df.options, row, f"{label} #{index}: ")
