"""Row permissions for every CRM record: sales users see their own, managers their team's, admins everything.

Lists, reports, link search and exports go through `get_permission_query_conditions`; single documents through
`has_permission`. Both use `get_visible_owners`, so they cannot drift apart. Records without an owner are in the
public pool and visible to every CRM user. Frappe adds documents shared with the user on top of both.
"""

import frappe
from frappe import _

from crm_app.defaults import ADMIN_ROLES, MANAGER_ROLE
from crm_app.teams.doctype.crm_sales_team.crm_sales_team import users_led_by


def get_visible_owners(user: str | None = None) -> list[str] | None:
	"""The owners whose records `user` may see, or None when they may see every record."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	roles = frappe.get_roles(user)
	if any(role in roles for role in ADMIN_ROLES):
		return None
	if MANAGER_ROLE in roles:
		return users_led_by(user)
	return [user]


def owner_field(doctype: str) -> str | None:
	fields = frappe.get_hooks("crm_owner_fields").get(doctype)
	return fields[-1] if fields else None


def _owned_condition(table: str, field: str, owners: list[str]) -> str:
	values = ", ".join(frappe.db.escape(owner) for owner in owners)
	column = f"`tab{table}`.`{field}`"
	return f"({column} in ({values}) or {column} is null)"


def get_permission_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	owners = get_visible_owners(user)
	if owners is None:
		return ""
	if field := owner_field(doctype):
		return _owned_condition(doctype, field, owners)
	visible = visible_customers_query(user, owners)
	return " and ".join(f"`tab{doctype}`.`{link}` in ({visible})" for link in customer_links(doctype))


def customer_links(doctype: str) -> list[str]:
	"""The fields through which a customer-owned record (or child table row) points at its customers."""
	if doctype in frappe.get_hooks("crm_customer_child_doctypes"):
		return ["parent"]
	return frappe.get_hooks("crm_customer_scoped_doctypes").get(doctype, [])


def visible_customers_query(user: str, owners: list[str]) -> str:
	"""Customers the user owns through their team, or that were shared with them."""
	return (
		f"select `tabCRM Customer`.name from `tabCRM Customer` where "
		f"{_owned_condition('CRM Customer', 'sales_owner', owners)}"
		" union select share_name from `tabDocShare` where share_doctype = 'CRM Customer' and `read` = 1"
		f" and (user = {frappe.db.escape(user)} or everyone = 1)"
	)


def owner_visible(owner: str | None, owners: list[str] | None) -> bool:
	"""Whether a record with this owner is within reach; records without an owner are in the public pool."""
	return owners is None or not owner or owner in owners


def may_read_owned(doctype: str, name: str, owner: str | None) -> bool:
	"""Read access decided from an owner value already in hand, e.g. from a locking read that sees rows
	committed after this transaction began, which `frappe.has_permission` would not find."""
	user = frappe.session.user
	if not frappe.has_permission(doctype, "read"):
		return False
	return owner_visible(owner, get_visible_owners(user)) or bool(
		frappe.db.exists("DocShare", {"share_doctype": doctype, "share_name": name, "user": user, "read": 1})
	)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	if doc.is_new():
		return True
	owners = get_visible_owners(user)
	if owners is None:
		return True
	if field := owner_field(doc.doctype):
		# the stored owner decides; a new owner being set is checked by validate_owner_change
		stored = frappe.db.get_value(doc.doctype, doc.name, field) if ptype != "read" else doc.get(field)
		return owner_visible(stored, owners)
	# Whoever may see the customer may see and log what belongs to it.
	return all(
		frappe.has_permission("CRM Customer", "read", doc=doc.get(link), user=user)
		for link in customer_links(doc.doctype)
		if doc.get(link)
	)


def can_assign_owner(new_owner: str | None, creating: bool) -> bool:
	"""Admins give records to anyone; managers within their team or to the pool; sales users keep what they create."""
	owners = get_visible_owners()
	if owners is None:
		return True
	if MANAGER_ROLE in frappe.get_roles():
		return new_owner is None or new_owner in owners
	return creating and new_owner == frappe.session.user


def validate_owner_change(doc, field: str) -> None:
	if doc.is_new() and not doc.get(field):
		doc.set(field, frappe.session.user)
	if not doc.is_new() and not doc.has_value_changed(field):
		return
	if not can_assign_owner(doc.get(field), creating=doc.is_new()):
		if doc.get(field):
			frappe.throw(
				_("You cannot make {0} the owner of this {1}").format(doc.get(field), _(doc.doctype))
			)
		frappe.throw(_("You cannot put this {0} into the public pool").format(_(doc.doctype)))


def row_permission_doctypes() -> set[str]:
	return {*frappe.get_hooks("crm_owner_fields"), *frappe.get_hooks("crm_customer_scoped_doctypes")}


def refuse_links_to_hidden_records(doc, method=None) -> None:
	"""A CRM record may only link to CRM records that exist and that its author may see.

	Frappe checks that a link target exists (though not for links with fetched fields, in v15), never that the
	user may see it. The refusal repeats Frappe's own "Could not find" message, so a hidden record looks exactly
	like a missing one.
	"""
	if not doc.doctype.startswith("CRM "):
		return
	protected = row_permission_doctypes()
	restricted = get_visible_owners() is not None
	before = doc.get_doc_before_save()
	for df in doc.meta.get_link_fields():
		value = doc.get(df.fieldname)
		if df.read_only or df.options not in protected or not value:
			continue
		if before and before.get(df.fieldname) == value:
			continue
		exists = frappe.db.exists(df.options, value)
		if not exists or (restricted and not frappe.has_permission(df.options, "read", doc=value)):
			label = _(df.label, context=df.parent)
			frappe.throw(_("Could not find {0}").format(f"{label}: {value}"), frappe.LinkValidationError)


def check_visible(doctype: str, name: str, ptype: str = "read") -> None:
	"""Refuse a record the user may not `ptype` exactly as if it did not exist."""
	if not (name and frappe.db.exists(doctype, name) and frappe.has_permission(doctype, ptype, doc=name)):
		frappe.throw(_("Could not find {0}").format(f"{_(doctype)}: {name}"), frappe.DoesNotExistError)
