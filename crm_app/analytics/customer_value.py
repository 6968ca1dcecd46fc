"""Each customer's value and rhythm, computed over every customer at once: RFM scores and the value tier
(crm_app/domain/rfm.py), the rhythm of buying and the churn warning (crm_app/domain/churn.py).

Every step is a handful of set-based statements over the submitted orders and the customers; a statement only
writes the customers whose figures changed, so a night with few new orders writes little.
"""

from datetime import date, timedelta

import frappe
from frappe import _

from crm_app.domain.rfm import MEASURES, quintile_positions, tier_case
from crm_app.follow_ups import CHURN_FIELD, plan_follow_ups, refresh_assignees
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import get_settings

ORDERS = "`tabCRM Sales Order`"
CUSTOMERS = "`tabCRM Customer`"
SCORE_COLUMNS = tuple(f"{measure}_score" for measure in MEASURES)
# each measure as a value where higher is better, over the customer's stored figures
MEASURED = {
	"recency": "-datediff(%(today)s, last_order_date)",
	"frequency": "window_orders",
	"monetary": "window_amount",
}


settings = get_settings


def update_order_figures(today: date) -> None:
	"""The customers' order figures: the last order and the days with orders, and the number and amount of
	orders within the RFM window."""
	start = today - timedelta(days=settings().rfm_window_days)
	frappe.db.sql(
		f"""
		update {CUSTOMERS} c
		left join (
			select customer, max(transaction_date) as last_order, count(distinct transaction_date) as order_days,
				sum(transaction_date >= %(start)s) as window_orders,
				sum(if(transaction_date >= %(start)s, grand_total, 0)) as window_amount
			from {ORDERS} where docstatus = 1 and transaction_date <= %(today)s
			group by customer
		) f on f.customer = c.name
		set c.last_order_date = f.last_order, c.order_days = ifnull(f.order_days, 0),
			c.window_orders = ifnull(f.window_orders, 0), c.window_amount = ifnull(f.window_amount, 0)
		where not (c.last_order_date <=> f.last_order and c.order_days <=> ifnull(f.order_days, 0)
			and c.window_orders <=> ifnull(f.window_orders, 0) and c.window_amount <=> ifnull(f.window_amount, 0))
		""",
		{"today": today, "start": start},
	)


def quintile_edges(measure: str, today: date) -> list:
	"""The four edges between the quintiles of a measure over the customers who ordered in the window, read
	in one statement by their positions in sorted order."""
	expression = MEASURED[measure]
	count = frappe.db.sql(f"select count(*) from {CUSTOMERS} where window_orders > 0")[0][0]
	positions = quintile_positions(count)
	if not positions:
		return []
	found = dict(
		frappe.db.sql(
			f"""
			select position, value from (
				select {expression} as value, row_number() over (order by {expression}) - 1 as position
				from {CUSTOMERS} where window_orders > 0
			) ranked where position in %(positions)s
			""",
			{"today": today, "positions": tuple(set(positions))},
		)
	)
	return [found[position] for position in positions]


def score_sql(measure: str, edges: list) -> tuple[str, dict]:
	expression = MEASURED[measure]
	terms = " + ".join(f"({expression} > %({measure}_{k})s)" for k in range(len(edges))) or "0"
	return (
		f"if(window_orders > 0, 1 + {terms}, 0)",
		{f"{measure}_{k}": edge for k, edge in enumerate(edges)},
	)


def update_scores(today: date) -> None:
	assignments, params = [], {"today": today}
	for measure, column in zip(MEASURES, SCORE_COLUMNS, strict=True):
		sql, values = score_sql(measure, quintile_edges(measure, today))
		assignments.append((column, sql))
		params.update(values)
	frappe.db.sql(
		f"""
		update {CUSTOMERS} set {", ".join(f"{column} = {sql}" for column, sql in assignments)}
		where not ({" and ".join(f"{column} <=> {sql}" for column, sql in assignments)})
		""",
		params,
	)


def update_tiers() -> int:
	"""Give every customer who ever ordered the tier of their scores, logging each change; returns the number
	of customers whose tier changed."""
	case, case_params = tier_case(settings().tier_rules(), SCORE_COLUMNS)
	new_tier = f"if(last_order_date is null, null, {case})"
	params = [*case_params, *case_params]
	# an empty tier is stored as NULL or as '' (a form saved with the field blank): both mean none
	changed = f"where ifnull(value_tier, '') <> ifnull({new_tier}, '')"
	now, user = frappe.utils.now_datetime(), frappe.session.user
	frappe.db.sql(
		f"""
		insert into `tabCRM Value Tier Change`
			(name, creation, modified, owner, modified_by, docstatus, idx, customer, changed_on, from_tier,
			to_tier, recency_score, frequency_score, monetary_score)
		select md5(concat(%s, name)), %s, %s, %s, %s, 0, 0, name, %s, nullif(value_tier, ''), {new_tier},
			recency_score, frequency_score, monetary_score
		from {CUSTOMERS} {changed}
		""",
		[frappe.generate_hash(), now, now, user, user, now, *params],
	)
	count = frappe.db.sql("select row_count()")[0][0]
	# the changes just logged say which customers move, found through the log's index on `modified`, so that
	# only they are read again, not every customer
	frappe.db.sql(
		f"""update {CUSTOMERS} c join `tabCRM Value Tier Change` t
			on t.customer = c.name and t.modified = %(now)s and t.changed_on = %(now)s
		set c.value_tier = t.to_tier""",
		{"now": now},
	)
	return count


def update_rhythms() -> None:
	"""Each customer's median days between consecutive days with orders: the middle gap, or the mean of the two
	middle ones, found by numbering each customer's gaps in order."""
	frappe.db.sql(
		f"""
		update {CUSTOMERS} c
		left join (
			select customer, avg(gap) as median_gap from (
				select customer, gap, row_number() over (partition by customer order by gap) as position,
					count(*) over (partition by customer) as gaps
				from (
					select customer, datediff(day, lag(day) over (partition by customer order by day)) as gap
					from (select distinct customer, transaction_date as day from {ORDERS} where docstatus = 1) d
				) g where gap is not null
			) ranked
			where position in (floor((gaps + 1) / 2), floor(gaps / 2) + 1)
			group by customer
		) r on r.customer = c.name
		set c.purchase_interval_days = ifnull(r.median_gap, 0)
		where not (c.purchase_interval_days <=> ifnull(r.median_gap, 0))
		"""
	)


def update_churn_due_dates() -> None:
	policy = settings().churn_policy()
	policy.validate()
	frappe.db.sql(
		f"""
		update {CUSTOMERS} set churn_due_date = {DUE_DATE}
		where not (churn_due_date <=> {DUE_DATE})
		""",
		{
			"multiple": policy.multiple,
			"min_orders": policy.min_orders,
			"default": policy.default_interval_days,
		},
	)


# ChurnPolicy.due_date in SQL: the day after the most days of silence allowed
DUE_DATE = """date_add(last_order_date, interval floor(%(multiple)s * if(
	order_days < %(min_orders)s or not purchase_interval_days, %(default)s, purchase_interval_days)) + 1 day)"""


def warn_of_churn(today: date) -> tuple[int, int]:
	"""End the episode of each customer who ordered again, closing its follow-up; start one for each customer
	whose due date has come, flagging them and, when the silence is fresh, giving their owner one follow-up.
	Returns (warned, cleared)."""
	params = {"today": today}
	# a customer whose orders were all cancelled has no due date any more: their episode ends too
	back = "churn_risk = 1 and (churn_due_date is null or churn_due_date > %(today)s)"
	cleared = frappe.db.sql_list(f"select name from {CUSTOMERS} where {back}", params)
	if cleared:
		frappe.db.sql(f"update {CUSTOMERS} set churn_risk = 0, churn_warned_on = null where {back}", params)
		todo = frappe.qb.DocType("ToDo")
		frappe.qb.update(todo).set(todo.status, "Closed").where(
			(todo.reference_type == "CRM Customer")
			& todo.reference_name.isin(cleared)
			& (todo.status == "Open")
			& (todo[CHURN_FIELD] == 1)
		).run()
		refresh_assignees("CRM Customer", cleared)
	lapsed = "churn_risk = 0 and churn_due_date <= %(today)s"
	to_follow = frappe.db.sql(
		f"""select name, sales_owner, last_order_date, purchase_interval_days from {CUSTOMERS}
		where {lapsed} and churn_due_date >= %(fresh)s and sales_owner is not null""",
		{**params, "fresh": today - timedelta(days=settings().churn_policy().follow_up_within_days)},
		as_dict=True,
	)
	frappe.db.sql(
		f"update {CUSTOMERS} set churn_risk = 1, churn_warned_on = %(today)s where {lapsed}", params
	)
	warned = frappe.db.sql("select row_count()")[0][0]
	plan_follow_ups(
		"CRM Customer",
		[
			{
				"allocated_to": row.sales_owner,
				"reference_name": row.name,
				"date": today,
				"description": churn_description(row),
				CHURN_FIELD: 1,
			}
			for row in to_follow
		],
	)
	return warned, len(cleared)


def churn_description(row) -> str:
	if row.purchase_interval_days:
		return _("Churn risk: usually orders every {0} days, last order on {1}").format(
			round(row.purchase_interval_days), row.last_order_date
		)
	return _("Churn risk: no order since {0}").format(row.last_order_date)
