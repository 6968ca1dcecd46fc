"""The public pool (公海): unowned leads and customers that any salesperson may claim.

Claims take a row lock, so two people clicking at once cannot both win, and count against a daily limit.
Records nobody has followed up for the configured number of days return to the pool once a day; their former
owners are told, and every claim, release and return is logged (CRM Pool Log) and kept in the record's history.
"""

from collections import Counter, defaultdict

import frappe
from frappe import _
from frappe.utils import add_to_date, escape_html, getdate, now_datetime

from crm_app.bulk import insert_rows
from crm_app.defaults import MANAGER_ROLE
from crm_app.follow_ups import cancel_follow_ups
from crm_app.history import record_field_change
from crm_app.notifications import notify
from crm_app.permissions import check_visible, get_visible_owners, owner_field, set_owner_copies
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import get_settings


def pool_doctypes() -> list[str]:
	return frappe.get_hooks("crm_pool_doctypes")


def check_pool_doctype(doctype: str) -> None:
	if doctype not in pool_doctypes():
		frappe.throw(_("{0} records are not kept in the public pool").format(_(doctype)))


def claims_today(user: str) -> int:
	return frappe.db.count(
		"CRM Pool Log", {"action": "Claim", "user": user, "creation": (">=", getdate(now_datetime()))}
	)


def claim(doctype: str, name: str) -> None:
	check_pool_doctype(doctype)
	check_visible(doctype, name, "read")
	user = frappe.session.user
	# one claim at a time per user, so the daily limit holds under concurrent clicks
	frappe.db.sql("select name from `tabUser` where name = %s for update", user)
	limit = get_settings().pool_daily_claim_limit
	if claims_today(user) >= limit:
		frappe.throw(_("You have reached today's limit of {0} claims from the public pool").format(limit))
	field = owner_field(doctype)
	if frappe.db.get_value(doctype, name, field, for_update=True):
		frappe.throw(_("{0} {1} is no longer in the public pool").format(_(doctype), name))
	set_owner(doctype, [name], None, user)
	log_pool_action("Claim", doctype, [(name, None)], user)


def release(doctype: str, name: str, reason: str | None = None) -> None:
	"""The owner (or their manager) gives a record back to the pool."""
	check_pool_doctype(doctype)
	check_visible(doctype, name, "write")
	field = owner_field(doctype)
	owner = frappe.db.get_value(doctype, name, field, for_update=True)
	if not owner:
		frappe.throw(_("{0} {1} is already in the public pool").format(_(doctype), name))
	owners = get_visible_owners(doctype=doctype)
	if owners is not None and owner not in owners:
		frappe.throw(
			_("Only the owner or their manager can release {0}").format(name), frappe.PermissionError
		)
	set_owner(doctype, [name], owner, None)
	cancel_follow_ups(doctype, [name])
	log_pool_action("Release", doctype, [(name, owner)], frappe.session.user, reason)


def set_owner(doctype: str, names: list[str], old_owner: str | None, new_owner: str | None) -> None:
	field = owner_field(doctype)
	table = frappe.qb.DocType(doctype)
	now = now_datetime()
	(
		frappe.qb.update(table)
		.set(table[field], new_owner)
		.set(table.owner_since, now if new_owner else None)
		.set(table.modified, now)
		.set(table.modified_by, frappe.session.user)
		.where(table.name.isin(names))
	).run()
	set_owner_copies(doctype, names, new_owner)
	record_field_change(doctype, names, field, old_owner, new_owner)


def log_pool_action(action: str, doctype: str, records: list[tuple[str, str | None]], user: str, reason=None):
	insert_rows(
		"CRM Pool Log",
		[
			{
				"action": action,
				"document_type": doctype,
				"document_name": name,
				"user": user,
				"previous_owner": previous,
				"reason": reason,
			}
			for name, previous in records
		],
	)


def idle_records(doctype: str, cutoff) -> list[tuple[str, str]]:
	"""(name, owner) of owned records with no interaction since `cutoff`, counting from when the owner got them."""
	field = owner_field(doctype)
	exempt = ""
	if doctype == "CRM Customer" and not get_settings().recycle_customers_with_orders:
		exempt = "and not exists (select 1 from `tabCRM Sales Order` o where o.customer = r.name and o.docstatus = 1)"
	return frappe.db.sql(
		f"""
		select r.name, r.`{field}` from `tab{doctype}` r
		where r.`{field}` is not null
			and greatest(ifnull(r.last_interaction_at, '1900-01-01'), ifnull(r.owner_since, r.creation)) < %(cutoff)s
			{exempt}
		""",
		{"cutoff": cutoff},
	)


def return_idle_records() -> Counter:
	"""Scheduled daily: put back every record its owner has not followed up within the configured days."""
	days = get_settings().pool_return_days
	cutoff = add_to_date(now_datetime(), days=-days)
	returned = Counter()
	for doctype in pool_doctypes():
		by_owner = defaultdict(list)
		for name, owner in idle_records(doctype, cutoff):
			by_owner[owner].append(name)
		for owner, names in by_owner.items():
			set_owner(doctype, names, owner, None)
			cancel_follow_ups(doctype, names)
			log_pool_action(
				"Return",
				doctype,
				[(name, owner) for name in names],
				frappe.session.user,
				_("No follow-up for {0} days").format(days),
			)
			notify(
				[owner],
				doctype,
				names[0],
				_(
					"{0} of your {1} records had no follow-up for {2} days and went back to the public pool: {3}"
				).format(
					len(names), _(doctype), days, ", ".join(names[:20]) + ("…" if len(names) > 20 else "")
				),
			)
			returned[doctype] += len(names)
	return returned


def take_ownership_from_assignment(todo, method=None) -> None:
	"""Frappe's Assignment Rule assigns with a ToDo; the assignee of an unowned lead or customer becomes its owner."""
	if not todo.assignment_rule or todo.reference_type not in pool_doctypes():
		return
	if not frappe.db.get_value(todo.reference_type, todo.reference_name, owner_field(todo.reference_type)):
		set_owner(todo.reference_type, [todo.reference_name], None, todo.allocated_to)


LEAD_ASSIGNMENT_RULE = "CRM Lead Round Robin"
# As a lead arrives only (its first save is the one whose modified time is its creation time): a lead given back
# to the public pool stays there for someone to claim, even when it is edited, rather than being dealt out again.
LEAD_ASSIGNMENT_CONDITION = 'status == "New" and not lead_owner and creation == modified'
SALES_ROLE = "CRM Sales User"


def salespeople() -> list[str]:
	"""Everyone enabled who sells."""
	has_role, user = frappe.qb.DocType("Has Role"), frappe.qb.DocType("User")
	return sorted(
		row[0]
		for row in frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(user.name)
		.distinct()
		.where((has_role.role == SALES_ROLE) & (has_role.parenttype == "User") & (user.enabled == 1))
		.where(user.name.notin(["Administrator", "Guest"]))
		.run()
	)


def sync_lead_assignment_users(doc=None, method=None) -> None:
	"""The default rule shares new leads among everyone who sells, following people as they join and leave. It
	starts working when its first salesperson joins and stops when the last one leaves; a rule an admin switched
	off stays off."""
	if not frappe.db.exists("Assignment Rule", LEAD_ASSIGNMENT_RULE):
		return
	rule = frappe.get_doc("Assignment Rule", LEAD_ASSIGNMENT_RULE)
	users, current = salespeople(), sorted(row.user for row in rule.users)
	if current == users and (users or rule.disabled):
		return
	rule.set("users", [{"user": user} for user in users])
	if not users:
		rule.disabled = 1
	elif not current:
		rule.disabled = 0
	rule.save(ignore_permissions=True)


def tell_managers_of_unowned_lead(doc, method=None) -> None:
	"""A new lead nobody received (no assignment rule matched) waits in the public pool; the sales managers are
	told at once, so that someone claims it within the working day the inquiry page promises."""
	if doc.get_doc_before_save() is not None or frappe.db.get_value(doc.doctype, doc.name, "lead_owner"):
		return
	has_role = frappe.qb.DocType("Has Role")
	managers = (
		frappe.qb.from_(has_role)
		.select(has_role.parent)
		.distinct()
		.where((has_role.role == MANAGER_ROLE) & (has_role.parenttype == "User"))
	).run(pluck=True)
	who = doc.lead_name + (f" ({doc.company_name})" if doc.company_name else "")
	for manager in managers:
		lang = frappe.db.get_value("User", manager, "language") or None
		notify(
			[manager],
			doc.doctype,
			doc.name,
			_("New lead waiting in the public pool: {0}", lang=lang).format(escape_html(who)),
		)
