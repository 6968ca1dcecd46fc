"""Change history for bulk updates.

Set-based updates skip Document.save, so they would leave no trace in the form's change log. This writes the same
Version records Frappe writes on save, in one bulk insert.
"""

import frappe

from crm_app.bulk import insert_rows


def record_field_change(doctype: str, names: list[str], fieldname: str, old, new) -> None:
	data = frappe.as_json({"changed": [[fieldname, old, new]], "added": [], "removed": [], "row_changed": []})
	insert_rows("Version", [{"ref_doctype": doctype, "docname": name, "data": data} for name in names])
