from datetime import date, datetime
from decimal import Decimal

import pytest

from crm_app.domain.errors import DomainError
from crm_app.domain.values import Field, check_value


def refused(fieldtype: str, value, **spec) -> str | None:
	try:
		check_value(Field("金额", fieldtype, **spec), value)
	except DomainError as error:
		assert "金额" in str(error)
		return error.message
	return None


@pytest.mark.parametrize(
	"fieldtype, value",
	[
		("Data", "杭州新叶贸易有限公司"),
		("Data", 13800138000),
		("Data", "x" * 140),
		("Small Text", "字" * 10000),
		("Long Text", "字" * 100000),
		("Int", 5),
		("Int", "-12"),
		("Int", 3.0),
		("Check", True),
		("Check", "1"),
		("Currency", "1545.40"),
		("Currency", 1612.86),
		("Currency", Decimal("99999999999.99")),
		("Float", "0.125"),
		("Percent", 12.5),
		("Date", "2024-02-29"),
		("Date", date(2026, 1, 1)),
		("Datetime", "2026-12-01 16:30:00"),
		("Datetime", "2026-12-01 16:30:00.123456"),
		("Datetime", datetime(2026, 12, 1)),
		("Time", "09:30:00"),
		("Table", [{"qty": 1}]),
		("Link", "CUST-2026-00001"),
		("Data", None),
		("Int", ""),
	],
)
def test_values_a_field_can_hold_pass(fieldtype, value):
	assert refused(fieldtype, value, money=fieldtype == "Currency") is None


@pytest.mark.parametrize(
	"fieldtype, value, words",
	[
		("Data", "x" * 141, "too long"),
		("Data", "a\x00b", "not allowed"),
		("Small Text", "a\x07b", "not allowed"),
		("Small Text", "字" * 30000, "too long"),
		("Link", {"name": "x"}, "text"),
		("Data", ["a"], "text"),
		("Data", True, "text"),
		("Int", "abc", "whole number"),
		("Int", 1.5, "whole number"),
		("Int", "1e3", "whole number"),
		("Int", 2**40, "out of range"),
		("Int", "9" * 5000, "out of range"),
		("Check", 2, "0 or 1"),
		("Check", "yes", "whole number"),
		("Currency", "abc", "number"),
		("Currency", "NaN", "number"),
		("Currency", float("inf"), "number"),
		("Currency", "1e400", "out of range"),
		("Currency", 10**15, "out of range"),
		("Currency", "0.001", "two decimal places"),
		("Float", {"a": 1}, "number"),
		("Date", "2026-02-30", "date"),
		("Date", "abc", "date"),
		("Date", "99999-01-01", "date"),
		("Date", "0999-01-01", "date"),
		("Date", 20260101, "date"),
		("Datetime", "2026-01-01 25:61:00", "date and time"),
		("Time", "25:99:00", "time"),
		("Table", "abc", "list of rows"),
		("Table", [1, 2], "list of rows"),
	],
)
def test_values_a_field_cannot_hold_are_refused_by_name_not_by_value(fieldtype, value, words):
	message = refused(fieldtype, value, money=fieldtype == "Currency")
	assert message and words in message
	assert "{0}" in message and str(value)[:20] not in message


def test_a_field_can_set_its_own_length():
	assert refused("Data", "x" * 20, length=18)
	assert refused("Data", "x" * 18, length=18) is None


def test_only_amounts_people_type_are_held_to_the_fen():
	assert refused("Currency", "0.125") is None
	assert refused("Currency", "0.125", money=True)


def test_a_select_takes_only_its_choices():
	assert refused("Select", "Open", choices=("", "Open", "Won")) is None
	assert refused("Select", "Opened", choices=("", "Open", "Won")) == "{0} must be one of its listed choices"
