import pytest

from crm_app.domain.periods import chinese_period


@pytest.mark.parametrize(
	("label", "expected"),
	[
		("Dec 2025", "2025年12月"),
		("Jan 2026", "2026年1月"),
		("Quarter 4 2025", "2025年第4季度"),
		("01-12-25", "12月1日"),
		("2025", "2025"),
		("批发客户", "批发客户"),
		("Dec 25", "Dec 25"),
		("Quarter 5 2025", "Quarter 5 2025"),
	],
)
def test_chinese_period(label, expected):
	assert chinese_period(label) == expected
