"""Hand-over (离职交接): every record a leaving salesperson owns, and their open follow-ups on CRM records, move to a
successor. `what_moves` is the one definition of that: the form's preview counts it and the submitted hand-over
moves it, each kind in set-based statements. Who owns what, and whose records the user may move, is decided in
crm_app.permissions.
"""

from dataclasses import dataclass

import frappe
from frappe.query_builder.functions import Count
from frappe.utils import now_datetime

from crm_app.follow_ups import refresh_assignees
from crm_app.history import record_field_change
from crm_app.permissions import get_visible_owners, owner_fields, set_owner_copies

STANDARD_USERS = ("Administrator", "Guest")


@dataclass
class Holding:
	"""The rows of one DocType that `user` holds and a hand-over passes on, and the column naming the holder."""

	doctype: str
	field: str
	user: str

	def __post_init__(self):
		self.table = frappe.qb.DocType(self.doctype)

	def condition(self):
		return self.table[self.field] == self.user

	def count(self) -> int:
		return frappe.qb.from_(self.table).select(Count("*")).where(self.condition()).run()[0][0]

	def locked_rows(self, *columns) -> list[dict]:
		query = frappe.qb.from_(self.table).select(self.table.name, *columns).where(self.condition())
		return query.for_update().run(as_dict=True)


class OwnedRecords(Holding):
	def move(self, to_user: str) -> int:
		names = [row.name for row in self.locked_rows()]
		if not names:
			return 0
		now = now_datetime()
		update = (
			frappe.qb.update(self.table)
			.set(self.table[self.field], to_user)
			.set(self.table.modified, now)
			.set(self.table.modified_by, frappe.session.user)
			.where(self.condition())
		)
		if frappe.get_meta(self.doctype).has_field("owner_since"):  # the successor's time starts now
			update = update.set(self.table.owner_since, now)
		update.run()
		set_owner_copies(self.doctype, names, to_user)
		record_field_change(self.doctype, names, self.field, self.user, to_user)
		for method in frappe.get_hooks("crm_owner_moved", {}).get(self.doctype, []):
			frappe.get_attr(method)(names)
		return len(names)


class OpenFollowUps(Holding):
	def __init__(self, user: str):
		super().__init__("ToDo", "allocated_to", user)

	def condition(self):
		return super().condition() & (self.table.status == "Open") & self.table.reference_type.like("CRM %")

	def move(self, to_user: str) -> int:
		rows = self.locked_rows(self.table.reference_type, self.table.reference_name)
		if not rows:
			return 0
		frappe.qb.update(self.table).set(self.table[self.field], to_user).where(self.condition()).run()
		by_doctype = {}
		for row in rows:
			by_doctype.setdefault(row.reference_type, set()).add(row.reference_name)
		for doctype, names in by_doctype.items():
			refresh_assignees(doctype, sorted(names))
		return len(rows)


def what_moves(from_user: str) -> list[Holding]:
	return [OwnedRecords(doctype, field, from_user) for doctype, field in owner_fields().items()] + [
		OpenFollowUps(from_user)
	]


def count_what_moves(from_user: str) -> dict[str, int]:
	"""{DocType: rows} a hand-over from `from_user` would move now."""
	return present({holding.doctype: holding.count() for holding in what_moves(from_user)})


def transfer_records(from_user: str, to_user: str) -> dict[str, int]:
	"""Move what `from_user` holds to `to_user`; returns {DocType: rows moved}."""
	return present({holding.doctype: holding.move(to_user) for holding in what_moves(from_user)})


def present(counts: dict[str, int]) -> dict[str, int]:
	"""The kinds of which there is something."""
	return {doctype: count for doctype, count in counts.items() if count}


def search_people(txt: str, start: int, page_len: int, enabled_only: bool) -> list[tuple[str, str]]:
	"""(user, full name) of the people whose records the session user may hand over, matching `txt`: the
	people of the teams a manager leads, everyone for an admin."""
	user = frappe.qb.DocType("User")
	query = (
		frappe.qb.from_(user)
		.select(user.name, user.full_name)
		.where((user.user_type == "System User") & user.name.notin(STANDARD_USERS))
	)
	if (people := get_visible_owners()) is not None:
		query = query.where(user.name.isin(people))
	if enabled_only:
		query = query.where(user.enabled == 1)
	if txt:
		query = query.where(user.name.like(f"%{txt}%") | user.full_name.like(f"%{txt}%"))
	return query.orderby(user.full_name).limit(page_len).offset(start).run()
