"""Set-based inserts of log-like rows that need no validation: change history, pool logs."""

import frappe
from frappe.utils import now_datetime


def insert_rows(doctype: str, rows: list[dict]) -> None:
	"""Insert `rows` (dicts with the same keys) in bulk, filling the standard columns as Frappe would."""
	if not rows:
		return
	now, user = now_datetime(), frappe.session.user
	standard = {"creation": now, "modified": now, "owner": user, "modified_by": user, "docstatus": 0}
	frappe.db.bulk_insert(
		doctype,
		fields=["name", *standard, *rows[0]],
		values=[(frappe.generate_hash(length=12), *standard.values(), *row.values()) for row in rows],
		chunk_size=5000,
	)
