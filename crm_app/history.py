"""Change history for bulk updates, and how the app's change history records an empty value.

Set-based updates skip Document.save, so they would leave no trace in the form's change log. This writes the same
Version records Frappe writes on save, in one bulk insert.

Frappe records a link that was empty as "", but any other empty field (a date, a time) as null, and the form's
timeline prints null as the word "null" ("从null到…"). Every change the app's DocTypes record says "" for empty.
"""

import frappe

from crm_app.bulk import insert_rows


def record_field_change(doctype: str, names: list[str], fieldname: str, old, new) -> None:
	data = frappe.as_json(
		{"changed": [[fieldname, blank(old), blank(new)]], "added": [], "removed": [], "row_changed": []}
	)
	insert_rows("Version", [{"ref_doctype": doctype, "docname": name, "data": data} for name in names])


def blank_empty_values(version, method=None) -> None:
	"""Version before_insert: empty values of the app's DocTypes recorded as ""."""
	if not (version.ref_doctype or "").startswith("CRM ") or not version.data:
		return
	data = frappe.parse_json(version.data)
	if data.get("changed"):
		data["changed"] = [blank_change(change) for change in data["changed"]]
	if data.get("row_changed"):
		data["row_changed"] = [
			[*row[:3], [blank_change(change) for change in row[3]]] for row in data["row_changed"]
		]
	version.data = frappe.as_json(data, indent=None, separators=(",", ":"))


def blank_change(change: list) -> list:
	fieldname, old, new = change
	return [fieldname, blank(old), blank(new)]


def blank(value):
	return "" if value is None else value
