"""Rule-based tags: a rule is a list of conditions, all of which must hold.

A condition names a metric from a fixed catalogue, an operator and a value, so an admin can describe "3 or more
interactions in the last 90 days and no order" without writing SQL. `matching_customers_sql` turns the conditions
into one parameterised SELECT that returns the names of every matching customer; only catalogue entries and
parameters reach the SQL text.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from crm_app.domain.errors import DomainError

CUSTOMER_TABLE = "`tabCRM Customer`"
INTERACTION_TABLE = "`tabCRM Interaction`"
ORDER_TABLE = "`tabCRM Sales Order`"

OPERATORS = {">=": ">=", ">": ">", "<=": "<=", "<": "<", "=": "=", "!=": "<>"}
CUSTOMER_FIELDS = ("customer_type", "tier", "source_channel", "industry", "province", "city", "district")


@dataclass(frozen=True)
class Metric:
	label: str
	table: str | None  # None for a field of the customer itself
	date_column: str | None
	aggregate: str | None
	empty_value: str  # what a customer with no rows counts as


METRICS = {
	"Interaction Count": Metric(
		"Interactions in the period", INTERACTION_TABLE, "interaction_time", "COUNT(*)", "0"
	),
	"Days Since Last Interaction": Metric(
		"Days since the last interaction", INTERACTION_TABLE, None, "MAX(interaction_time)", "NULL"
	),
	"Order Count": Metric("Submitted orders in the period", ORDER_TABLE, "transaction_date", "COUNT(*)", "0"),
	"Order Amount": Metric(
		"Amount of submitted orders in the period", ORDER_TABLE, "transaction_date", "SUM(grand_total)", "0"
	),
	"Customer Field": Metric("A field of the customer", None, None, None, "NULL"),
}


@dataclass(frozen=True)
class Condition:
	metric: str
	operator: str
	value: str
	period_days: int = 0
	fieldname: str | None = None


def validate_condition(condition: Condition) -> None:
	if condition.metric not in METRICS:
		raise DomainError("Unknown tag rule metric {0}", condition.metric)
	if condition.operator not in OPERATORS:
		raise DomainError("Unknown operator {0}", condition.operator)
	if condition.period_days < 0:
		raise DomainError("The period must not be negative")
	if condition.metric == "Customer Field":
		if condition.fieldname not in CUSTOMER_FIELDS:
			raise DomainError("Tag rules cannot use the customer field {0}", condition.fieldname or "")
		if condition.operator not in ("=", "!="):
			raise DomainError("Customer fields can only be compared with = or !=")
		return
	try:
		float(condition.value)
	except (TypeError, ValueError):
		raise DomainError("{0} needs a number, not {1}", condition.metric, condition.value) from None


def _aggregate_join(index: int, metric: Metric, condition: Condition, now: datetime, params: dict) -> str:
	where = "docstatus < 2" if metric.table == INTERACTION_TABLE else "docstatus = 1"
	if metric.date_column and condition.period_days:
		params[f"since{index}"] = now - timedelta(days=condition.period_days)
		where += f" AND {metric.date_column} >= %(since{index})s"
	return (
		f"LEFT JOIN (SELECT customer, {metric.aggregate} AS v FROM {metric.table}"
		f" WHERE {where} GROUP BY customer) m{index} ON m{index}.customer = c.name"
	)


def matching_customers_sql(conditions: list[Condition], now: datetime) -> tuple[str, dict]:
	"""Return (sql, params) selecting `name` of every customer that meets all conditions."""
	if not conditions:
		raise DomainError("A tag rule needs at least one condition")
	joins, wheres, params = [], [], {"now": now}
	for index, condition in enumerate(conditions):
		validate_condition(condition)
		metric = METRICS[condition.metric]
		operator = OPERATORS[condition.operator]
		params[f"value{index}"] = condition.value
		if metric.table is None:
			wheres.append(f"IFNULL(c.`{condition.fieldname}`, '') {operator} %(value{index})s")
			continue
		joins.append(_aggregate_join(index, metric, condition, now, params))
		if condition.metric == "Days Since Last Interaction":
			# no interaction at all counts as "very long ago"
			measured = f"IFNULL(DATEDIFF(%(now)s, m{index}.v), 2147483647)"
		else:
			measured = f"IFNULL(m{index}.v, {metric.empty_value})"
		params[f"value{index}"] = float(condition.value)
		wheres.append(f"{measured} {operator} %(value{index})s")
	sql = f"SELECT c.name FROM {CUSTOMER_TABLE} c {' '.join(joins)} WHERE {' AND '.join(wheres)}"
	return sql, params
