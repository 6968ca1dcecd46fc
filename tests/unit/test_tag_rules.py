from datetime import datetime

import pytest

from crm_app.domain.errors import DomainError
from crm_app.domain.tag_rules import Condition, matching_customers_sql, validate_condition

NOW = datetime(2026, 11, 22, 12, 0)


def test_high_intent_rule_joins_interactions_and_orders_with_parameters():
	sql, params = matching_customers_sql(
		[Condition("Interaction Count", ">=", "3", 90), Condition("Order Count", "=", "0", 0)], NOW
	)
	assert sql.startswith("SELECT c.name FROM `tabCRM Customer` c")
	assert "`tabCRM Interaction`" in sql and "`tabCRM Sales Order`" in sql
	assert "IFNULL(m0.v, 0) >= %(value0)s" in sql
	assert "IFNULL(m1.v, 0) = %(value1)s" in sql
	assert params["value0"] == 3.0 and params["value1"] == 0.0
	assert params["since0"] == datetime(2026, 8, 24, 12, 0)
	assert "since1" not in params  # period 0 means all time


def test_customer_field_condition_compares_a_whitelisted_column():
	sql, params = matching_customers_sql(
		[Condition("Customer Field", "=", "展会", fieldname="source_channel")], NOW
	)
	assert "IFNULL(c.`source_channel`, '') = %(value0)s" in sql
	assert params["value0"] == "展会"


def test_values_never_reach_the_sql_text():
	hostile = "1; drop table `tabCRM Customer`"
	sql, _ = matching_customers_sql([Condition("Customer Field", "!=", hostile, fieldname="city")], NOW)
	assert hostile not in sql


def test_days_since_last_interaction_treats_no_interaction_as_long_ago():
	sql, _ = matching_customers_sql([Condition("Days Since Last Interaction", ">", "30")], NOW)
	assert "IFNULL(DATEDIFF(%(now)s, m0.v), 2147483647) > %(value0)s" in sql


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
		matching_customers_sql([], NOW)
