"""One customer per mobile number, e-mail address and USCC, whichever channel the record arrives through.

The values are normalized before they are compared, and each has a unique index, so two simultaneous creations
cannot both succeed: the second insert fails on the index and gets the same message as the first check.
"""

import frappe
from frappe import _
from frappe.desk.utils import slug
from frappe.utils import comma_and, escape_html, get_fullname, quoted

from crm_app.permissions import may_read_owned, owner_field
from crm_app.teams.doctype.crm_sales_team.crm_sales_team import managers_of

# fieldname -> label, in the order a duplicate is reported
UNIQUE_IDENTIFIERS = {
	"mobile_no": "Mobile No",
	"email_id": "Email",
	"uscc": "Unified Social Credit Code",
}


class DuplicateRecordError(frappe.ValidationError):
	http_status_code = 409


def others_sharing(doc, doctype: str, values: dict[str, str], for_update: bool = False) -> list[frappe._dict]:
	"""The `doctype` records other than `doc` holding any of `values` ({field: value}), oldest first, with their
	owner, title and those fields: one statement, each field answered by its own index."""
	values = {field: value for field, value in values.items() if value}
	if not values:
		return []
	title = frappe.get_meta(doctype).get_title_field()
	fields = "".join(f", `{field}`" for field in values)
	matches = " or ".join(f"`{field}` = %({field})s" for field in values)
	others = "and name != %(name)s" if doc.doctype == doctype and not doc.is_new() else ""
	return frappe.db.sql(
		f"""select name, `{owner_field(doctype)}` as owner, `{title}` as title{fields} from `tab{doctype}`
		where ({matches}) {others} order by creation {"for update" if for_update else ""}""",
		{**values, "name": doc.name},
		as_dict=True,
	)


def identifiers(doc) -> dict[str, str]:
	return {field: doc.get(field) for field in UNIQUE_IDENTIFIERS}


def first_duplicate(doc, others: list[frappe._dict]) -> tuple[frappe._dict, str] | None:
	"""(the record, the label of the identifier) of the first of `others` sharing one of `doc`'s identifiers, in
	the order duplicates are reported."""
	for fieldname, label in UNIQUE_IDENTIFIERS.items():
		value = doc.get(fieldname)
		if existing := next((other for other in others if value and other.get(fieldname) == value), None):
			return existing, label
	return None


def refuse_duplicates(doc, doctype: str = "CRM Customer", for_update: bool = False, others=None) -> None:
	"""Throw when a `doctype` record other than `doc` already has one of `doc`'s identifiers. `others`: what
	`others_sharing` found for them, when the caller asked it already."""
	if others is None:
		others = others_sharing(doc, doctype, identifiers(doc), for_update)
	if found := first_duplicate(doc, others):
		throw_duplicate(doctype, *found)


def throw_duplicate(doctype: str, existing: frappe._dict, label: str) -> None:
	"""Link the existing record for someone who may see it. Anyone else learns only that it exists, and whom of
	their own managers to ask: nothing of the record, not even its owner."""
	if may_read_owned(doctype, existing.name, existing.owner):
		message = _("{0} {1} ({2}) already has this {3}").format(
			_(doctype), desk_link(doctype, existing.name, existing.title), existing.name, _(label)
		)
	else:
		message = _("A {0} with this {1} already exists under another owner. Ask {2} about it.").format(
			_(doctype), _(label), whom_to_ask()
		)
	frappe.throw(message, DuplicateRecordError, title=_("Duplicate"))


def desk_link(doctype: str, name: str, title: str | None) -> str:
	return f'<a href="/app/{quoted(slug(doctype))}/{quoted(name)}">{escape_html(title or name)}</a>'


def whom_to_ask() -> str:
	"""The session user's own managers by name, or else an administrator."""
	managers = sorted(get_fullname(manager) for manager in managers_of(frappe.session.user))
	if not managers:
		return _("an administrator")
	return comma_and([escape_html(manager) for manager in managers], add_quotes=False)


def record_duplicate_candidate(customer: str, similar_customer: str) -> None:
	"""Queue the pair for a manager to merge or dismiss; once per pair."""
	pair = {"customer": customer, "similar_customer": similar_customer}
	if not frappe.db.exists("CRM Duplicate Candidate", pair):
		frappe.get_doc({"doctype": "CRM Duplicate Candidate", **pair}).insert(ignore_permissions=True)
