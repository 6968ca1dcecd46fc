"""Chart period names the Chinese way: Frappe labels a time series "Dec 2025", "Quarter 4 2025" or "01-12-25"."""

import re

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH = re.compile(rf"^({'|'.join(MONTHS)}) (\d{{4}})$")
QUARTER = re.compile(r"^Quarter ([1-4]) (\d{4})$")
DAY = re.compile(r"^(\d{2})-(\d{2})-(\d{2})$")


def chinese_period(label: str) -> str:
	"""2025年12月, 2025年第4季度, 12月1日; a label of no known period shape is returned as it is."""
	if match := MONTH.match(label):
		return f"{match[2]}年{MONTHS.index(match[1]) + 1}月"
	if match := QUARTER.match(label):
		return f"{match[2]}年第{match[1]}季度"
	if match := DAY.match(label):
		return f"{int(match[2])}月{int(match[1])}日"
	return label
