"""RFM, churn and association against answers worked out by hand on small fixed data."""

from datetime import date

import pytest

from crm_app.domain.association import Measures, Thresholds, kept, measures
from crm_app.domain.churn import ChurnPolicy, at_risk, median_interval
from crm_app.domain.errors import DomainError
from crm_app.domain.forecast import Quarter, forecast, quarter_of, quarters, remaining_share
from crm_app.domain.rfm import (
	DEFAULT_RULES,
	DORMANT,
	KEY,
	REGULAR,
	VIP,
	TierRule,
	quintile_edges,
	quintile_positions,
	score,
	score_all,
	tier_case,
	tier_of,
	validate_rules,
)
from crm_app.domain.stages import conversions, reached_counts


def test_five_distinct_values_take_one_score_each():
	assert score_all([50, 10, 40, 20, 30]) == [5, 1, 4, 2, 3]


def test_ten_values_two_per_quintile():
	assert score_all(list(range(1, 11))) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_ties_share_a_score():
	# sorted: 1 1 1 1 1 1 2 3 4 9; edges at positions 1, 3, 5, 7 are 1, 1, 1, 3
	values = [1, 1, 1, 1, 1, 1, 2, 3, 4, 9]
	assert quintile_edges(values) == [1, 1, 1, 3]
	assert score_all(values) == [1, 1, 1, 1, 1, 1, 4, 4, 5, 5]


def test_everyone_equal_scores_one():
	assert score_all([7, 7, 7]) == [1, 1, 1]


def test_one_customer_and_none():
	assert score_all([120]) == [1]
	assert score_all([]) == []
	assert quintile_positions(0) == []
	assert quintile_positions(3) == [0, 1, 1, 2]


def test_recency_is_scored_on_negated_days():
	days_since = [3, 400, 30, 90, 10]
	assert score_all([-days for days in days_since]) == [5, 1, 3, 2, 4]


def test_a_value_on_an_edge_takes_the_lower_score():
	# edges of 1..10 are 2, 4, 6, 8: a value equal to an edge is not above it
	edges = quintile_edges(list(range(1, 11)))
	assert edges == [2, 4, 6, 8]
	assert [score(8, edges), score(8.01, edges)] == [4, 5]


@pytest.mark.parametrize(
	("scores", "tier"),
	[
		((5, 5, 5), VIP),
		((3, 4, 5), VIP),  # exactly on every VIP minimum
		((2, 4, 5), KEY),  # one short on recency
		((2, 1, 4), KEY),
		((2, 4, 1), KEY),
		((2, 3, 3), REGULAR),
		((1, 5, 5), DORMANT),  # a big spender gone quiet
		(None, DORMANT),  # bought before the window only
	],
)
def test_default_tier_rules(scores, tier):
	assert tier_of(DEFAULT_RULES, scores) == tier


def test_rules_are_checked_in_order():
	rules = [TierRule(REGULAR), TierRule(VIP, 5, 5, 5)]
	assert tier_of(rules, (5, 5, 5)) == REGULAR


def test_bad_rules_are_refused():
	with pytest.raises(DomainError):
		validate_rules([TierRule("Gold")])
	with pytest.raises(DomainError):
		validate_rules([TierRule(VIP, min_recency=6)])


def test_tier_case_is_parameterised():
	sql, params = tier_case([TierRule(VIP, 3, 4, 5)], ("r", "f", "m"))
	assert sql == "case when r < 1 then %s when r >= %s and f >= %s and m >= %s then %s else %s end"
	assert params == [DORMANT, 3, 4, 5, VIP, DORMANT]


def test_median_interval():
	assert median_interval([date(2026, 1, 1), date(2026, 1, 31), date(2026, 3, 17)]) == 37.5
	assert median_interval([date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 31)]) == 30
	assert median_interval([date(2026, 1, 1)]) is None
	assert median_interval([]) is None


def test_customer_at_risk_after_one_and_a_half_rhythms():
	policy = ChurnPolicy(multiple=1.5, min_orders=3, default_interval_days=60)
	orders = [date(2026, 1, 1), date(2026, 2, 15), date(2026, 4, 1)]  # every 45 days
	assert policy.allowed_days(3, 45) == 67  # 67.5 days pass on the 68th
	assert policy.due_date(date(2026, 4, 1), 3, 45) == date(2026, 6, 8)
	assert not at_risk(policy, orders, date(2026, 6, 7))
	assert at_risk(policy, orders, date(2026, 6, 8))


def test_too_few_orders_use_the_default():
	policy = ChurnPolicy(multiple=1.5, min_orders=3, default_interval_days=60)
	assert policy.interval(2, 10) == 60
	assert policy.interval(1, None) == 60
	assert not at_risk(policy, [date(2026, 1, 1), date(2026, 1, 11)], date(2026, 4, 11))  # 90 days
	assert at_risk(policy, [date(2026, 1, 1), date(2026, 1, 11)], date(2026, 4, 12))
	assert not at_risk(policy, [], date(2026, 4, 12))


def test_bad_policy_is_refused():
	for policy in (
		ChurnPolicy(multiple=0.5),
		ChurnPolicy(multiple=50_000),
		ChurnPolicy(min_orders=1),
		ChurnPolicy(default_interval_days=0),
		ChurnPolicy(default_interval_days=3_000_000),
	):
		with pytest.raises(DomainError):
			policy.validate()


def test_association_measures():
	# 100 customers, 20 bought milk powder, 25 wipes, 15 both
	found = measures(100, 20, 25, 15)
	assert found == Measures(support=0.15, confidence=0.75, lift=3.0)
	assert kept(Thresholds(min_customers=3, min_support=0.01, min_confidence=0.5, min_lift=1.2), 15, found)
	assert not kept(Thresholds(min_customers=16), 15, found)
	assert not kept(Thresholds(min_lift=3.01), 15, found)


def test_a_pair_of_fewer_than_three_customers_is_never_kept():
	with pytest.raises(DomainError):
		Thresholds(min_customers=2).validate()
	Thresholds(min_customers=3).validate()


def test_independent_products_have_lift_one():
	assert measures(100, 50, 40, 20).lift == pytest.approx(1.0)


def test_no_pair_and_inconsistent_counts():
	assert measures(10, 3, 4, 0) == Measures(0.0, 0.0, 0.0)
	with pytest.raises(DomainError):
		measures(10, 3, 4, 5)
	with pytest.raises(DomainError):
		measures(3, 5, 1, 1)


def test_quarters_and_what_is_left_of_them():
	q1, q2, q3, q4 = quarters(2026)
	assert (q1.start, q1.end) == (date(2026, 1, 1), date(2026, 4, 1))
	assert (q4.start, q4.end, q4.label) == (date(2026, 10, 1), date(2027, 1, 1), "2026 Q4")
	assert quarter_of(date(2026, 12, 7)) == q4
	assert quarter_of(date(2026, 4, 1)) == q2
	assert remaining_share(q3, date(2026, 12, 7)) == 0
	assert remaining_share(q4, date(2026, 10, 1)) == 1
	assert remaining_share(q4, date(2026, 12, 1)) == pytest.approx(31 / 92)
	with pytest.raises(DomainError):
		quarters(20026)


def test_forecast_adds_pipeline_and_the_run_rate_still_to_come():
	q3, q4 = quarters(2026)[2:]
	today = date(2026, 12, 1)
	assert forecast(q3, today, 500.0, 0, 900.0) is None
	assert forecast(q4, today, 1000.0, 200.0, 920.0) == pytest.approx(1000 + 200 + 920 * 31 / 92)
	assert forecast(Quarter(2027, 1), today, 0, 300.0, 920.0) == 1220.0


def test_funnel_reach_and_conversion():
	# stages ordered 10, 20, 30, 40 (won); deals got furthest to: 10 ×5, 20 ×3, 30 ×1, 40 ×2
	reached = reached_counts({10: 5, 20: 3, 30: 1, 40: 2}, [10, 20, 30, 40])
	assert reached == [11, 6, 3, 2]
	assert conversions(reached) == [54.5, 50.0, 66.7, None]
	assert conversions([0, 0]) == [None, None]
	assert reached_counts({}, [10]) == [0]
