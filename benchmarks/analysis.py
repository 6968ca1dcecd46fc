"""Section 13 of the benchmarks: the nightly customer analysis, the analytics reports and the boss dashboard,
each next to the bare SQL aggregate over the same tables, in the same run (benchmarks/run.py calls these)."""

import time

import frappe
from frappe.utils import add_days, getdate

from crm_app.analytics import customer_value, nightly, product_sales
from crm_app.api.side_doors import get_card_result
from crm_app.customers.doctype.crm_tag_rule.crm_tag_rule import as_condition
from crm_app.domain.rfm import tier_case
from crm_app.domain.tag_rules import matching_queries

ORDERS = "`tabCRM Sales Order`"
CUSTOMERS = "`tabCRM Customer`"
STEP_RATIO = 3
ASSOCIATION_LIMIT_S = 30
REPORT_LIMIT_S = 1.0
DASHBOARD = "Boss Dashboard"


def seconds(function) -> float:
	started = time.perf_counter()
	function()
	return time.perf_counter() - started


def window_start(field: str):
	return add_days(getdate(), -frappe.get_cached_doc("CRM Settings").get(field))


def tag_rule_selects() -> None:
	for rule in frappe.get_all("CRM Tag Rule", filters={"enabled": 1}, pluck="name"):
		conditions = [as_condition(row) for row in frappe.get_doc("CRM Tag Rule", rule).conditions]
		for query in matching_queries(conditions, frappe.utils.now_datetime()):
			frappe.db.sql(query.sql, query.params)


def tier_changes() -> None:
	"""What the tier step reads: each customer whose scores give another tier than the one they have."""
	case, params = tier_case(customer_value.settings().tier_rules(), customer_value.SCORE_COLUMNS)
	frappe.db.sql(
		f"""select name, {case} from {CUSTOMERS}
		where last_order_date is not null and ifnull(value_tier, '') <> ifnull({case}, '')""",
		[*params, *params],
	)


# steps whose first night is done once, at the upgrade to the version that adds them, and then only the day's
# changes
ONE_OFF = ("Product Sales",)


# step -> the bare aggregate that reads what it reads, without writing: (SQL, values) or a function
BARE = {
	"Order Figures": lambda: frappe.db.sql(
		f"""select customer, max(transaction_date), count(distinct transaction_date),
			sum(transaction_date >= %(start)s), sum(if(transaction_date >= %(start)s, grand_total, 0))
		from {ORDERS} where docstatus = 1 and transaction_date <= %(today)s group by customer""",
		{"start": window_start("rfm_window_days"), "today": getdate()},
	),
	"RFM Scores": lambda: frappe.db.sql(
		f"""select name, ntile(5) over (order by last_order_date), ntile(5) over (order by window_orders),
			ntile(5) over (order by window_amount)
		from {CUSTOMERS} where window_orders > 0"""
	),
	"Value Tiers": tier_changes,
	"Tag Rules": tag_rule_selects,
	"Purchase Rhythms": lambda: frappe.db.sql(
		f"""select customer, median(gap) over (partition by customer) from (
			select customer, datediff(day, lag(day) over (partition by customer order by day)) as gap
			from (select distinct customer, transaction_date as day from {ORDERS} where docstatus = 1) d
		) g"""
	),
	"Churn Due Dates": lambda: frappe.db.sql(
		f"""select name, date_add(last_order_date, interval floor(1.5 * purchase_interval_days) + 1 day)
		from {CUSTOMERS} where last_order_date is not null"""
	),
	"Churn Warnings": lambda: frappe.db.sql(
		f"select name, sales_owner from {CUSTOMERS} where churn_due_date <= %s", getdate()
	),
	"Purchase Association": lambda: frappe.db.sql(
		f"""with basket as (
			select distinct o.customer, i.product from {ORDERS} o
			join `tabCRM Deal Item` i on i.parent = o.name and i.parenttype = 'CRM Sales Order'
			where o.docstatus = 1 and o.transaction_date >= %s and i.product is not null
		)
		select a.product, b.product, count(*) from basket a join basket b
			on b.customer = a.customer and b.product <> a.product
		group by a.product, b.product""",
		window_start("association_window_days"),
	),
	"Product Sales": lambda: frappe.db.sql(
		f"""select date_format(o.transaction_date, '%%Y-%%m-01'), i.product, o.customer, o.sales_owner,
			sum(i.qty), sum(i.amount), count(distinct o.name)
		from {ORDERS} o join `tabCRM Deal Item` i on i.parent = o.name and i.parenttype = 'CRM Sales Order'
		where o.docstatus = 1 and i.product is not null group by 1, 2, 3, 4"""
	),
}

# report -> (filters, the bare aggregate over the same tables without row rules)
REPORTS = {
	"CRM Sales Funnel": (
		{"scope": "Team"},
		"select stage, count(*), sum(amount) from `tabCRM Opportunity` group by stage",
	),
	"CRM Churn Risk": (
		{},
		f"select value_tier, count(*), sum(window_amount) from {CUSTOMERS} where churn_risk = 1 group by value_tier",
	),
	"CRM Product Association": (
		{},
		"select * from `tabCRM Product Association` order by lift desc limit 200",
	),
	"CRM Sales Ranking": (
		{},
		"""select opportunity_owner, sum(amount), count(*) from `tabCRM Opportunity`
		where status = 'Won' and stage_changed_at >= date_format(curdate(), '%%Y-%%m-01') group by opportunity_owner""",
	),
	"CRM Product Ranking": (
		{},
		f"""select i.product, sum(i.qty), sum(i.amount), count(distinct o.customer) from {ORDERS} o
		join `tabCRM Deal Item` i on i.parent = o.name and i.parenttype = 'CRM Sales Order'
		where o.docstatus = 1 and o.transaction_date >= curdate() - interval 365 day group by i.product""",
	),
	"CRM Customer Acquisition": (
		{},
		f"""select source_channel, count(*) from {CUSTOMERS}
		where creation >= curdate() - interval 365 day group by source_channel""",
	),
	"CRM Sales Forecast": (
		{},
		f"""select quarter(transaction_date), sum(grand_total) from {ORDERS}
		where docstatus = 1 and transaction_date >= makedate(year(curdate()), 1) group by 1""",
	),
}


def measure_steps(label: str) -> list[dict]:
	rows = []
	today = getdate()
	for step_label, step in nightly.STEPS:
		bare = BARE[step_label]
		rows.append(
			{
				"night": label,
				"step": step_label,
				"bare_s": seconds(bare),
				"seconds": seconds(lambda step=step: step(today)),
			}
		)
	return rows


def measure_reports(users, runs: int, login, report_run, median_ms, slowest_statement) -> list[dict]:
	rows = []
	for name, (filters, bare) in REPORTS.items():
		login("Administrator")
		bare_ms = median_ms(lambda _i, bare=bare: frappe.db.sql(bare), runs, warmup=1)
		for role, login_name, _description in users:
			user = login(login_name)
			rows.append(
				{
					"report": name,
					"role": role,
					"user": user,
					"bare_ms": bare_ms,
					"ms": median_ms(lambda _i, name=name, f=filters: report_run(name, f), runs, warmup=1),
					"plan": slowest_statement(lambda name=name, f=filters: report_run(name, f)),
				}
			)
	return rows


def measure_dashboard(users, runs: int, login, median_ms) -> list[dict]:
	cards = frappe.get_all(
		"Workspace Number Card", filters={"parent": DASHBOARD}, pluck="number_card_name", order_by="idx asc"
	)
	rows = []
	for card in cards:
		doc = frappe.get_doc("Number Card", card)
		function = {"Count": "count(*)"}.get(doc.function) or f"sum(`{doc.aggregate_function_based_on}`)"
		login("Administrator")
		bare_ms = median_ms(
			lambda _i, function=function, doc=doc: frappe.db.sql(
				f"select {function} from `tab{doc.document_type}`"
			),
			runs,
			warmup=1,
		)
		for role, login_name, _description in users:
			user = login(login_name)
			rows.append(
				{
					"card": card,
					"role": role,
					"user": user,
					"bare_ms": bare_ms,
					"ms": median_ms(lambda _i, card=card: get_card_result(card), runs, warmup=1),
				}
			)
	return rows


def measure_one_off() -> list[dict]:
	"""The steps whose history is counted once, by the upgrade's patch, counting it all, rolled back: the nights
	after it read only the day's changes, and what it wrote and took back would slow the reports after it."""
	rows = []
	watermark = frappe.db.get_default(product_sales.WATERMARK)
	for step_label, step in nightly.STEPS:
		if step_label not in ONE_OFF:
			continue
		frappe.defaults.clear_default(product_sales.WATERMARK)
		frappe.db.delete("CRM Product Sales")  # as before the upgrade, when the table is new
		rows.append(
			{
				"night": "once",
				"step": step_label,
				"bare_s": seconds(BARE[step_label]),
				"seconds": seconds(lambda step=step: step(getdate())),
			}
		)
		frappe.db.rollback()
	if watermark:  # as it was, in the cache too
		frappe.db.set_default(product_sales.WATERMARK, watermark)
	return rows


def measure_analysis(users, runs: int, login, report_run, median_ms, slowest_statement) -> dict:
	"""The analysis from scratch (the first night on a site's history) and again (a night with nothing new),
	then the reports and dashboard over its results; all in one transaction, rolled back."""
	login("Administrator")
	frappe.db.commit()
	with nightly.temporary_tables_in_memory():
		steps = measure_one_off() + measure_steps("first") + measure_steps("next")
	result = {
		"steps": steps,
		"order_lines": frappe.db.count("CRM Deal Item", {"parenttype": "CRM Sales Order"}),
		"orders": frappe.db.count("CRM Sales Order", {"docstatus": 1}),
		"customers_with_orders": frappe.db.sql(
			f"select count(*) from {CUSTOMERS} where last_order_date is not null"
		)[0][0],
		"associations": frappe.db.count("CRM Product Association"),
		"at_risk": frappe.db.count("CRM Customer", {"churn_risk": 1}),
		"tiers": dict(frappe.db.sql(f"select value_tier, count(*) from {CUSTOMERS} group by value_tier")),
	}
	result["reports"] = measure_reports(
		users, max(3, runs // 5), login, report_run, median_ms, slowest_statement
	)
	result["dashboard"] = measure_dashboard(users, max(3, runs // 5), login, median_ms)
	login("Administrator")
	frappe.db.rollback()
	return result


def night_seconds(analysis: dict, night: str) -> float:
	return sum(row["seconds"] for row in analysis["steps"] if row["night"] == night)


def target_rows(analysis: dict, fmt_s, fmt_ms, verdict, short) -> list[tuple[str, str, str]]:
	rows = []
	for row in analysis["steps"]:
		ratio = row["seconds"] / row["bare_s"] if row["bare_s"] else 0
		met = row["seconds"] <= STEP_RATIO * row["bare_s"] or row["seconds"] < 0.1
		if row["step"] == "Purchase Association":
			met = met and row["seconds"] < ASSOCIATION_LIMIT_S
		when = (
			"the upgrade's patch, once, over the site's history"
			if row["night"] == "once"
			else f"{row['night']} night"
		)
		rows.append(
			(
				f"Nightly analysis, {when}: {row['step']}",
				f"≤ {STEP_RATIO}× its bare aggregate"
				+ (f", < {ASSOCIATION_LIMIT_S} s" if row["step"] == "Purchase Association" else ""),
				f"{fmt_s(row['seconds'])}, {ratio:.1f}× ({fmt_s(row['bare_s'])}) — {verdict(met)}",
			)
		)
	for row in analysis["reports"] + analysis["dashboard"]:
		name = row.get("report") or row["card"]
		rows.append(
			(
				f"{'Report' if 'report' in row else 'Dashboard card'} {name} as `{short(row['user'])}`",
				f"< {REPORT_LIMIT_S:g} s",
				f"{fmt_ms(row['ms'])} (bare aggregate {fmt_ms(row['bare_ms'])}) — "
				f"{verdict(row['ms'] < REPORT_LIMIT_S * 1000)}",
			)
		)
	return rows


def section(analysis: dict, fmt_s) -> list[str]:
	tiers = ", ".join(f"{tier or 'none'}: {count:,}" for tier, count in analysis["tiers"].items())
	return [
		"### 13. Customer analysis",
		"",
		f"Over {analysis['orders']:,} submitted orders with {analysis['order_lines']:,} lines, "
		f"{analysis['customers_with_orders']:,} customers who ordered. The first night computes everything from "
		f"scratch, as on a site with years of history, but for {', '.join(ONE_OFF)}: the upgrade's patch counts "
		"that history once (night “once”, rolled back), and every night after reads only the orders changed since "
		"the last. The next night has nothing new. First night "
		f"{fmt_s(night_seconds(analysis, 'first'))}, next {fmt_s(night_seconds(analysis, 'next'))}. Found: "
		f"{analysis['at_risk']:,} customers at churn risk, {analysis['associations']:,} product pairs kept; "
		f"tiers {tiers}.",
		"",
		"| Night | Step | crm_app | Bare aggregate (same run) |",
		"|---|---|---|---|",
		*(
			f"| {row['night']} | {row['step']} | {fmt_s(row['seconds'])} | {fmt_s(row['bare_s'])} |"
			for row in analysis["steps"]
		),
		"",
	]
