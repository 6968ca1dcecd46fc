"""Section 14 of the benchmarks: a segment's live count and an audience snapshot of about 50,000 customers, each
next to the bare SQL over the same table in the same run (benchmarks/run.py calls these). Everything written
here is rolled back."""

import time

import frappe

from crm_app.marketing import segments

CUSTOMERS = "`tabCRM Customer`"
COUNT_LIMIT_S = 1.0
SNAPSHOT_LIMIT_S = 10.0
SNAPSHOT_SIZE = 50_000


def seconds(function) -> float:
	started = time.perf_counter()
	function()
	return time.perf_counter() - started


def typical_segment():
	"""What a shop owner asks for: customers of the demo's busiest province who bought for at least ¥1,000 in the
	last year and have not ordered for a month."""
	province = frappe.db.sql(
		f"select province from {CUSTOMERS} where province is not null group by province order by count(*) desc limit 1"
	)[0][0]
	return frappe.get_doc(
		{
			"doctype": "CRM Segment",
			"segment_name": "benchmark: typical",
			"conditions": [
				{"metric": "Customer Field", "fieldname": "province", "operator": "=", "value": province},
				{"metric": "Order Amount", "operator": ">=", "value": "1000", "period_days": 365},
				{"metric": "Days Since Last Order", "operator": ">=", "value": "30"},
			],
		}
	)


def sized_segment():
	"""About 50,000 customers: those with at least N orders, N chosen from the data."""
	counts = frappe.db.sql(
		"""select n, count(*) from (select count(*) as n from `tabCRM Sales Order` where docstatus = 1
		group by customer) o group by n order by n desc"""
	)
	total, least = 0, 1
	for orders, customers in counts:
		total, least = total + customers, orders
		if total >= SNAPSHOT_SIZE:
			break
	return frappe.get_doc(
		{
			"doctype": "CRM Segment",
			"segment_name": "benchmark: sized",
			"conditions": [{"metric": "Order Count", "operator": ">=", "value": str(least)}],
		}
	)


def bare_count(segment) -> None:
	where, params = segments.customer_filter(segment, "Administrator")
	frappe.db.sql(f"select count(*) from {CUSTOMERS} where {where}", params)


def bare_snapshot(segment) -> None:
	"""The same rows into the same table by one plain INSERT … SELECT, without the audience record around it."""
	where, params = segments.customer_filter(segment, "Administrator")
	frappe.db.sql(
		f"""insert into `tabCRM Audience Member` (name, audience, customer, customer_name)
		select md5(concat('bare', name)), 'bare', name, customer_name from {CUSTOMERS} where {where}""",
		params,
	)


def measure_marketing(users, login, median_ms, runs: int) -> dict:
	login("Administrator")
	typical, sized = typical_segment(), sized_segment()
	for segment in (typical, sized):
		segment.insert(ignore_permissions=True)
	result = {"counts": [], "snapshots": []}
	bare_ms = median_ms(lambda _i: bare_count(typical), runs, warmup=1)
	for role, login_name, _description in users:
		user = login(login_name)
		result["counts"].append(
			{
				"role": role,
				"user": user,
				"bare_ms": bare_ms,
				"ms": median_ms(lambda _i, user=user: segments.count(typical, user), runs, warmup=1),
				"customers": segments.count(typical, user),
			}
		)
	login("Administrator")
	bare_s = seconds(lambda: bare_snapshot(sized))
	taken_s = seconds(lambda: segments.take_audience(sized, "Administrator"))
	members = frappe.db.sql("select member_count from `tabCRM Audience` order by creation desc limit 1")[0][0]
	result["snapshots"].append({"bare_s": bare_s, "seconds": taken_s, "members": members})
	result["customers"] = frappe.db.count("CRM Customer")
	frappe.db.rollback()
	return result


def target_rows(marketing: dict, fmt_s, fmt_ms, verdict, short) -> list[tuple[str, str, str]]:
	rows = [
		(
			f"Segment count (3 conditions) over every customer, as `{short(row['user'])}`",
			f"< {COUNT_LIMIT_S:g} s",
			f"{fmt_ms(row['ms'])}, {row['customers']:,} customers (bare SQL {fmt_ms(row['bare_ms'])}) — "
			f"{verdict(row['ms'] < COUNT_LIMIT_S * 1000)}",
		)
		for row in marketing["counts"]
	]
	rows += [
		(
			"Audience snapshot of a segment",
			f"< {SNAPSHOT_LIMIT_S:g} s for {SNAPSHOT_SIZE:,}",
			f"{fmt_s(row['seconds'])} for {row['members']:,} customers (bare SQL {fmt_s(row['bare_s'])}) — "
			f"{verdict(row['seconds'] < SNAPSHOT_LIMIT_S)}",
		)
		for row in marketing["snapshots"]
	]
	return rows
