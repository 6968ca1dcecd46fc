"""The customer's deals in the self-service portal: the quotations sent to them, their contracts, orders and
payments, read-only, with the quotation as a PDF.

Which records a contact reads is decided by `crm_portal_doctypes` (crm_app/permissions.py); this module decides
what they read of each: the fields below and nothing else, so an internal field (the owner, the discount limit,
the approval) never reaches the portal however the DocType grows.
"""

import frappe
from frappe import _
from frappe.utils import cstr, flt, fmt_money, formatdate, getdate, today
from frappe.utils.html_utils import sanitize_html

from crm_app.permissions import portal_page
from crm_app.service.portal import my_record, shown_filters

ITEM_COLUMNS = ("product_name", "unit", "qty", "rate", "amount")

# {DocType: {"list": its list's columns, "fields": its page's fields, "tables": {table field: columns},
# "text": a rich-text field shown whole, "heading": the field its page is titled by}}
PORTAL_FIELDS = {
	"CRM Quotation": {
		"list": ("transaction_date", "valid_till", "grand_total"),
		"fields": ("transaction_date", "valid_till", "total", "discount_amount", "tax_amount", "grand_total"),
		"tables": {"items": ITEM_COLUMNS},
		"text": "terms",
	},
	"CRM Contract": {
		"list": ("contract_title", "signing_status", "contract_amount", "end_date"),
		"fields": (
			"contract_title",
			"signing_status",
			"contract_amount",
			"signed_date",
			"start_date",
			"end_date",
		),
		"text": "terms",
		"heading": "contract_title",
	},
	"CRM Sales Order": {
		"list": ("transaction_date", "grand_total", "delivery_status", "payment_status"),
		"fields": (
			"transaction_date",
			"delivery_date",
			"delivery_status",
			"payment_status",
			"grand_total",
			"paid_amount",
			"outstanding_amount",
			"shipping_address",
		),
		"tables": {"items": ITEM_COLUMNS, "payment_plan": ("due_date", "amount", "is_deposit", "note")},
	},
	"CRM Payment": {
		"list": ("payment_date", "sales_order", "amount", "payment_method"),
		"fields": ("payment_date", "sales_order", "amount", "payment_method", "reference_no", "is_deposit"),
	},
	# the coupon's name is its code, the page's heading; the type's name says what it takes off (满200减30)
	"CRM Coupon": {
		"list": ("coupon_type", "status", "valid_until"),
		"fields": ("coupon_type", "status", "valid_until", "min_spend", "sales_order"),
	},
}
# Records listed on another's page: an order's payments.
RELATED = {"CRM Sales Order": ("CRM Payment", "sales_order")}
PAGE_LENGTH = 100


def portal_doctype(doctype) -> str:
	"""The deal DocType a portal page names, or "page not found" for anything else."""
	if doctype not in PORTAL_FIELDS:
		raise frappe.PageDoesNotExistError
	return doctype


def my_records(doctype: str, filters: dict | None = None) -> list[dict]:
	"""The list page: the portal user's records of `doctype` that are meant for them, newest first, as
	{"name", "cells": [(label, text)]}."""
	spec = PORTAL_FIELDS[doctype]
	rows = frappe.get_all(
		doctype,
		filters={**shown_filters(doctype), **(filters or {})},
		fields=["name", "currency", *spec["list"]] if has_currency(doctype) else ["name", *spec["list"]],
		order_by="creation desc",
		limit_page_length=PAGE_LENGTH,
	)
	return [{"name": row.name, "cells": cells(doctype, row, spec["list"])} for row in rows]


def record_page(doctype: str, name: str) -> dict:
	"""The record page of one record of the portal user's; any other is "not found", as a missing one is."""
	doc = my_record(doctype, name)
	spec = PORTAL_FIELDS[doctype]
	page = {
		"doctype": doctype,
		"name": doc.name,
		"heading": doc.get(spec["heading"]) if spec.get("heading") else doc.name,
		"fields": cells(doctype, doc, spec["fields"]),
		"tables": [
			table_of(doc, table, columns)
			for table, columns in spec.get("tables", {}).items()
			if doc.get(table)
		],
		"text": sanitize_html(doc.get(spec["text"]) or "", always_sanitize=True) if spec.get("text") else "",
		"expired": doctype == "CRM Quotation"
		and bool(doc.valid_till)
		and getdate(doc.valid_till) < getdate(today()),
		"pdf": doctype == "CRM Quotation",
		"related": None,
	}
	if related := RELATED.get(doctype):
		related_doctype, field = related
		page["related"] = {
			"title": _(portal_page(related_doctype)["title"]),
			"route": portal_page(related_doctype)["route"],
			"rows": my_records(related_doctype, {field: doc.name}),
		}
	return page


def table_of(doc, table: str, columns) -> dict:
	child = doc.meta.get_field(table).options
	return {
		"label": _(doc.meta.get_label(table)),
		"columns": [_(frappe.get_meta(child).get_label(column)) for column in columns],
		"rows": [[text for _label, text in cells(child, row, columns, doc)] for row in doc.get(table)],
	}


def has_currency(doctype: str) -> bool:
	return frappe.get_meta(doctype).has_field("currency")


def cells(doctype: str, row, fields, parent=None) -> list[tuple[str, str]]:
	"""(label, text) of each field of `row`, as a customer reads them: translated, money in its currency."""
	meta = frappe.get_meta(doctype)
	currency = (parent or row).get("currency") or "CNY"
	return [
		(_(meta.get_label(field)), display(meta.get_field(field), row.get(field), currency))
		for field in fields
	]


def display(df, value, currency: str) -> str:
	"""A value as plain text to escape in the page (a Small Text's lines kept)."""
	if value in (None, ""):
		return ""
	if df.fieldtype == "Currency":
		return fmt_money(flt(value), currency=currency)
	if df.fieldtype == "Date":
		return formatdate(value, "yyyy-MM-dd")
	if df.fieldtype == "Check":
		return _("Yes") if value else _("No")
	if df.fieldtype == "Float":
		return f"{flt(value):g}"
	if df.fieldtype == "Select":
		return _(cstr(value))
	return cstr(value)


def quotation_pdf(name: str) -> None:
	"""The quotation sent to the portal user's customer, as the PDF the salesperson would send, into the
	response."""
	doc = my_record("CRM Quotation", name)
	frappe.local.response.filename = f"{doc.name}.pdf"
	frappe.local.response.filecontent = frappe.get_print(
		doc.doctype, doc.name, "CRM Quotation CN", doc=doc, as_pdf=True
	)
	frappe.local.response.type = "pdf"
