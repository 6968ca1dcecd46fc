"""Set-based writes of rows that need no validation: change history, pool logs, notifications, demo data, and
updates over every customer."""

import frappe
from frappe.utils import now_datetime

CHUNK = 5000


def insert_rows(doctype: str, rows: list[dict]) -> None:
	"""Insert `rows` (dicts with the same keys) in bulk, filling the standard columns as Frappe would."""
	if not rows:
		return
	now, user = now_datetime(), frappe.session.user
	standard = {"creation": now, "modified": now, "owner": user, "modified_by": user, "docstatus": 0}
	insert_values(
		doctype,
		["name", *standard, *rows[0]],
		[(frappe.generate_hash(length=12), *standard.values(), *row.values()) for row in rows],
	)


def insert_values(doctype: str, fields: list[str] | tuple[str, ...], values: list[tuple]) -> None:
	"""Insert `values` (tuples in the order of `fields`) in parameterised statements of CHUNK rows each.

	frappe.db.bulk_insert builds every value through the query builder, which takes five times as long for the
	hundreds of thousands of rows a nightly job or a demo load writes."""
	columns = ", ".join(f"`{field}`" for field in fields)
	row = f"({', '.join(['%s'] * len(fields))})"
	for start in range(0, len(values), CHUNK):
		chunk = values[start : start + CHUNK]
		frappe.db.sql(
			f"insert into `tab{doctype}` ({columns}) values {', '.join([row] * len(chunk))}",
			[value for row_values in chunk for value in row_values],
		)


CUSTOMERS_PER_TRANSACTION = 50_000


def over_customer_ranges(statement: str) -> None:
	"""Run `statement`, whose two placeholders are the first and last customer name of a range, over every
	customer, a range of CUSTOMERS_PER_TRANSACTION customers per transaction (patches over millions of rows)."""
	names = frappe.db.sql_list("select name from `tabCRM Customer` order by name")
	for start in range(0, len(names), CUSTOMERS_PER_TRANSACTION):
		chunk = names[start : start + CUSTOMERS_PER_TRANSACTION]
		frappe.db.sql(statement, (chunk[0], chunk[-1]))
		frappe.db.commit()
