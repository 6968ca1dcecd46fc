"""Merge a duplicate customer into the record that survives.

Everything that points at the duplicate moves to the survivor: link fields in any DocType (interactions, and
whatever later modules add), assignments, comments, change history and attachments, using the same helpers as
Frappe's own rename-and-merge. Contacts and tags move unless the survivor already has them, and every field the
survivor leaves blank is filled from the duplicate. The duplicate is then deleted (Frappe keeps it under Deleted
Documents) and a CRM Merge Log keeps its full snapshot and the count of moved records.
"""

from collections import Counter

import frappe
from frappe import _
from frappe.model.dynamic_links import get_dynamic_links
from frappe.model.rename_doc import (
	get_link_fields,
	rename_versions,
	update_assignments,
	update_attachments,
	update_link_field_values,
)
from frappe.utils import now_datetime

from crm_app.customers.doctype.crm_interaction.crm_interaction import refresh_follow_up_summaries
from crm_app.customers.duplicates import UNIQUE_IDENTIFIERS
from crm_app.defaults import ADMIN_ROLES, MANAGER_ROLE
from crm_app.permissions import check_visible, refresh_owner_copies

CUSTOMER = "CRM Customer"
# Derived or system fields that are recomputed rather than copied from the duplicate.
NOT_COPIED = {"name_key", "pinyin_key", "interaction_count", "last_interaction_at", "next_follow_up_date"}


def check_merge_permission(duplicate: str, survivor: str) -> None:
	roles = frappe.get_roles()
	if frappe.session.user != "Administrator" and not {MANAGER_ROLE, *ADMIN_ROLES} & set(roles):
		frappe.throw(_("Only a sales manager or CRM admin can merge customers"), frappe.PermissionError)
	for name in (duplicate, survivor):
		check_visible(CUSTOMER, name, "write")
	if duplicate == survivor:
		frappe.throw(_("A customer cannot be merged into itself"))


def merge_customers(duplicate: str, survivor: str) -> str:
	"""Merge `duplicate` into `survivor` and return the name of the CRM Merge Log."""
	check_merge_permission(duplicate, survivor)
	old = frappe.get_doc(CUSTOMER, duplicate)
	new = frappe.get_doc(CUSTOMER, survivor)
	snapshot = old.as_json()

	# The unique identifiers may move to the survivor, so the duplicate gives them up first.
	frappe.db.set_value(CUSTOMER, duplicate, dict.fromkeys(UNIQUE_IDENTIFIERS), update_modified=False)
	fill_blanks(new, old)
	moved = Counter()
	moved["CRM Customer Contact"] = move_contacts(new, old)
	moved["CRM Customer Tag"] = move_tags(new, old)
	new.save()

	old.add_comment("Info", _("Merged into customer {0} by {1}").format(survivor, frappe.session.user))
	moved.update(move_references(duplicate, survivor))
	refresh_follow_up_summaries(CUSTOMER, [survivor])
	# a candidate pair that this merge settled now points at the survivor twice
	frappe.db.delete("CRM Duplicate Candidate", {"customer": survivor, "similar_customer": survivor})
	frappe.delete_doc(CUSTOMER, duplicate, ignore_permissions=True)

	log = frappe.get_doc(
		{
			"doctype": "CRM Merge Log",
			"survivor": survivor,
			"merged_customer": duplicate,
			"merged_customer_name": old.customer_name,
			"merged_by": frappe.session.user,
			"merged_at": now_datetime(),
			"snapshot": snapshot,
			"moved_records": [
				{"document_type": doctype, "records": count}
				for doctype, count in sorted(moved.items())
				if count
			],
		}
	).insert(ignore_permissions=True)
	new.add_comment(
		"Info",
		_("Customer {0} ({1}) was merged into this customer by {2}; {3} records moved, see {4}").format(
			duplicate, old.customer_name, frappe.session.user, sum(moved.values()), log.name
		),
	)
	return log.name


def fill_blanks(survivor, duplicate) -> None:
	for df in survivor.meta.fields:
		if (
			df.fieldname in NOT_COPIED
			or df.fieldtype in frappe.model.no_value_fields + frappe.model.table_fields
		):
			continue
		if not survivor.get(df.fieldname) and duplicate.get(df.fieldname):
			survivor.set(df.fieldname, duplicate.get(df.fieldname))


def move_contacts(survivor, duplicate) -> int:
	"""Append the duplicate's contacts, except those the survivor already has (same mobile or e-mail)."""
	known = {
		value for contact in survivor.contacts for value in (contact.mobile_no, contact.email_id) if value
	}
	moved = 0
	for contact in duplicate.contacts:
		if {contact.mobile_no, contact.email_id} & known:
			continue
		row = frappe.copy_doc(contact)
		row.is_primary = 0 if any(c.is_primary for c in survivor.contacts) else row.is_primary
		survivor.append("contacts", row)
		moved += 1
	return moved


def move_tags(survivor, duplicate) -> int:
	present = {row.tag for row in survivor.tags}
	moved = 0
	for tag in duplicate.tags:
		if tag.tag not in present:
			survivor.append("tags", {"tag": tag.tag, "source": tag.source, "tag_rule": tag.tag_rule})
			moved += 1
	return moved


def move_dynamic_links(duplicate: str, survivor: str) -> Counter:
	"""Comments, shares, assignments and the like. Frappe's rename uses a cached map of which doctypes each
	dynamic link has pointed at, which misses customers commented on since it was built, so every dynamic
	link field is checked here."""
	moved = Counter()
	for df in get_dynamic_links():
		if frappe.get_meta(df.parent).issingle:
			continue
		table = frappe.qb.DocType(df.parent)
		where = (table[df.options] == CUSTOMER) & (table[df.fieldname] == duplicate)
		moved[df.parent] += frappe.db.count(df.parent, {df.options: CUSTOMER, df.fieldname: duplicate})
		frappe.qb.update(table).set(table[df.fieldname], survivor).where(where).run()
	return moved


def move_references(duplicate: str, survivor: str) -> Counter:
	"""Point every link, dynamic link, assignment, version and attachment at the survivor; count the rows."""
	moved = Counter()
	link_fields = [field for field in get_link_fields(CUSTOMER) if not field["issingle"]]
	for field in link_fields:
		moved[field["parent"]] += frappe.db.count(field["parent"], {field["fieldname"]: duplicate})
	moved["Version"] += frappe.db.count("Version", {"ref_doctype": CUSTOMER, "docname": duplicate})

	update_assignments(duplicate, survivor, CUSTOMER)
	update_link_field_values(link_fields, duplicate, survivor, CUSTOMER)
	refresh_owner_copies(CUSTOMER, [survivor])
	moved.update(move_dynamic_links(duplicate, survivor))
	rename_versions(CUSTOMER, duplicate, survivor)
	update_attachments(CUSTOMER, duplicate, survivor)
	return moved
