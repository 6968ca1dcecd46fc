"""The safe condition catalogue of rule tags and marketing segments: a list of conditions, all of which must hold.

A condition names a metric from a fixed catalogue, an operator and a value, so an admin can describe "3 or more
interactions in the last 90 days and no order" without writing SQL. For tag rules, `matching_queries` turns the
conditions into parameterised SELECTs of customer names, and `matching_customers` combines what they return into
the customers that meet every condition. For segments, `segment_condition` compiles them into the WHERE clause of
one SELECT over the customers. Only catalogue entries and parameters reach the SQL text.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from crm_app.domain.errors import DomainError

CUSTOMER_TABLE = "`tabCRM Customer`"
INTERACTION_TABLE = "`tabCRM Interaction`"
ORDER_TABLE = "`tabCRM Sales Order`"
TAG_TABLE = "`tabCRM Customer Tag`"

OPERATORS = {">=": ">=", ">": ">", "<=": "<=", "<": "<", "=": "=", "!=": "<>"}
NEVER = 2147483647  # days since the last interaction of a customer who never had one
CUSTOMER_FIELDS = (
	"customer_type",
	"tier",
	"value_tier",
	"source_channel",
	"industry",
	"province",
	"city",
	"district",
)


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
	"Days Since Last Order": Metric(
		"Days since the last submitted order", ORDER_TABLE, None, "MAX(transaction_date)", "NULL"
	),
	"Customer Field": Metric("A field of the customer", None, None, None, "NULL"),
	"Has Tag": Metric("Carries the tag", TAG_TABLE, None, None, "NULL"),
	"Birthday Month": Metric(
		"Birthday month of the customer or one of its contacts", None, None, None, "NULL"
	),
}
DAYS_SINCE = {"Days Since Last Interaction", "Days Since Last Order"}
EQUALITY_ONLY = {"Customer Field", "Has Tag", "Birthday Month"}


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
	if condition.metric == "Customer Field" and condition.fieldname not in CUSTOMER_FIELDS:
		raise DomainError("Tag rules cannot use the customer field {0}", condition.fieldname or "")
	if condition.metric in EQUALITY_ONLY and condition.operator not in ("=", "!="):
		if condition.metric == "Customer Field":
			raise DomainError("Customer fields can only be compared with = or !=")
		raise DomainError("Tags and birthday months can only be compared with = or !=")
	if condition.metric == "Birthday Month" and birthday_month(condition.value) is None:
		raise DomainError("A birthday month is a number from 1 to 12, not {0}", condition.value)
	if condition.metric in EQUALITY_ONLY:
		if not str(condition.value or "").strip():
			raise DomainError("The condition needs a value")
		return
	try:
		number = float(condition.value)
	except (TypeError, ValueError):
		number = math.nan
	if not math.isfinite(number):
		raise DomainError("{0} needs a number, not {1}", condition.metric, condition.value)


def birthday_month(value) -> int | None:
	try:
		month = int(str(value).strip())
	except (TypeError, ValueError):
		return None
	return month if 1 <= month <= 12 else None


def _holds(measured: float, operator: str, value: float) -> bool:
	return {
		">=": measured >= value,
		">": measured > value,
		"<=": measured <= value,
		"<": measured < value,
		"=": measured == value,
		"!=": measured != value,
	}[operator]


@dataclass(frozen=True)
class CustomerQuery:
	"""A parameterised SELECT of customer names: those that meet conditions, or (`meets` false) those that
	fail one."""

	sql: str
	params: dict
	meets: bool


def matching_queries(conditions: list[Condition], now: datetime) -> list[CustomerQuery]:
	"""The queries that together select every customer meeting all `conditions` (see `matching_customers`).

	Each reads one table. An aggregate is grouped in SQL by customer and keeps only the customers it decides: those
	whose figure meets the condition or, when a customer without rows meets it too (no orders "= 0"), those whose
	figure fails it. No query joins or materialises a table as large as the customers, which at a million
	customers spills to disk and takes minutes.
	"""
	if not conditions:
		raise DomainError("A tag rule needs at least one condition")
	fields, params, queries = [], {}, []
	for index, condition in enumerate(conditions):
		validate_condition(condition)
		metric = METRICS[condition.metric]
		if metric.table is None:
			fields.append(_field_test(condition, f"value{index}", "c"))
			params[f"value{index}"] = _parameter(condition)
			continue
		if condition.metric == "Has Tag":
			queries.append(
				CustomerQuery(
					f"SELECT DISTINCT parent FROM {TAG_TABLE} WHERE parenttype = 'CRM Customer' AND tag = %(value)s",
					{"value": condition.value},
					condition.operator == "=",
				)
			)
			continue
		queries.append(_aggregate_query(metric, condition, now))
	if fields or not any(query.meets for query in queries):
		where = f" WHERE {' AND '.join(fields)}" if fields else ""
		queries.insert(0, CustomerQuery(f"SELECT c.name FROM {CUSTOMER_TABLE} c{where}", params, meets=True))
	return queries


def _aggregate_query(metric: Metric, condition: Condition, now: datetime) -> CustomerQuery:
	params = {"now": now, "value": float(condition.value)}
	where = "docstatus < 2" if metric.table == INTERACTION_TABLE else "docstatus = 1"
	if metric.date_column and condition.period_days:
		params["since"] = now - timedelta(days=condition.period_days)
		where += f" AND {metric.date_column} >= %(since)s"
	if condition.metric in DAYS_SINCE:
		measured = f"DATEDIFF(%(now)s, {metric.aggregate})"
		# no interaction at all counts as "very long ago"
		empty = NEVER
	else:
		measured = f"IFNULL({metric.aggregate}, 0)"
		empty = 0.0
	meets = not _holds(empty, condition.operator, params["value"])
	test = f"{measured} {OPERATORS[condition.operator]} %(value)s"
	return CustomerQuery(
		f"SELECT customer FROM {metric.table} WHERE {where} AND customer IS NOT NULL"
		f" GROUP BY customer HAVING {test if meets else f'NOT ({test})'}",
		params,
		meets,
	)


def matching_customers(results: list[tuple[bool, list[str]]]) -> set[str]:
	"""The customers meeting every condition, from each query's `meets` and the names it returned: named by
	every query that lists those that meet, and by none that lists those that fail."""
	meeting = [set(names) for meets, names in results if meets]
	matched = set.intersection(*meeting)
	for meets, names in results:
		if not meets:
			matched.difference_update(names)
	return matched


def _parameter(condition: Condition):
	return birthday_month(condition.value) if condition.metric == "Birthday Month" else condition.value


def _field_test(condition: Condition, parameter: str, customer: str) -> str:
	"""A test of the customer's own row, `customer` being how the query names the customer table."""
	operator = OPERATORS[condition.operator]
	if condition.metric == "Birthday Month":
		born = (
			f"(MONTH({customer}.birthday) = %({parameter})s OR EXISTS (SELECT 1 FROM `tabCRM Customer Contact` b"
			f" WHERE b.parent = {customer}.name AND b.parenttype = 'CRM Customer'"
			f" AND MONTH(b.birthday) = %({parameter})s))"
		)
		return born if condition.operator == "=" else f"NOT {born}"
	return f"IFNULL({customer}.`{condition.fieldname}`, '') {operator} %({parameter})s"


def segment_condition(conditions: list[Condition], now: datetime, customer: str) -> tuple[str, dict]:
	"""One WHERE clause selecting the customers that meet every condition, and its parameters: each figure is a
	subquery on the customer's own rows, read through the indexes that lead with the customer."""
	if not conditions:
		raise DomainError("A segment needs at least one condition")
	tests, params = [], {"now": now}
	for index, condition in enumerate(conditions):
		validate_condition(condition)
		metric, parameter = METRICS[condition.metric], f"value{index}"
		if metric.table is None:
			tests.append(_field_test(condition, parameter, customer))
			params[parameter] = _parameter(condition)
			continue
		if condition.metric == "Has Tag":
			tagged = (
				f"EXISTS (SELECT 1 FROM {TAG_TABLE} t WHERE t.parent = {customer}.name"
				f" AND t.parenttype = 'CRM Customer' AND t.tag = %({parameter})s)"
			)
			tests.append(tagged if condition.operator == "=" else f"NOT {tagged}")
			params[parameter] = condition.value
			continue
		where = f"r.customer = {customer}.name AND r.docstatus " + (
			"< 2" if metric.table == INTERACTION_TABLE else "= 1"
		)
		if metric.date_column and condition.period_days:
			params[f"since{index}"] = now - timedelta(days=condition.period_days)
			where += f" AND r.{metric.date_column} >= %(since{index})s"
		figure = f"(SELECT {metric.aggregate} FROM {metric.table} r WHERE {where})"
		if condition.metric in DAYS_SINCE:
			figure = f"IFNULL(DATEDIFF(%(now)s, {figure}), {NEVER})"
		else:
			figure = f"IFNULL({figure}, 0)"
		tests.append(f"{figure} {OPERATORS[condition.operator]} %({parameter})s")
		params[parameter] = float(condition.value)
	return " AND ".join(tests), params
