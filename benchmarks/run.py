"""Measure crm_app at realistic sizes and write docs/benchmarks.md.

Run with the bench's Python from the bench's sites folder, on a site you may fill with demo data:

    cd ~/frappe-bench/sites
    ../env/bin/python /path/to/crm_app/benchmarks/run.py --site demo.localhost --customers 100000

It seeds the site through the demo loader (the code behind `bench crm-demo`), then measures each figure next to
a baseline taken in the same run, on the same data and machine. The seeded demo data stays on the site; every
baseline and the tag rule job run inside a transaction that is rolled back, so they leave nothing behind.
Not part of the test suite: the figures depend on the machine, and nothing here asserts on them.
"""

import argparse
import os
import platform
import statistics
import time
from datetime import datetime
from pathlib import Path

import frappe
from frappe.utils import get_system_timezone, now_datetime

from crm_app.demo.generator import DEMO_USERS, DemoGenerator, demo_email
from crm_app.demo.loader import demo_context, load_demo_data, taken_values

ROOT = Path(__file__).resolve().parent.parent
CUSTOMER = "CRM Customer"
LIST_FIELDS = ["name", "customer_name", "sales_owner", "modified"]
ROLE_USERS = (
	("CRM Sales User", "zhang.wei", "a salesperson in 上海组"),
	("CRM Sales Manager", "chen.jing", "manager of 华东大区: 2 sub-teams, 7 salespeople"),
	("CRM Sales Manager", "wang.jianguo", "manager of 销售总部, the root of every team"),
	("CRM Admin", "sun.li", "sees every record"),
)


def median_ms(function, runs: int, warmup: int = 2) -> float:
	"""Median wall time of `function(i)` in milliseconds, after `warmup` calls that are not counted; `i` counts
	every call, so a function may take a different value each time."""
	for i in range(warmup):
		function(i)
	timings = []
	for i in range(warmup, warmup + runs):
		started = time.perf_counter()
		function(i)
		timings.append((time.perf_counter() - started) * 1000)
	return statistics.median(timings)


def timed(function) -> tuple[float, object]:
	started = time.perf_counter()
	value = function()
	return time.perf_counter() - started, value


def say(message: str) -> None:
	print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


# -- facts


def machine_facts() -> dict[str, str]:
	meminfo = Path("/proc/meminfo").read_text().splitlines()
	total_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
	cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
	model = next(
		(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "unknown"
	)
	buffer_pool = frappe.db.sql("select @@innodb_buffer_pool_size")[0][0]
	return {
		"CPU": f"{os.cpu_count()} cores ({model})",
		"RAM": f"{total_kb / 1024 / 1024:.1f} GiB (MemTotal in /proc/meminfo)",
		"Database": f"MariaDB {frappe.db.sql('select version()')[0][0]}, "
		f"innodb_buffer_pool_size {int(buffer_pool) // 1024 // 1024} MiB",
		"Software": f"Frappe {frappe.__version__}, Python {platform.python_version()}, {platform.system()}",
	}


def row_counts() -> dict[str, int]:
	counts = {
		"CRM Customer": frappe.db.count(CUSTOMER),
		"CRM Customer Contact": frappe.db.count("CRM Customer Contact"),
		"CRM Interaction": frappe.db.count("CRM Interaction"),
		"ToDo (open, on customers)": frappe.db.count("ToDo", {"reference_type": CUSTOMER, "status": "Open"}),
		"CRM Customer Tag": frappe.db.count("CRM Customer Tag"),
	}
	if sales_orders_exist():
		counts["CRM Sales Order"] = frappe.db.count("CRM Sales Order")
	counts["Customers in the public pool"] = frappe.db.count(CUSTOMER, {"sales_owner": ("is", "not set")})
	return counts


def sales_orders_exist() -> bool:
	return bool(frappe.db.exists("DocType", "CRM Sales Order")) and frappe.db.table_exists("CRM Sales Order")


# -- 1. loading


def measure_load(customers: int, seed: int | None) -> dict:
	say(f"loading {customers} demo customers")
	result = load_demo_data(customers, seed=seed, commit=True, progress=say)
	return {
		"customers": result.customers,
		"contacts": result.contacts,
		"interactions": result.interactions,
		"follow_ups": result.follow_ups,
		"seconds": result.seconds,
		"seed": result.seed,
		"per_1000": result.seconds / result.customers * 1000,
	}


def measure_insert_baseline(sample: int) -> dict:
	"""The same kind of data saved the ordinary way: doc.insert() of each customer (with its contacts) and of
	each of its interactions, through every controller and hook. Rolled back afterwards."""
	say(f"baseline: inserting {sample} customers one by one with doc.insert()")
	generator = DemoGenerator(demo_context(), seed=1, taken=taken_values())
	batch = list(generator.customers(sample))
	frappe.db.commit()  # start from a clean transaction; the rollback below removes only the baseline
	started = time.perf_counter()
	interactions = 0
	for data in batch:
		customer = frappe.get_doc(
			{
				"doctype": CUSTOMER,
				**{key: value for key, value in data.items() if key not in SKIPPED_ON_INSERT},
				"contacts": data["contacts"],
			}
		).insert()
		for row in data["interactions"]:
			frappe.get_doc(
				{
					"doctype": "CRM Interaction",
					"customer": customer.name,
					**{key: value for key, value in row.items() if key != "owner"},
				}
			).insert()
			interactions += 1
	seconds = time.perf_counter() - started
	frappe.db.rollback()
	return {
		"customers": sample,
		"interactions": interactions,
		"seconds": seconds,
		"per_1000": seconds / sample * 1000,
	}


# Fields the controllers fill themselves on insert
SKIPPED_ON_INSERT = {
	"contacts",
	"interactions",
	"creation",
	"modified",
	"owner_since",
	"name_key",
	"pinyin_key",
	"interaction_count",
	"last_interaction_at",
	"next_follow_up_date",
}


# -- 2. list query per role


def list_first_page():
	return frappe.get_list(CUSTOMER, fields=LIST_FIELDS, order_by="modified desc", limit=20)


def visible_count() -> int:
	return frappe.get_list(CUSTOMER, fields=["count(*) as n"], order_by=None)[0].n


def row_condition() -> str:
	"""The WHERE clause frappe.get_list adds for the current user, or "none"."""
	sql = " ".join(frappe.get_list(CUSTOMER, fields=["name"], order_by="modified desc", run=0).split())
	return sql.split(" where ", 1)[1].split(" order by ")[0] if " where " in sql else "none"


def query_plan() -> str:
	"""The index MariaDB picks for the first page, and the rows it expects to read."""
	sql = frappe.get_list(CUSTOMER, fields=LIST_FIELDS, order_by="modified desc", limit=20, run=0)
	plan = frappe.db.sql(f"explain {sql}", as_dict=True)[0]
	return f"key `{plan.key}`, {int(plan.rows or 0):,} rows estimated, {plan.Extra or 'no extra'}"


def measure_list(runs: int) -> dict:
	say("customer list as each role")
	rows = []
	frappe.set_user("Administrator")
	baseline = median_ms(lambda _i: list_first_page(), runs)
	baseline_visible = visible_count()
	baseline_plan = query_plan()
	for role, login, description in ROLE_USERS:
		user = demo_email(login)
		if not frappe.db.exists("User", user):
			continue
		frappe.set_user(user)
		assert role in frappe.get_roles(user), f"{user} does not have the role {role}"
		rows.append(
			{
				"role": role,
				"user": user,
				"description": description,
				"ms": median_ms(lambda _i: list_first_page(), runs),
				"visible": visible_count(),
				"plan": query_plan(),
				"conditions": row_condition(),
			}
		)
	frappe.set_user("Administrator")
	return {
		"baseline_ms": baseline,
		"baseline_visible": baseline_visible,
		"baseline_plan": baseline_plan,
		"rows": rows,
	}


# -- 3. duplicate check


def measure_duplicate_check(runs: int) -> dict:
	say("duplicate checks")
	sample = frappe.db.sql(
		f"select mobile_no, name_key, customer_name from `tab{CUSTOMER}` where mobile_no is not null"
		" order by rand(7) limit %s",
		runs + 2,
	)
	by_mobile = median_ms(
		lambda i: frappe.db.get_value(CUSTOMER, {"mobile_no": sample[i][0]}, "name"), runs, warmup=2
	)
	by_name_key = median_ms(
		lambda i: frappe.db.get_value(CUSTOMER, {"name_key": sample[i][1]}, "name"), runs, warmup=2
	)
	like_runs = max(3, runs // 3)
	like = median_ms(
		lambda i: frappe.get_all(
			CUSTOMER, filters={"customer_name": ("like", f"%{sample[i][2]}%")}, pluck="name"
		),
		like_runs,
		warmup=1,
	)
	return {"mobile_ms": by_mobile, "name_key_ms": by_name_key, "like_ms": like, "like_runs": like_runs}


# -- 4. tag rules


def measure_tag_rules(naive_sample: int) -> dict:
	if not sales_orders_exist():
		return {"skipped": "the CRM Sales Order DocType is not installed on this site yet"}
	from crm_app.customers.doctype.crm_tag_rule.crm_tag_rule import apply_enabled_rules

	say("tag rule job (set-based), rolled back afterwards")
	frappe.db.commit()
	rules = frappe.get_all("CRM Tag Rule", filters={"enabled": 1}, pluck="name", order_by="name")
	seconds, _none = timed(apply_enabled_rules)
	matched = dict(
		frappe.get_all(
			"CRM Tag Rule", filters={"enabled": 1}, fields=["name", "matched_customers"], as_list=True
		)
	)
	tags_added = frappe.db.count("CRM Customer Tag", {"source": "Rule"})
	frappe.db.rollback()

	say(f"baseline: get_doc, append a tag and save, {naive_sample} customers, rolled back afterwards")
	rule = frappe.get_doc("CRM Tag Rule", rules[0]) if rules else None
	tag = rule.tag if rule else frappe.get_all("CRM Tag", pluck="name", limit=1)[0]
	names = frappe.db.sql_list(f"select name from `tab{CUSTOMER}` order by rand(11) limit %s", naive_sample)
	started = time.perf_counter()
	for name in names:
		doc = frappe.get_doc(CUSTOMER, name)
		doc.append("tags", {"tag": tag, "source": "Rule", "tag_rule": rule.name if rule else None})
		doc.save()
	naive_seconds = time.perf_counter() - started
	frappe.db.rollback()
	customers = frappe.db.count(CUSTOMER)
	return {
		"rules": rules,
		"seconds": seconds,
		"matched": matched,
		"tags_added": tags_added,
		"naive_sample": len(names),
		"naive_seconds": naive_seconds,
		"naive_extrapolated": naive_seconds / len(names) * customers,
		"customers": customers,
	}


# -- report


def fmt_s(seconds: float) -> str:
	if seconds >= 3600:
		return f"{seconds / 3600:.1f} h"
	if seconds >= 120:
		return f"{seconds / 60:.1f} min"
	return f"{seconds:.1f} s"


def faster(slow: float, fast: float) -> str:
	return f"{slow / fast:,.0f}× faster" if fast else "n/a"


def overhead(measured: float, baseline: float) -> str:
	return f"{measured / baseline:.1f}× the baseline ({measured - baseline:+.2f} ms)"


def write_report(path: Path, args, facts, counts, load, insert, listing, duplicates, tags, took) -> None:
	lines = [
		"# Benchmarks",
		"",
		"Written by `benchmarks/run.py`; do not edit by hand. Re-run with:",
		"",
		"```",
		"cd ~/frappe-bench/sites",
		f"../env/bin/python /path/to/crm_app/benchmarks/run.py --site SITE --customers {args.customers}",
		"```",
		"",
		f"Measured on {now_datetime():%Y-%m-%d %H:%M} ({get_system_timezone()}) on site `{args.site}`; the whole run took {fmt_s(took)}. "
		"Every baseline was measured in the same run, on the same data and machine. Baselines and the tag "
		"rule job ran in transactions that were rolled back, so the site keeps only the seeded demo data.",
		"",
		"## Figures",
		"",
		"| # | Measure | crm_app | Baseline (same run) | Comparison |",
		"|---|---|---|---|---|",
	]
	if load:
		lines.append(
			f"| 1 | Load demo data, per 1,000 customers (with their contacts, interactions and open follow-ups) "
			f"| {load['per_1000']:.2f} s — {load['customers']:,} customers in {fmt_s(load['seconds'])} "
			f"(`bulk_insert`) | {insert['per_1000']:.1f} s — `doc.insert()` one by one of {insert['customers']} "
			f"customers and their {insert['interactions']} interactions, extrapolated "
			f"| {faster(insert['per_1000'], load['per_1000'])} |"
		)
	else:
		lines.append(
			f"| 1 | Load demo data | not measured (`--no-load`) | {insert['per_1000']:.1f} s per 1,000 "
			f"(`doc.insert()` of {insert['customers']}, extrapolated) | |"
		)
	for row in listing["rows"]:
		lines.append(
			f"| 2 | Customer list, first page of 20 by `modified desc`, as {row['role']} "
			f"(`{row['user'].split('@')[0]}`, {row['description']}; {row['visible']:,} customers visible) "
			f"| {row['ms']:.2f} ms | {listing['baseline_ms']:.2f} ms as Administrator, no row conditions "
			f"({listing['baseline_visible']:,} visible) | {overhead(row['ms'], listing['baseline_ms'])} |"
		)
	lines += [
		f"| 3 | Duplicate check: `frappe.db.get_value` on the unique `mobile_no` | {duplicates['mobile_ms']:.2f} ms "
		f"| {duplicates['like_ms']:.1f} ms — `customer_name like '%…%'` (full scan) "
		f"| {faster(duplicates['like_ms'], duplicates['mobile_ms'])} |",
		f"| 3 | Similar-name check: `frappe.db.get_value` on the indexed `name_key` | {duplicates['name_key_ms']:.2f} ms "
		f"| {duplicates['like_ms']:.1f} ms — the same `like` scan "
		f"| {faster(duplicates['like_ms'], duplicates['name_key_ms'])} |",
	]
	if "skipped" in tags:
		lines.append(f"| 4 | Tag rule job | **skipped**: {tags['skipped']} | | |")
	else:
		lines.append(
			f"| 4 | Tag rule job `apply_enabled_rules()`: {len(tags['rules'])} rules over all "
			f"{tags['customers']:,} customers, set-based SQL | {fmt_s(tags['seconds'])} "
			f"| {fmt_s(tags['naive_extrapolated'])} — `get_doc` + append tag + `save()` per customer, "
			f"{tags['naive_sample']} customers in {fmt_s(tags['naive_seconds'])}, extrapolated to all "
			f"| {faster(tags['naive_extrapolated'], tags['seconds'])} |"
		)
	lines += [
		"",
		"Timings of single queries are medians of "
		f"{args.runs} runs after 2 warm-up runs (the `like` scan: {duplicates['like_runs']} runs). List queries "
		"go through `frappe.get_list` with `frappe.set_user`, so they include Frappe's permission checks and "
		"crm_app's row conditions (own records, the team's records, or all, plus the public pool), but no HTTP.",
		"",
	]
	if "skipped" not in tags:
		matched = ", ".join(f"{rule}: {count:,}" for rule, count in tags["matched"].items())
		lines += [
			f"Tag rule job: {tags['tags_added']:,} tags added ({matched} customers matched). The naive "
			"baseline saves every sampled customer (as if each matched one rule), which is the cheapest case for "
			"it: it does not evaluate the conditions at all.",
			"",
		]
	lines += [
		"Query plans of the list's first page (`EXPLAIN`), and the row condition crm_app adds:",
		"",
		"| User | Plan | Condition |",
		"|---|---|---|",
		f"| Administrator | {listing['baseline_plan']} | none |",
	]
	lines += [
		f"| `{row['user'].split('@')[0]}` | {row['plan']} | `{row['conditions'].replace('`', '')}` |"
		for row in listing["rows"]
	]
	lines += ["", "## Data", "", "| Table | Rows |", "|---|---|"]
	lines += [f"| {table} | {count:,} |" for table, count in counts.items()]
	if load:
		lines += [
			"",
			f"This run loaded {load['customers']:,} customers with {load['contacts']:,} contacts, "
			f"{load['interactions']:,} interactions and {load['follow_ups']:,} open follow-ups (seed {load['seed']}).",
		]
	lines += ["", "## Machine", "", "| | |", "|---|---|"]
	lines += [f"| {key} | {value} |" for key, value in facts.items()]
	lines.append("")
	path.parent.mkdir(parents=True, exist_ok=True)
	path.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--customers", type=int, default=100_000, help="demo customers to load")
	parser.add_argument("--sites-path", default=".", help="the bench's sites folder (default: here)")
	parser.add_argument("--no-load", action="store_true", help="measure the data the site already has")
	parser.add_argument("--seed", type=int, default=None)
	parser.add_argument("--runs", type=int, default=25, help="runs per query timing")
	parser.add_argument("--insert-sample", type=int, default=200)
	parser.add_argument("--tag-sample", type=int, default=500)
	parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
	args = parser.parse_args()

	started = time.monotonic()
	frappe.init(site=args.site, sites_path=args.sites_path)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		facts = machine_facts()
		load = None if args.no_load else measure_load(args.customers, args.seed)
		if not frappe.db.exists("User", demo_email(DEMO_USERS[0].login)):
			raise SystemExit("no demo users on this site: run without --no-load, or `bench crm-demo` first")
		insert = measure_insert_baseline(args.insert_sample)
		listing = measure_list(args.runs)
		duplicates = measure_duplicate_check(args.runs)
		tags = measure_tag_rules(args.tag_sample)
		counts = row_counts()
		frappe.db.rollback()
		write_report(
			args.output,
			args,
			facts,
			counts,
			load,
			insert,
			listing,
			duplicates,
			tags,
			time.monotonic() - started,
		)
	finally:
		frappe.destroy()
	say(f"wrote {args.output}")
	if "skipped" in tags:
		say(f"tag rule job skipped: {tags['skipped']}")
	return 0


if __name__ == "__main__":
	raise SystemExit(main())
