from collections import Counter

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from crm_app.follow_ups import refresh_assignees
from crm_app.history import record_field_change
from crm_app.permissions import get_visible_owners


class CRMHandover(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		if self.from_user == self.to_user:
			frappe.throw(_("The successor must be someone other than the leaving salesperson"))
		if not frappe.db.get_value("User", self.to_user, "enabled"):
			frappe.throw(_("The successor {0} is disabled").format(self.to_user))
		self.check_both_in_reach()

	def check_both_in_reach(self):
		"""A manager hands over only within their own team; admins anywhere."""
		owners = get_visible_owners()
		if owners is None:
			return
		for user in (self.from_user, self.to_user):
			if user not in owners:
				frappe.throw(_("{0} is not in your team").format(user), frappe.PermissionError)

	def before_submit(self):
		self.check_both_in_reach()
		moved = transfer_records(self.from_user, self.to_user)
		self.handed_over_at = now_datetime()
		self.moved_records = []
		for doctype, count in sorted(moved.items()):
			self.append("moved_records", {"document_type": doctype, "records": count})


def transfer_records(from_user: str, to_user: str) -> Counter:
	"""Move every CRM record owned by `from_user`, and their open CRM follow-ups, to `to_user`."""
	moved = Counter()
	now = now_datetime()
	for doctype, fields in frappe.get_hooks("crm_owner_fields", {}).items():
		field = fields[-1]
		names = frappe.get_all(doctype, filters={field: from_user}, pluck="name")
		if not names:
			continue
		table = frappe.qb.DocType(doctype)
		(
			frappe.qb.update(table)
			.set(table[field], to_user)
			.set(table.modified, now)
			.set(table.modified_by, frappe.session.user)
			.where(table[field] == from_user)
		).run()
		record_field_change(doctype, names, field, from_user, to_user)
		moved[doctype] = len(names)
	moved["ToDo"] = transfer_open_follow_ups(from_user, to_user)
	return +moved


def transfer_open_follow_ups(from_user: str, to_user: str) -> int:
	todo = frappe.qb.DocType("ToDo")
	open_todos = (
		frappe.qb.from_(todo)
		.select(todo.name, todo.reference_type, todo.reference_name)
		.where((todo.allocated_to == from_user) & (todo.status == "Open") & todo.reference_type.like("CRM %"))
	).run(as_dict=True)
	if not open_todos:
		return 0
	frappe.qb.update(todo).set(todo.allocated_to, to_user).where(
		todo.name.isin([row.name for row in open_todos])
	).run()
	by_doctype = {}
	for row in open_todos:
		by_doctype.setdefault(row.reference_type, set()).add(row.reference_name)
	for doctype, names in by_doctype.items():
		refresh_assignees(doctype, list(names))
	return len(open_todos)
