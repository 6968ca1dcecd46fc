"""Follow-ups are Frappe ToDos on a CRM record. Those planned by an interaction carry a link back to it, so that
logging the next interaction settles them without touching ordinary assignments.

Bulk changes to ToDos skip ToDo.on_update, which keeps each document's `_assign` list of open assignees; the
list is rebuilt here in one statement instead.
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields
from frappe.query_builder.functions import Coalesce, Count
from frappe.utils import escape_html, get_url_to_form, getdate, strip_html, today

from crm_app.bulk import insert_rows
from crm_app.defaults import ADMIN_ROLES
from crm_app.notifications import outgoing_account_exists
from crm_app.permissions import get_visible_owners

FOLLOW_UP_FIELD = "crm_interaction"
# the product a replacement reminder is about; with the ToDo's date (the due date) it keeps one per cycle
REPLACEMENT_FIELD = "crm_replacement_of"
# set on the follow-up a churn warning gives a customer's owner, closed when the customer orders again
CHURN_FIELD = "crm_churn_warning"
FOLLOW_UP_FIELDS = (FOLLOW_UP_FIELD, REPLACEMENT_FIELD, CHURN_FIELD)


def install_follow_up_field() -> None:
	create_custom_fields(
		{
			"ToDo": [
				{
					"fieldname": FOLLOW_UP_FIELD,
					"fieldtype": "Link",
					"options": "CRM Interaction",
					"label": "Planned in Interaction",
					"insert_after": "reference_name",
					"read_only": 1,
					"search_index": 1,
				},
				{
					"fieldname": REPLACEMENT_FIELD,
					"fieldtype": "Link",
					"options": "CRM Product",
					"label": "Replacement Reminder of",
					"insert_after": FOLLOW_UP_FIELD,
					"read_only": 1,
				},
				{
					"fieldname": CHURN_FIELD,
					"fieldtype": "Check",
					"label": "Churn Warning",
					"insert_after": REPLACEMENT_FIELD,
					"read_only": 1,
				},
			]
		},
		update=True,
	)


# Open follow-ups by date, with assignee and record: the day's reminders, the overdue report (oldest first) and
# the workspace's cards find and count them from this index alone, without reading the ToDos.
FOLLOW_UP_INDEX = "crm_open_follow_ups"
FOLLOW_UP_INDEX_COLUMNS = ["status", "date", "allocated_to", "reference_type", "reference_name"]
# The replacement job asks which reminders exist for the due dates of the coming days, whatever their status.
REPLACEMENT_INDEX = "crm_replacement_reminders"
REPLACEMENT_INDEX_COLUMNS = [REPLACEMENT_FIELD, "date"]


def index_follow_ups() -> None:
	frappe.db.add_index("ToDo", FOLLOW_UP_INDEX_COLUMNS, FOLLOW_UP_INDEX)
	frappe.db.add_index("ToDo", REPLACEMENT_INDEX_COLUMNS, REPLACEMENT_INDEX)


def drop_follow_up_index() -> None:
	for index in (FOLLOW_UP_INDEX, REPLACEMENT_INDEX):
		if frappe.db.has_index("tabToDo", index):
			frappe.db.sql_ddl(f"alter table `tabToDo` drop index `{index}`")


def settle_follow_ups(doctype: str, name: str) -> None:
	"""Close the open follow-ups an earlier interaction planned on this record."""
	for todo in frappe.get_all(
		"ToDo",
		filters={
			"reference_type": doctype,
			"reference_name": name,
			"status": "Open",
			FOLLOW_UP_FIELD: ("is", "set"),
		},
		pluck="name",
	):
		frappe.db.set_value("ToDo", todo, "status", "Closed")
	refresh_assignees(doctype, [name])


def cancel_follow_ups(doctype: str, names: list[str]) -> None:
	"""Cancel every open ToDo on records nobody owns any more."""
	end_follow_ups(doctype, names, "Cancelled")


def close_follow_ups(doctype: str, names: list[str]) -> None:
	"""Close every open ToDo on records whose business is done: a deal won or lost."""
	end_follow_ups(doctype, names, "Closed")


def end_follow_ups(doctype: str, names: list[str], status: str) -> None:
	todo = frappe.qb.DocType("ToDo")
	frappe.qb.update(todo).set(todo.status, status).where(
		(todo.reference_type == doctype) & todo.reference_name.isin(names) & (todo.status == "Open")
	).run()
	refresh_assignees(doctype, names)


def plan_follow_ups(doctype: str, rows: list[dict]) -> None:
	"""Open follow-ups a job plans on records of `doctype`, in one insert: rows of allocated_to, reference_name,
	date, description and any of FOLLOW_UP_FIELDS, all with the same keys."""
	if not rows:
		return
	by = frappe.session.user
	insert_rows(
		"ToDo",
		[
			{"status": "Open", "priority": "Medium", "reference_type": doctype, "assigned_by": by, **row}
			for row in rows
		],
	)
	refresh_assignees(doctype, sorted({row["reference_name"] for row in rows}))


def refresh_assignees(doctype: str, names: list[str]) -> None:
	"""Rebuild `_assign` (the open assignees Frappe shows on a record) from the ToDos, in one statement."""
	if not names:
		return
	frappe.db.sql(
		f"""
		update `tab{doctype}` r
		set r.`_assign` = ifnull((
			select json_arrayagg(t.allocated_to) from (
				select distinct allocated_to, reference_name from `tabToDo`
				where reference_type = %(doctype)s and reference_name in %(names)s and status = 'Open'
			) t where t.reference_name = r.name
		), '[]')
		where r.name in %(names)s
		""",
		{"doctype": doctype, "names": tuple(names)},
	)


# DocType -> its title field: the records follow-ups are kept on.
FOLLOW_UP_TITLES = {
	"CRM Customer": "customer_name",
	"CRM Lead": "lead_name",
	"CRM Opportunity": "opportunity_name",
}
OVERDUE_REPORT_NAME = "CRM Overdue Follow-ups"
OVERDUE_REPORT = f"/app/query-report/{OVERDUE_REPORT_NAME}"
NO_EMAIL_ACCOUNT_TOLD = "crm_app_told_no_email_account"


def open_follow_ups():
	"""(ToDo table, query, title) for open follow-ups on CRM records, joined to the title of the record each is
	on; callers add their conditions and columns."""
	todo = frappe.qb.DocType("ToDo")
	titles, query = [], frappe.qb.from_(todo)
	for doctype, title_field in FOLLOW_UP_TITLES.items():
		table = frappe.qb.DocType(doctype).as_(title_field)
		query = query.left_join(table).on(
			(todo.reference_type == doctype) & (table.name == todo.reference_name)
		)
		titles.append(table[title_field])
	query = query.where((todo.status == "Open") & todo.reference_type.isin(list(FOLLOW_UP_TITLES)))
	return todo, query, Coalesce(*titles)


def overdue_follow_ups(assignee: str | None = None):
	"""Like open_follow_ups, for those past their date and assigned to people within the viewer's reach (or to
	`assignee` alone): the overdue report and the workspace's cards count the same rows."""
	todo, query, title = open_follow_ups()
	query = query.where(todo.date < getdate(today()))
	owners = get_visible_owners(frappe.session.user)
	if owners is not None:
		query = query.where(todo.allocated_to.isin(owners))
	if assignee:
		query = query.where(todo.allocated_to == assignee)
	return todo, query, title


def remind_follow_ups() -> None:
	"""Each morning, in each person's own language: a bell notification for every follow-up due today that opens
	the customer, lead or deal and names it and the plan; one for those already overdue, opening the overdue
	report; and one e-mail listing the day's follow-ups, when an outgoing e-mail account exists."""
	day = getdate()
	todo, query, title = open_follow_ups()
	assigned = query.where(todo.allocated_to.isnotnull())
	due_by_user = defaultdict(list)
	for row in (
		assigned.select(
			todo.allocated_to,
			todo.reference_type,
			todo.reference_name,
			todo.description,
			todo.date,
			title.as_("title"),
		)
		.where(todo.date == day)
		.orderby(todo.allocated_to)
		.orderby(todo.name)
	).run(as_dict=True):
		due_by_user[row.allocated_to].append(row)
	# those overdue are only counted, from the follow-up index
	overdue_by_user = dict(
		assigned.select(todo.allocated_to, Count("*")).where(todo.date < day).groupby(todo.allocated_to).run()
	)
	users = sorted({*due_by_user, *overdue_by_user})
	languages = dict(frappe.get_all("User", {"name": ("in", users)}, ["name", "language"], as_list=True))
	email = can_send_email()
	logs = []
	for user in users:
		lang = languages.get(user) or frappe.db.get_default("lang") or "en"
		due = due_by_user.get(user, [])
		for row in due:
			logs.append(follow_up_log(user, row, lang))
		if overdue := overdue_by_user.get(user):
			subject = _("{0} follow-ups are overdue", lang=lang).format(overdue)
			logs.append(notification(user, subject, link=OVERDUE_REPORT))
		if due and email:
			email_follow_ups(user, due, lang)
	insert_rows("Notification Log", logs)
	for user in users:
		frappe.publish_realtime("notification", user=user, after_commit=True)


def follow_up_log(user: str, row, lang: str) -> dict:
	subject = _("Follow-up due today: {0}", lang=lang).format(escape_html(row.title or row.reference_name))
	if plan := strip_html(row.description or "").strip():
		subject += f" — {escape_html(plan[:140])}"
	return notification(user, subject, document=(row.reference_type, row.reference_name))


def notification(user: str, subject: str, document=(None, None), link: str | None = None) -> dict:
	"""A bell notification's row, for a bulk insert."""
	return {
		"type": "Alert",
		"from_user": "Administrator",
		"read": 0,
		"for_user": user,
		"subject": subject,
		"document_type": document[0],
		"document_name": document[1],
		"link": link,
	}


def email_follow_ups(user: str, rows: list, lang: str) -> None:
	items = "".join(
		f'<li><a href="{get_url_to_form(row.reference_type, row.reference_name)}">'
		f"{escape_html(row.title or row.reference_name)}</a> {escape_html(strip_html(row.description or ''))}</li>"
		for row in rows
	)
	frappe.sendmail(
		recipients=[user],
		subject=_("Follow-ups due today ({0})", lang=lang).format(len(rows)),
		message=f"<p>{_('Your follow-ups for today:', lang=lang)}</p><ul>{items}</ul>",
		now=False,
	)


def can_send_email() -> bool:
	"""Whether an outgoing e-mail account is set up; without one, administrators are told once, plainly."""
	if outgoing_account_exists():
		frappe.db.set_default(NO_EMAIL_ACCOUNT_TOLD, None)
		return True
	if not frappe.db.get_default(NO_EMAIL_ACCOUNT_TOLD):
		admins = [
			user
			for user in frappe.get_all(
				"Has Role", {"role": ("in", ADMIN_ROLES), "parenttype": "User"}, pluck="parent"
			)
			if user not in ("Administrator", "Guest")
		]
		insert_rows(
			"Notification Log",
			[
				notification(
					admin,
					_(
						"Follow-up reminders are not e-mailed: no outgoing e-mail account is set up. "
						"Add one in Email Account, marked as the default outgoing account.",
						lang=frappe.db.get_value("User", admin, "language") or "en",
					),
					link="/app/email-account",
				)
				for admin in sorted(set(admins))
			],
		)
		frappe.db.set_default(NO_EMAIL_ACCOUNT_TOLD, 1)
	return False
