from decimal import Decimal

import pytest

from crm_app.domain.campaign_roi import UTM_LENGTH, cost_per_lead, return_per_yuan, utm_values


def test_utm_values_are_trimmed_cut_and_blank_when_absent():
	found = utm_values(
		{"utm_source": " baidu ", "utm_campaign": "spring-2026", "utm_medium": "   ", "utm_term": "x" * 300}
	)
	assert found == {
		"utm_source": "baidu",
		"utm_medium": None,
		"utm_campaign": "spring-2026",
		"utm_content": None,
		"utm_term": "x" * UTM_LENGTH,
	}


def test_utm_values_ignore_what_is_not_text():
	assert set(utm_values({"utm_source": ["a"], "utm_campaign": 5}).values()) == {None}


@pytest.mark.parametrize(
	("cost", "leads", "expected"),
	[(1000, 3, Decimal("333.33")), (2000, 3, Decimal("666.67")), (0, 4, Decimal("0.00")), (500, 0, None)],
)
def test_cost_per_lead(cost, leads, expected):
	assert cost_per_lead(cost, leads) == expected


@pytest.mark.parametrize(
	("won", "cost", "expected"),
	[
		(3000, 1000, Decimal("3.00")),
		(1000, 3000, Decimal("0.33")),
		(0, 1000, Decimal("0.00")),
		(5000, 0, None),  # nothing spent: no ratio, rather than an infinite return
		(0, 0, None),
		("1545.40", "0.005", Decimal("154540.00")),  # a cost rounds to the fen before dividing
	],
)
def test_return_per_yuan(won, cost, expected):
	assert return_per_yuan(won, cost) == expected
