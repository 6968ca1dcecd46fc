"""Change history for bulk updates.

Set-based updates skip Document.save, so they would leave no trace in the form's change log. These helpers write
the same Version records Frappe writes on save, in one bulk insert.
"""

import frappe
from frappe.utils import now_datetime


def record_field_change(doctype: str, names: list[str], fieldname: str, old, new) -> None:
	if not names:
		return
	now, user = now_datetime(), frappe.session.user
	data = frappe.as_json({"changed": [[fieldname, old, new]], "added": [], "removed": [], "row_changed": []})
	frappe.db.bulk_insert(
		"Version",
		fields=[
			"name",
			"creation",
			"modified",
			"owner",
			"modified_by",
			"docstatus",
			"ref_doctype",
			"docname",
			"data",
		],
		values=[
			(frappe.generate_hash(length=12), now, now, user, user, 0, doctype, name, data) for name in names
		],
		chunk_size=5000,
	)
