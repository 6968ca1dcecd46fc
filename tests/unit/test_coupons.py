import re
from datetime import date
from decimal import Decimal

import pytest

from crm_app.domain.coupons import (
	CODE_ALPHABET,
	FIXED_AMOUNT,
	PERCENTAGE,
	Terms,
	check_redeemable,
	check_validity_rules,
	customers_to_issue,
	new_code,
	valid_until,
)
from crm_app.domain.errors import DomainError
from crm_app.domain.money import price_deal

D = Decimal


def test_codes_are_twelve_unambiguous_characters_in_groups_of_four():
	codes = {new_code() for _ in range(2000)}
	assert len(codes) == 2000
	for code in codes:
		assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
		assert set(code.replace("-", "")) <= set(CODE_ALPHABET)
	assert not set("0O1IL2Z5S8B") & set(CODE_ALPHABET)
	assert len(CODE_ALPHABET) ** 12 > 2**54


def test_a_fixed_amount_comes_off_but_never_below_zero():
	terms = Terms.of(FIXED_AMOUNT, amount="20")
	assert terms.discount_on("199.99") == D("20.00")
	assert terms.discount_on("15.50") == D("15.50")


def test_a_percentage_rounds_half_up_to_the_fen_and_respects_its_cap():
	terms = Terms.of(PERCENTAGE, percentage=15, max_discount=0)
	assert terms.discount_on("33.33") == D("5.00")  # 4.9995
	capped = Terms.of(PERCENTAGE, percentage=15, max_discount=50)
	assert capped.discount_on("200") == D("30.00")
	assert capped.discount_on("1000") == D("50.00")


def test_the_minimum_spend_is_met_at_exactly_the_amount():
	terms = Terms.of(FIXED_AMOUNT, amount=30, min_spend=200)
	assert terms.discount_on("200.00") == D("30.00")
	with pytest.raises(DomainError, match=re.escape("at least 200.00; the order's items come to 199.99")):
		terms.discount_on("199.99")


@pytest.mark.parametrize(
	"values",
	[
		("Buy one get one", 10, 0, 0, 0),
		(FIXED_AMOUNT, 0, 0, 0, 0),
		(FIXED_AMOUNT, -5, 0, 0, 0),
		(PERCENTAGE, 0, 0, 0, 0),
		(PERCENTAGE, 0, 101, 0, 0),
		(PERCENTAGE, 0, 10, -1, 0),
		(FIXED_AMOUNT, 10, 0, 0, -100),
	],
)
def test_impossible_terms_are_refused(values):
	with pytest.raises(DomainError):
		Terms.of(*values)


@pytest.mark.parametrize("days, limit", [(0, 1), (30, 0), (-1, 1), ("30", 1)])
def test_a_coupon_lasts_a_day_at_least_and_a_customer_may_hold_one_at_least(days, limit):
	with pytest.raises(DomainError):
		check_validity_rules(days, limit)


def test_the_day_of_issue_is_the_first_valid_day():
	assert valid_until(date(2026, 12, 7), 1) == date(2026, 12, 7)
	assert valid_until(date(2026, 12, 7), 30) == date(2027, 1, 5)


def test_only_an_issued_coupon_within_its_days_is_redeemable():
	check_redeemable("K7QF-3MXC-9HTA", "Issued", date(2026, 12, 7), date(2026, 12, 7))
	with pytest.raises(DomainError, match="expired on 2026-12-06"):
		check_redeemable("K7QF-3MXC-9HTA", "Issued", date(2026, 12, 6), date(2026, 12, 7))
	with pytest.raises(DomainError, match="expired"):
		check_redeemable("K7QF-3MXC-9HTA", "Expired", date(2027, 1, 1), date(2026, 12, 7))
	with pytest.raises(DomainError, match="already been used"):
		check_redeemable("K7QF-3MXC-9HTA", "Redeemed", date(2027, 1, 1), date(2026, 12, 7))


def test_customers_at_their_limit_get_none_and_each_other_one():
	held = {"C-1": 1, "C-2": 2}
	assert customers_to_issue(["C-3", "C-1", "C-2", "C-3"], held, 2) == ["C-3", "C-1"]


def test_a_coupon_comes_off_the_items_before_vat():
	# 398.00 × 95% × 3 = 1134.30; 33.33 × 7 = 233.31; items 1367.61; 10% = 136.76 capped at 100
	totals = price_deal(
		[(3, "398.00", 5), (7, "33.33", 0)], 13, Terms.of(PERCENTAGE, percentage=10, max_discount=100)
	)
	assert totals.coupon_discount == D("100.00")
	assert totals.net_total == D("1267.61")
	assert totals.discount_amount == D("159.70")  # 59.70 of the lines and the coupon's 100
	assert totals.tax_amount == D("164.79")  # 164.7893
	assert totals.grand_total == D("1432.40")


def test_an_order_short_of_the_minimum_spend_is_refused():
	with pytest.raises(DomainError, match="at least"):
		price_deal([(1, "99", 0)], 13, Terms.of(FIXED_AMOUNT, amount=10, min_spend=100))
