"""Finding a customer by any part of its name, its pinyin, the mobile number as typed, or its number.

Each customer's search keys (`domain.names.search_keys`) sit in one table, `crm_customer_search`, with the key
first in its primary key: a lookup reads one index range, whatever the number of customers, instead of scanning
them all with LIKE '%…%'. The table is an index, not a record anyone opens, so it is no DocType.
"""

import frappe

from crm_app.domain.names import search_keys, search_prefix
from crm_app.domain.phone import format_for_display
from crm_app.permissions import get_permission_query_conditions

TABLE = "crm_customer_search"
CHUNK = 5000
# Customers whose keys are sorted together when many are indexed at once (about 26 keys each).
BULK_CHUNK = 100_000
# How many matching customers a search considers before the caller's filters and order apply.
CANDIDATES = 200


def create_table() -> None:
	frappe.db.sql_ddl(
		f"""create table if not exists `{TABLE}` (
			search_key varchar(16) not null,
			customer varchar(140) not null,
			primary key (search_key, customer),
			key customer (customer)
		) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci"""
	)


def drop_table() -> None:
	frappe.db.sql_ddl(f"drop table if exists `{TABLE}`")


def index_customers(customers: list[tuple[str, str, str | None]], new: bool = False) -> None:
	"""Write the keys of these (name, customer name, mobile) customers, replacing any they had; `new` customers
	have none, which saves a statement on every insert."""
	for start in range(0, len(customers), CHUNK):
		chunk = customers[start : start + CHUNK]
		if not new:
			forget_customers([name for name, _title, _mobile in chunk])
		insert_keys(
			[(key, name) for name, title, mobile in chunk for key in search_keys(title, mobile, name)]
		)


def forget_customers(names: list[str]) -> None:
	if names:
		frappe.db.sql(f"delete from `{TABLE}` where customer in %(names)s", {"names": names})


def index_many(names: list[str], progress=None) -> None:
	"""Write the keys of many customers, replacing any they had, BULK_CHUNK customers at a time in key order.

	The index is ordered by key, so the keys of a few customers land on pages all over it: written a few
	customers at a time, every page of a large index is read and written again and again. Sorted first, each
	page is written once per BULK_CHUNK customers, which turns hours into minutes at a million customers.
	"""
	for start in range(0, len(names), BULK_CHUNK):
		batch = names[start : start + BULK_CHUNK]
		keys = []
		for offset in range(0, len(batch), CHUNK):
			chunk = batch[offset : offset + CHUNK]
			forget_customers(chunk)
			customers = frappe.db.sql(
				"select name, customer_name, mobile_no from `tabCRM Customer` where name in %(names)s",
				{"names": chunk},
			)
			keys += [
				(key, name) for name, title, mobile in customers for key in search_keys(title, mobile, name)
			]
		keys.sort()
		for offset in range(0, len(keys), CHUNK):
			insert_keys(keys[offset : offset + CHUNK])
		if progress:
			progress(start + len(batch))


def insert_keys(rows: list[tuple[str, str]]) -> None:
	if rows:
		frappe.db.sql(
			f"insert ignore into `{TABLE}` (search_key, customer) values {', '.join(['(%s, %s)'] * len(rows))}",
			[value for row in rows for value in row],
		)


def reindex_all() -> None:
	"""Rebuild every customer's keys (after a migration, or to repair the index)."""
	frappe.db.sql(f"truncate table `{TABLE}`")
	index_many(frappe.db.sql_list("select name from `tabCRM Customer` order by name"))


def find_customers(typed: str | None, limit: int) -> list[str]:
	"""Names of up to `limit` customers within the user's reach whose keys start with what was typed."""
	prefix = search_prefix(typed)
	if not prefix:
		return []
	reach = get_permission_query_conditions(frappe.session.user, "CRM Customer")
	return frappe.db.sql(
		f"""select distinct k.customer from `{TABLE}` k
		join `tabCRM Customer` on `tabCRM Customer`.name = k.customer
		where k.search_key like %(prefix)s {f"and {reach}" if reach else ""}
		limit %(limit)s""",
		{"prefix": f"{prefix}%", "limit": limit},
		pluck=True,
	)


def customer_search(typed: str | None, filters, start: int, page_len: int) -> list[list]:
	"""[name, customer name, mobile, city] of matching customers within reach, most recently changed first; with
	nothing typed, the most recently changed."""
	conditions = as_filter_list(filters)
	if typed and typed.strip():
		conditions.append(["CRM Customer", "name", "in", find_customers(typed, CANDIDATES) or [""]])
	rows = frappe.get_list(
		"CRM Customer",
		filters=conditions,
		fields=["name", "customer_name", "mobile_no", "city"],
		order_by="modified desc",
		limit_start=start,
		limit_page_length=page_len,
		as_list=True,
	)
	return [[name, title, format_for_display(mobile), city] for name, title, mobile, city in rows]


def as_filter_list(filters) -> list[list]:
	"""A link field's filters, as a dict or a list, as a list that more conditions can join."""
	if not filters:
		return []
	if isinstance(filters, list):
		return list(filters)
	return [
		["CRM Customer", field, *(value if isinstance(value, list | tuple) else ("=", value))]
		for field, value in filters.items()
	]
