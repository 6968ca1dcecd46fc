"""Row permissions for every CRM record: sales users see their own, managers their team's, admins everything.

Lists, reports, link search and exports go through `get_permission_query_conditions`; single documents through
`has_permission`. Both use `get_visible_owners`, so they cannot drift apart. Records without an owner are in the
public pool and visible to every CRM user. Frappe adds documents shared with the user on top of both.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from crm_app.defaults import ADMIN_ROLES, MANAGER_ROLE, ROLES_SEEING_ALL
from crm_app.teams.doctype.crm_sales_team.crm_sales_team import users_led_by


def owner_field(doctype: str) -> str | None:
	fields = frappe.get_hooks("crm_owner_fields").get(doctype)
	return fields[-1] if fields else None


def linked_fields(doctype: str) -> dict[str, str]:
	"""{fieldname: target DocType} for records whose visibility follows the records they link to."""
	links = frappe.get_hooks("crm_linked_doctypes").get(doctype) or {}
	return {field: targets[-1] for field, targets in links.items()}


def people_fields(doctype: str) -> list[str]:
	return frappe.get_hooks("crm_people_doctypes").get(doctype) or []


def child_parents(doctype: str) -> list[str]:
	return frappe.get_hooks("crm_child_doctypes").get(doctype) or []


def get_visible_owners(user: str | None = None, doctype: str | None = None) -> list[str] | None:
	"""The owners whose records `user` may see, or None when they may see every record (of `doctype`)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	roles = frappe.get_roles(user)
	if any(role in roles for role in ADMIN_ROLES):
		return None
	if doctype and any(doctype in ROLES_SEEING_ALL.get(role, ()) for role in roles):
		return None
	if MANAGER_ROLE in roles:
		return users_led_by(user)
	return [user]


def owner_visible(owner: str | None, owners: list[str] | None, doctype: str) -> bool:
	"""Whether a record with this owner is within reach; unowned pool records are within everyone's."""
	if owners is None or owner in owners:
		return True
	return not owner and doctype in frappe.get_hooks("crm_pool_doctypes")


def owned_condition(doctype: str, owners: list[str]) -> str:
	column = f"`tab{doctype}`.`{owner_field(doctype)}`"
	condition = f"{column} in ({', '.join(frappe.db.escape(owner) for owner in owners)})"
	if doctype in frappe.get_hooks("crm_pool_doctypes"):
		condition = f"({condition} or {column} is null)"
	return condition


def visible_records_query(doctype: str, user: str) -> str | None:
	"""SQL selecting the names of the `doctype` records the user may see (owned in reach, or shared), or None
	when they may see them all."""
	where = get_permission_query_conditions(user, doctype)
	if not where:
		return None
	return (
		f"select `tab{doctype}`.name from `tab{doctype}` where {where}"
		f" union select share_name from `tabDocShare` where share_doctype = {frappe.db.escape(doctype)}"
		f" and `read` = 1 and (user = {frappe.db.escape(user)} or everyone = 1)"
	)


def get_permission_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if owner_field(doctype):
		owners = get_visible_owners(user, doctype)
		return "" if owners is None else owned_condition(doctype, owners)
	conditions = []
	if fields := people_fields(doctype):
		owners = get_visible_owners(user, doctype)
		if owners is not None:
			people = ", ".join(frappe.db.escape(owner) for owner in owners)
			conditions.append(
				"(" + " or ".join(f"`tab{doctype}`.`{field}` in ({people})" for field in fields) + ")"
			)
	for field, target in linked_fields(doctype).items():
		if visible := visible_records_query(target, user):
			column = f"`tab{doctype}`.`{field}`"
			conditions.append(f"({column} is null or {column} in ({visible}))")
	if parents := child_parents(doctype):
		branches = []
		for parent in parents:
			branch = f"`tab{doctype}`.parenttype = {frappe.db.escape(parent)}"
			if visible := visible_records_query(parent, user):
				branch += f" and `tab{doctype}`.parent in ({visible})"
			branches.append(f"({branch})")
		conditions.append(f"({' or '.join(branches)})")
	return " and ".join(conditions)


def may_read_owned(doctype: str, name: str, owner: str | None) -> bool:
	"""Read access decided from an owner value already in hand, e.g. from a locking read that sees rows
	committed after this transaction began, which `frappe.has_permission` would not find."""
	user = frappe.session.user
	if not frappe.has_permission(doctype, "read"):
		return False
	return owner_visible(owner, get_visible_owners(user, doctype), doctype) or bool(
		frappe.db.exists("DocShare", {"share_doctype": doctype, "share_name": name, "user": user, "read": 1})
	)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	if doc.is_new():
		return True
	if field := owner_field(doc.doctype):
		owners = get_visible_owners(user, doc.doctype)
		if owners is None:
			return True
		# the stored owner decides; a new owner being set is checked by validate_owner_change
		stored = frappe.db.get_value(doc.doctype, doc.name, field) if ptype != "read" else doc.get(field)
		return owner_visible(stored, owners, doc.doctype)
	if fields := people_fields(doc.doctype):
		owners = get_visible_owners(user, doc.doctype)
		return owners is None or any(doc.get(field) in owners for field in fields)
	# Whoever may see every record this one links to may see it.
	return all(
		frappe.has_permission(target, "read", doc=doc.get(field), user=user)
		for field, target in linked_fields(doc.doctype).items()
		if doc.get(field)
	)


def can_assign_owner(doctype: str, new_owner: str | None, creating: bool) -> bool:
	"""Admins give records to anyone; managers within their team or to the pool; sales users keep what they create."""
	if frappe.session.user == "Administrator" or set(ADMIN_ROLES) & set(frappe.get_roles()):
		return True
	if MANAGER_ROLE in frappe.get_roles():
		return owner_visible(new_owner, users_led_by(frappe.session.user), doctype)
	return creating and new_owner == frappe.session.user


def validate_owner_change(doc, field: str) -> None:
	"""New records belong to their creator unless someone allowed to assign them says otherwise."""
	if doc.is_new() and not doc.get(field) and not doc.flags.into_pool:
		doc.set(field, frappe.session.user)
	if not doc.is_new() and not doc.has_value_changed(field):
		return
	if doc.meta.has_field("owner_since"):
		doc.owner_since = now_datetime() if doc.get(field) else None
	if doc.flags.ignore_permissions:  # set by server code acting for the system, never by a client
		return
	if not can_assign_owner(doc.doctype, doc.get(field), creating=doc.is_new()):
		if doc.get(field):
			frappe.throw(
				_("You cannot make {0} the owner of this {1}").format(doc.get(field), _(doc.doctype))
			)
		frappe.throw(_("You cannot put this {0} into the public pool").format(_(doc.doctype)))


def row_permission_doctypes() -> set[str]:
	return {
		*frappe.get_hooks("crm_owner_fields"),
		*frappe.get_hooks("crm_linked_doctypes"),
		*frappe.get_hooks("crm_people_doctypes"),
	}


def refuse_links_to_hidden_records(doc, method=None) -> None:
	"""A CRM record may only link to CRM records that exist and that its author may see.

	Frappe checks that a link target exists (though not for links with fetched fields, in v15), never that the
	user may see it. The refusal repeats Frappe's own "Could not find" message, so a hidden record looks exactly
	like a missing one.
	"""
	if not doc.doctype.startswith("CRM "):
		return
	protected = row_permission_doctypes()
	before = doc.get_doc_before_save()
	for df in doc.meta.get_link_fields():
		value = doc.get(df.fieldname)
		if df.read_only or df.options not in protected or not value:
			continue
		if before and before.get(df.fieldname) == value:
			continue
		exists = frappe.db.exists(df.options, value)
		hidden = (
			exists
			and not doc.flags.ignore_permissions
			and not frappe.has_permission(df.options, "read", doc=value)
		)
		if not exists or hidden:
			label = _(df.label, context=df.parent)
			frappe.throw(_("Could not find {0}").format(f"{label}: {value}"), frappe.LinkValidationError)


def check_visible(doctype: str, name: str, ptype: str = "read") -> None:
	"""Refuse a record the user may not `ptype` exactly as if it did not exist."""
	if not (name and frappe.db.exists(doctype, name) and frappe.has_permission(doctype, ptype, doc=name)):
		frappe.throw(_("Could not find {0}").format(f"{_(doctype)}: {name}"), frappe.DoesNotExistError)
