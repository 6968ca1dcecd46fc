"""Measure crm_app at realistic sizes and write docs/benchmarks.md.

Run with the bench's Python from the bench's sites folder, on a site you may fill with demo data:

    cd ~/frappe-bench/sites
    ../env/bin/python /path/to/crm_app/benchmarks/run.py --site demo.localhost --customers 100000

It seeds the site through the demo loader (the code behind `bench crm-demo`: customers with their sales pipeline,
and leads), then measures each figure next to a baseline taken in the same run, on the same data and machine. The
seeded demo data stays on the site; every baseline and the tag rule job run inside a transaction that is rolled
back, so they leave nothing behind.
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
from frappe.utils import add_days, get_system_timezone, now_datetime

from crm_app.demo.generator import DEMO_USERS, demo_email
from crm_app.demo.loader import demo_context, load_demo_data, taken_values
from crm_app.demo.pipeline import PipelineGenerator

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
	def count(doctype: str, filters=None) -> int:
		return frappe.db.count(doctype, filters) if frappe.db.table_exists(doctype) else 0

	counts = {
		"CRM Customer": count(CUSTOMER),
		"CRM Customer Contact": count("CRM Customer Contact"),
		"CRM Interaction": count("CRM Interaction"),
		"ToDo (open, on customers)": count("ToDo", {"reference_type": CUSTOMER, "status": "Open"}),
		"ToDo (open, on leads and opportunities)": count(
			"ToDo", {"reference_type": ("in", ["CRM Lead", "CRM Opportunity"]), "status": "Open"}
		),
		"CRM Customer Tag": count("CRM Customer Tag"),
		"CRM Product": count("CRM Product"),
		"CRM Lead": count("CRM Lead"),
		"CRM Opportunity": count("CRM Opportunity"),
	}
	if counts["CRM Opportunity"]:
		by_status = dict(
			frappe.get_all(
				"CRM Opportunity",
				fields=["status", "count(*) as n"],
				group_by="status",
				order_by="status",
				as_list=True,
			)
		)
		counts["CRM Opportunity"] = (
			f"{counts['CRM Opportunity']:,} ("
			+ ", ".join(f"{status} {by_status.get(status, 0):,}" for status in ("Open", "Won", "Lost"))
			+ ")"
		)
	counts["CRM Opportunity Stage Log"] = count("CRM Opportunity Stage Log")
	counts["CRM Quotation"] = count("CRM Quotation")
	counts["CRM Contract"] = count("CRM Contract")
	counts["CRM Sales Order"] = count("CRM Sales Order")
	counts["CRM Deal Item (quotation and order lines)"] = count("CRM Deal Item")
	counts["CRM Payment"] = count("CRM Payment")
	if sales_orders_exist():
		cutoff = add_days(now_datetime(), -365)
		counts["Customers with more than ¥100,000 of orders in the last 365 days"] = frappe.db.sql(
			"""select count(*) from (select customer from `tabCRM Sales Order`
			where docstatus = 1 and transaction_date >= %s group by customer having sum(grand_total) > 100000) c""",
			cutoff,
		)[0][0]
	counts["Customers in the public pool"] = count(CUSTOMER, {"sales_owner": ("is", "not set")})
	counts["Leads in the public pool"] = count("CRM Lead", {"lead_owner": ("is", "not set")})
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
		"pipeline": result.pipeline_summary(),
		"seconds": result.seconds,
		"seed": result.seed,
		"per_1000": result.seconds / result.customers * 1000,
	}


def measure_insert_baseline(sample: int) -> dict:
	"""The same kind of data saved the ordinary way, through every controller and hook: doc.insert() of each
	customer (with its contacts) and of each of its interactions; each deal opened at the first stage and moved
	stage by stage, its quotation inserted and approved through the workflow before the stage that needs it, its
	contract inserted before it is won, its order inserted and submitted, each payment inserted and submitted;
	and each lead with its interactions. Rolled back afterwards."""
	say(f"baseline: inserting {sample} customers with their pipeline, and their leads, one by one")
	generator = PipelineGenerator(demo_context(), seed=1, taken=taken_values())
	funnel = generator.funnel
	quote_stage = [*funnel.open, funnel.won][funnel.quote_from].name if funnel else None
	batch = list(generator.customers(sample))
	lead_batch = list(generator.leads(round(sample * 0.3)))
	frappe.db.commit()  # start from a clean transaction; the rollback below removes only the baseline
	counts = {"interactions": 0, "opportunities": 0, "documents": 0, "leads": len(lead_batch)}
	started = time.perf_counter()
	for data in batch:
		customer = frappe.get_doc(
			{
				"doctype": CUSTOMER,
				**{key: value for key, value in data.items() if key not in SKIPPED_ON_INSERT},
				"contacts": data["contacts"],
			}
		).insert()
		deals = {
			id(deal): insert_deal(customer.name, deal, quote_stage, counts) for deal in data["opportunities"]
		}
		for row in data["interactions"]:
			deal = row.get("opportunity")
			insert_interaction(row, customer=customer.name, opportunity=deals[id(deal)] if deal else None)
			counts["interactions"] += 1
	for data in lead_batch:
		lead = frappe.get_doc(
			{
				"doctype": "CRM Lead",
				**{key: value for key, value in data.items() if key not in SKIPPED_ON_INSERT},
			}
		).insert()
		for row in data["interactions"]:
			insert_interaction(row, lead=lead.name)
			counts["interactions"] += 1
	seconds = time.perf_counter() - started
	frappe.db.rollback()
	return {"customers": sample, **counts, "seconds": seconds, "per_1000": seconds / sample * 1000}


def insert_interaction(row: dict, **links) -> None:
	frappe.get_doc(
		{
			"doctype": "CRM Interaction",
			**{key: value for key, value in row.items() if key not in ("owner", "name", "opportunity")},
			**links,
		}
	).insert()


def insert_deal(customer: str, deal: dict, quote_stage: str, counts: dict) -> str:
	"""A generated deal entered through the API as a salesperson would: opened at the first stage and moved
	stage by stage, each document the next stage needs made first."""
	from frappe.model.workflow import apply_workflow

	stages = [row["to_stage"] for row in deal["stage_history"]]
	fields = ("opportunity_name", "contact_name", "opportunity_owner", "amount", "expected_close_date")
	opportunity = frappe.get_doc(
		{
			"doctype": "CRM Opportunity",
			"customer": customer,
			"stage": stages[0],
			"description": deal["description"],
			**{field: deal[field] for field in fields},
		}
	).insert()
	counts["opportunities"] += 1
	items = [
		{key: line[key] for key in ("product", "qty", "list_price", "discount_percent")}
		for line in deal["lines"]
	]
	generated = deal["quotations"][-1] if deal["quotations"] else None

	def quote():
		quotation = frappe.get_doc(
			{
				"doctype": "CRM Quotation",
				"customer": customer,
				"opportunity": opportunity.name,
				"sales_owner": deal["opportunity_owner"],
				"items": items,
			}
		).insert()
		counts["documents"] += 1
		if quotation.needs_approval:
			quotation = apply_workflow(quotation.as_dict(), "Submit for Approval")
		if generated["docstatus"] == 1:
			quotation = apply_workflow(quotation.as_dict(), "Approve")
		return quotation

	quotation = None
	for stage in stages[1:]:
		if stage == quote_stage and generated:
			quotation = quote()
		if stage == stages[-1] and deal["contract"]:
			frappe.get_doc(
				{
					"doctype": "CRM Contract",
					"contract_title": deal["contract"]["contract_title"],
					"customer": customer,
					"quotation": quotation.name,
					"sales_owner": deal["contract"]["sales_owner"],
					"signing_status": "Signed",
					"signed_date": deal["contract"]["signed_date"],
				}
			).insert()
			counts["documents"] += 1
		opportunity.stage = stage
		if stage == stages[-1]:
			opportunity.lost_reason = deal["lost_reason"]
		opportunity.save()
	if generated and not quotation:  # a quotation not approved (yet)
		quotation = quote()
	if order := deal["order"]:
		doc = frappe.get_doc(
			{
				"doctype": "CRM Sales Order",
				"customer": customer,
				"quotation": quotation.name,
				"opportunity": opportunity.name,
				"sales_owner": order["sales_owner"],
				"shipping_address": order["shipping_address"],
				"delivery_date": order["delivery_date"],
				"items": items,
				"payment_plan": order["payment_plan"],
			}
		).insert()
		doc.submit()
		counts["documents"] += 1
		for payment in order["payments"]:
			frappe.get_doc(
				{
					"doctype": "CRM Payment",
					"sales_order": doc.name,
					**{
						key: payment[key]
						for key in ("amount", "payment_date", "is_deposit", "payment_method", "reference_no")
					},
				}
			).submit()
			counts["documents"] += 1
	return opportunity.name


# Fields the controllers fill themselves on insert
SKIPPED_ON_INSERT = {
	"contacts",
	"interactions",
	"opportunities",
	"score",
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
			f"| 1 | Load demo data, per 1,000 customers (with their contacts, interactions, open follow-ups and sales "
			f"pipeline, and 300 leads) | {load['per_1000']:.2f} s — {load['customers']:,} customers in "
			f"{fmt_s(load['seconds'])} (`bulk_insert`) | {insert['per_1000']:.1f} s — `doc.insert()` one by one of "
			f"{insert['customers']} customers, {insert['leads']} leads, {insert['interactions']} interactions, "
			f"{insert['opportunities']} opportunities moved stage by stage and {insert['documents']} quotations, "
			f"contracts, orders and payments, extrapolated | {faster(insert['per_1000'], load['per_1000'])} |"
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
	lines += [
		f"| {table} | {count:,} |" if isinstance(count, int) else f"| {table} | {count} |"
		for table, count in counts.items()
	]
	if load:
		lines += [
			"",
			f"This run loaded {load['customers']:,} customers with {load['contacts']:,} contacts, "
			f"{load['interactions']:,} interactions and {load['follow_ups']:,} open follow-ups, and "
			f"{load['pipeline']} (seed {load['seed']}).",
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
