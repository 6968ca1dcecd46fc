"""One customer per mobile number, e-mail address and USCC, whichever channel the record arrives through.

The values are normalized before they are compared, and each has a unique index, so two simultaneous creations
cannot both succeed: the second insert fails on the index and gets the same message as the first check.
"""

import frappe
from frappe import _

from crm_app.permissions import may_read_owned, owner_field

# fieldname -> label, in the order a duplicate is reported
UNIQUE_IDENTIFIERS = {
	"mobile_no": "Mobile No",
	"email_id": "Email",
	"uscc": "Unified Social Credit Code",
}


class DuplicateRecordError(frappe.ValidationError):
	http_status_code = 409


def find_existing(doctype: str, fieldname: str, value: str, exclude: str | None, for_update=False):
	filters = {fieldname: value}
	if exclude:
		filters["name"] = ("!=", exclude)
	owner = owner_field(doctype)
	title = frappe.get_meta(doctype).get_title_field()
	return frappe.db.get_value(
		doctype,
		filters,
		["name", f"{owner} as owner", f"{title} as title"],
		as_dict=True,
		for_update=for_update,
	)


def refuse_duplicates(doc, doctype: str = "CRM Customer", for_update: bool = False) -> None:
	"""Throw when a `doctype` record other than `doc` already has one of `doc`'s identifiers."""
	for fieldname, label in UNIQUE_IDENTIFIERS.items():
		value = doc.get(fieldname)
		if not value:
			continue
		exclude = doc.name if doc.doctype == doctype else None
		if existing := find_existing(doctype, fieldname, value, exclude, for_update):
			throw_duplicate(doctype, existing, label)


def throw_duplicate(doctype: str, existing: frappe._dict, label: str) -> None:
	"""Name the existing record only to someone who may see it."""
	if may_read_owned(doctype, existing.name, existing.owner):
		frappe.throw(
			_("{0} {1} ({2}) already has this {3}").format(
				_(doctype), existing.name, existing.title, _(label)
			),
			DuplicateRecordError,
			title=_("Duplicate"),
		)
	frappe.throw(
		_("A {0} with this {1} already exists under another owner").format(_(doctype), _(label)),
		DuplicateRecordError,
		title=_("Duplicate"),
	)


def similar_name(doctype: str, name_key: str, exclude: str | None) -> str | None:
	if not name_key:
		return None
	filters = {"name_key": name_key}
	if exclude:
		filters["name"] = ("!=", exclude)
	return frappe.db.get_value(doctype, filters, "name", order_by="creation asc")


def record_duplicate_candidate(customer: str, similar_customer: str) -> None:
	"""Queue the pair for a manager to merge or dismiss; once per pair."""
	pair = {"customer": customer, "similar_customer": similar_customer}
	if not frappe.db.exists("CRM Duplicate Candidate", pair):
		frappe.get_doc({"doctype": "CRM Duplicate Candidate", **pair}).insert(ignore_permissions=True)
