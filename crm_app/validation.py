"""Turns the pure rules' DomainError into Frappe's translated validation errors."""

import frappe
from frappe import _

from crm_app.domain.errors import DomainError


def throw_domain_error(error: DomainError, label: str | None = None) -> None:
	message = _(error.message).format(*error.args_)
	frappe.throw(f"{label}: {message}" if label else message, frappe.ValidationError)


def normalized(normalizer, value, label: str | None = None):
	"""`normalizer(value)`, with its refusal shown as a translated error prefixed by the (translated) label."""
	try:
		return normalizer(value)
	except DomainError as error:
		throw_domain_error(error, label)
