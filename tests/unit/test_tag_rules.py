from datetime import datetime, timedelta

import pytest

from crm_app.domain.errors import DomainError
from crm_app.domain.tag_rules import (
	Condition,
	matching_customers,
	matching_queries,
	segment_condition,
	validate_condition,
)

NOW = datetime(2026, 11, 22, 12, 0)


def test_high_intent_rule_reads_interactions_and_orders_grouped_by_customer():
	interactions, orders = matching_queries(
		[Condition("Interaction Count", ">=", "3", 90), Condition("Order Count", "=", "0", 0)], NOW
	)
	assert interactions.sql.startswith("SELECT customer FROM `tabCRM Interaction` WHERE docstatus < 2")
	assert interactions.sql.endswith("GROUP BY customer HAVING IFNULL(COUNT(*), 0) >= %(value)s")
	assert interactions.meets and interactions.params["value"] == 3.0
	assert interactions.params["since"] == datetime(2026, 8, 24, 12, 0)
	# a customer without orders has none: the query lists those with orders, who fail the condition
	assert orders.sql.startswith("SELECT customer FROM `tabCRM Sales Order` WHERE docstatus = 1")
	assert orders.sql.endswith("HAVING NOT (IFNULL(COUNT(*), 0) = %(value)s)")
	assert not orders.meets
	assert "since" not in orders.params  # period 0 means all time


def test_customer_field_conditions_select_customers_by_whitelisted_columns():
	(customers,) = matching_queries(
		[
			Condition("Customer Field", "=", "展会", fieldname="source_channel"),
			Condition("Customer Field", "!=", "VIP", fieldname="tier"),
		],
		NOW,
	)
	assert customers.sql == (
		"SELECT c.name FROM `tabCRM Customer` c "
		"WHERE IFNULL(c.`source_channel`, '') = %(value0)s AND IFNULL(c.`tier`, '') <> %(value1)s"
	)
	assert customers.meets and customers.params == {"value0": "展会", "value1": "VIP"}


def test_values_never_reach_the_sql_text():
	hostile = "1; drop table `tabCRM Customer`"
	queries = matching_queries([Condition("Customer Field", "!=", hostile, fieldname="city")], NOW)
	assert all(hostile not in query.sql for query in queries)


def test_days_since_last_interaction_treats_no_interaction_as_long_ago():
	every, recent = matching_queries([Condition("Days Since Last Interaction", ">", "30")], NOW)
	assert every.sql == "SELECT c.name FROM `tabCRM Customer` c" and every.meets
	assert recent.sql.endswith("HAVING NOT (DATEDIFF(%(now)s, MAX(interaction_time)) > %(value)s)")
	assert not recent.meets


def test_customers_meet_every_listing_that_meets_and_no_listing_that_fails():
	assert matching_customers(
		[(True, ["A", "B", "C"]), (True, ["B", "C", "D"]), (False, ["C"]), (False, [])]
	) == {"B"}


@pytest.mark.parametrize(
	"condition, message",
	[
		(Condition("Shoe Size", ">", "1"), "Unknown tag rule metric {0}"),
		(Condition("Order Count", "LIKE", "1"), "Unknown operator {0}"),
		(Condition("Order Count", ">", "many"), "{0} needs a number, not {1}"),
		(Condition("Order Count", ">", "1", -5), "The period must not be negative"),
		(
			Condition("Customer Field", "=", "x", fieldname="name; drop"),
			"Tag rules cannot use the customer field {0}",
		),
		(
			Condition("Customer Field", ">", "x", fieldname="city"),
			"Customer fields can only be compared with = or !=",
		),
	],
)
def test_invalid_conditions_are_refused(condition, message):
	with pytest.raises(DomainError) as error:
		validate_condition(condition)
	assert error.value.message == message


def test_a_rule_needs_a_condition():
	with pytest.raises(DomainError):
		matching_queries([], NOW)


@pytest.mark.parametrize(
	"condition, message",
	[
		(Condition("Has Tag", ">", "VIP"), "Tags and birthday months can only be compared with = or !="),
		(Condition("Birthday Month", "=", "13"), "A birthday month is a number from 1 to 12, not {0}"),
		(Condition("Birthday Month", "=", "三月"), "A birthday month is a number from 1 to 12, not {0}"),
		(Condition("Has Tag", "=", "  "), "The condition needs a value"),
	],
)
def test_segment_metrics_refuse_what_they_cannot_compare(condition, message):
	with pytest.raises(DomainError) as error:
		validate_condition(condition)
	assert error.value.message == message


def test_a_segment_is_one_where_clause_with_every_value_a_parameter():
	where, params = segment_condition(
		[
			Condition("Customer Field", "=", "杭州市'; drop table x; --", fieldname="city"),
			Condition("Has Tag", "!=", "VIP"),
			Condition("Order Amount", ">=", "5000", period_days=365),
			Condition("Days Since Last Order", ">", "90"),
			Condition("Birthday Month", "=", " 3 "),
		],
		NOW,
		"`tabCRM Customer`",
	)
	assert "drop" not in where and "VIP" not in where and "5000" not in where
	assert where.count("NOT EXISTS") == 1 and "MONTH(`tabCRM Customer`.birthday)" in where
	assert params["value0"] == "杭州市'; drop table x; --" and params["value1"] == "VIP"
	assert (params["value2"], params["value3"], params["value4"]) == (5000.0, 90.0, 3)
	assert params["since2"] == NOW - timedelta(days=365)


def test_a_segment_needs_a_condition():
	with pytest.raises(DomainError):
		segment_condition([], NOW, "c")


def test_tag_rules_read_the_new_metrics_too():
	queries = matching_queries(
		[Condition("Has Tag", "!=", "VIP"), Condition("Days Since Last Order", ">", "30")], NOW
	)
	tagged = next(query for query in queries if "CRM Customer Tag" in query.sql)
	assert tagged.meets is False and tagged.params == {"value": "VIP"}
	lapsed = next(query for query in queries if "CRM Sales Order" in query.sql)
	assert "MAX(transaction_date)" in lapsed.sql
