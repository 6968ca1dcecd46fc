"""Set-based writes of rows that need no validation: change history, pool logs, notifications, demo data, imported
chats, and updates over every customer."""

import frappe
from frappe.model.naming import NamingSeries
from frappe.utils import cint, now_datetime

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


def insert_values(
	doctype: str,
	fields: list[str] | tuple[str, ...],
	values: list[tuple],
	ignore_duplicates: bool = False,
	update_on_duplicate: list[str] | tuple[str, ...] = (),
) -> int:
	"""Insert `values` (tuples in the order of `fields`) in parameterised statements of CHUNK rows each; returns
	the rows the database reports as written.

	A row whose unique key is taken is skipped with `ignore_duplicates`, or has the fields `update_on_duplicate`
	overwritten. frappe.db.bulk_insert builds every value through the query builder, which takes five times as
	long for the hundreds of thousands of rows a nightly job or a demo load writes."""
	columns = ", ".join(f"`{field}`" for field in fields)
	row = f"({', '.join(['%s'] * len(fields))})"
	verb = "insert ignore" if ignore_duplicates else "insert"
	upsert = ""
	if update_on_duplicate:
		upsert = " on duplicate key update " + ", ".join(
			f"`{field}` = values(`{field}`)" for field in update_on_duplicate
		)
	written = 0
	for start in range(0, len(values), CHUNK):
		chunk = values[start : start + CHUNK]
		frappe.db.sql(
			f"{verb} into `tab{doctype}` ({columns}) values {', '.join([row] * len(chunk))}{upsert}",
			[value for row_values in chunk for value in row_values],
		)
		written += frappe.db._cursor.rowcount
	return written


CUSTOMERS_PER_TRANSACTION = 50_000


def over_customer_ranges(statement: str) -> None:
	"""Run `statement`, whose two placeholders are the first and last customer name of a range, over every
	customer, a range of CUSTOMERS_PER_TRANSACTION customers per transaction (patches over millions of rows)."""
	names = frappe.db.sql_list("select name from `tabCRM Customer` order by name")
	for start in range(0, len(names), CUSTOMERS_PER_TRANSACTION):
		chunk = names[start : start + CUSTOMERS_PER_TRANSACTION]
		frappe.db.sql(statement, (chunk[0], chunk[-1]))
		frappe.db.commit()


class SeriesBlock:
	"""Reserves consecutive names of a naming series such as CUST-.YYYY.-.##### in `tabSeries`."""

	def __init__(self, series: str, doctype: str):
		self.doctype = doctype
		self.prefix = NamingSeries(series).get_prefix()
		self.digits = len(next(part for part in series.split(".") if part.startswith("#")))
		self.checked = False

	def reserve(self, count: int) -> list[str]:
		if not frappe.db.sql("select current from `tabSeries` where name = %s for update", self.prefix):
			frappe.db.sql("insert into `tabSeries` (name, current) values (%s, 0)", self.prefix)
		current = cint(frappe.db.sql("select current from `tabSeries` where name = %s", self.prefix)[0][0])
		if not self.checked:
			# never hand out a name already taken, even if the counter was reset or rows were loaded by hand
			current = max(current, self.highest_used())
			self.checked = True
		frappe.db.sql("update `tabSeries` set current = %s where name = %s", (current + count, self.prefix))
		return [
			f"{self.prefix}{number:0{self.digits}d}" for number in range(current + 1, current + count + 1)
		]

	def name(self, records: list[dict]) -> None:
		"""Give each record (a dict) its `name`, numbered in the order the records were created."""
		if records:
			ordered = sorted(records, key=lambda record: record["creation"])
			for record, name in zip(ordered, self.reserve(len(records)), strict=True):
				record["name"] = name

	def highest_used(self) -> int:
		return cint(
			frappe.db.sql(
				f"""select max(cast(substring(name, {len(self.prefix) + 1}) as unsigned))
				from `tab{self.doctype}` where name like %s""",
				self.prefix.replace("%", r"\%").replace("_", r"\_") + "%",
			)[0][0]
		)


def autoname_series(doctype: str) -> str:
	"""The naming series of a DocType named by an expression such as OPP-.YYYY.-.#####."""
	return frappe.get_meta(doctype).autoname
