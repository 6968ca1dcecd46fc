from decimal import Decimal

import pytest

from crm_app.domain.errors import DomainError
from crm_app.domain.money import check_payment, check_plan, payment_status, price_deal, rmb_uppercase

D = Decimal


def test_lines_and_totals_round_half_up_to_the_fen():
	totals = price_deal([(3, "398.00", 5), (7, "33.33", 0)], 13)
	assert [line.rate for line in totals.lines] == [D("378.10"), D("33.33")]
	assert [line.amount for line in totals.lines] == [D("1134.30"), D("233.31")]
	assert totals.total == D("1427.31")
	assert totals.discount_amount == D("59.70")
	assert totals.net_total == D("1367.61")
	assert totals.tax_amount == D("177.79")  # 177.7893
	assert totals.grand_total == D("1545.40")
	assert totals.max_discount_percent == D("5")


def test_binary_floats_do_not_leak_into_totals():
	totals = price_deal([(3, 0.1, 0)] * 10, 0)
	assert totals.net_total == D("3.00")


def test_half_fen_rounds_up():
	assert price_deal([(1, "0.05", 50)], 0).lines[0].rate == D("0.03")  # 0.025


@pytest.mark.parametrize(
	"item, message",
	[
		((0, 10, 0), "Quantity must be greater than zero"),
		((-2, 10, 0), "Quantity must be greater than zero"),
		((1, -10, 0), "Price cannot be negative"),
		((1, 10, 101), "Discount must be between 0 and 100%"),
		((1, 10, -1), "Discount must be between 0 and 100%"),
	],
)
def test_impossible_lines_are_refused(item, message):
	with pytest.raises(DomainError) as error:
		price_deal([item], 13)
	assert error.value.message == message


def test_vat_rate_must_be_a_percentage():
	with pytest.raises(DomainError):
		price_deal([(1, 10, 0)], 150)


def test_payments_cannot_exceed_what_is_owed():
	assert check_payment("100.004", 0, 100) == D("100.00")
	with pytest.raises(DomainError) as error:
		check_payment("0.01", "100", "100")
	assert error.value.args_ == (D("0.01"), D("0.00"))
	with pytest.raises(DomainError):
		check_payment(0, 0, 100)
	with pytest.raises(DomainError):
		check_payment(-5, 0, 100)


@pytest.mark.parametrize(
	"paid, deposit, status",
	[(0, False, "Unpaid"), (30, True, "Deposit Paid"), (30, False, "Partly Paid"), (100, True, "Paid")],
)
def test_payment_status(paid, deposit, status):
	assert payment_status(100, paid, deposit) == status


def test_payment_plan_must_add_up_to_the_total():
	check_plan([], 100)
	check_plan(["30", "70.00"], "100")
	with pytest.raises(DomainError):
		check_plan(["30", "60"], "100")
	with pytest.raises(DomainError):
		check_plan(["-10", "110"], "100")


@pytest.mark.parametrize(
	"amount, words",
	[
		("1545.40", "壹仟伍佰肆拾伍元肆角整"),
		("100000", "壹拾万元整"),
		("100010", "壹拾万零壹拾元整"),
		("1001.01", "壹仟零壹元零壹分"),
		("0.05", "伍分"),
		("110000000", "壹亿壹仟万元整"),
		("100000001", "壹亿零壹元整"),
		("1000000.07", "壹佰万元零柒分"),
		("0", "零元整"),
		("-3", "负叁元整"),
	],
)
def test_amount_in_chinese_capitals(amount, words):
	assert rmb_uppercase(amount) == words
