"""Replacement cycles: when a customer's consumable, filter or maintenance is next due, and when its salesperson
should hear of it.

A cycle counts from the customer's last event on the product (an order of it). The reminder is due from
`days_before` days ahead of the due date up to the date itself, not on one day alone: a day the job did not run,
or an order entered after its date, still gets its reminder, and the caller keeps it to one per due date.
"""

from datetime import date, timedelta


def has_cycle(cycle_days: int | None) -> bool:
	return bool(cycle_days) and cycle_days > 0


def next_due_date(last_on: date, cycle_days: int | None) -> date | None:
	"""The day the customer needs a new one; None for a product without a cycle."""
	if not has_cycle(cycle_days):
		return None
	return last_on + timedelta(days=cycle_days)


def reminder_due(last_on: date, cycle_days: int | None, days_before: int | None, today: date) -> bool:
	"""Whether the salesperson should be reminded `today` of the replacement the event on `last_on` starts."""
	due = next_due_date(last_on, cycle_days)
	return due is not None and due - timedelta(days=lead_days(cycle_days, days_before)) <= today <= due


def last_event_window(
	today: date, cycle_days: int | None, days_before: int | None
) -> tuple[date, date] | None:
	"""The last-event dates, both ends included, whose reminder is due `today`: what a query selects on, the
	same rule as reminder_due. None for a product without a cycle."""
	if not has_cycle(cycle_days):
		return None
	earliest = today - timedelta(days=cycle_days)
	return earliest, earliest + timedelta(days=lead_days(cycle_days, days_before))


def lead_days(cycle_days: int, days_before: int | None) -> int:
	"""Days of notice: never before the event that starts the cycle, as an order may be dated ahead."""
	return min(max(days_before or 0, 0), cycle_days)


def chinese_date(day: date) -> str:
	"""2027年3月5日"""
	return f"{day.year}年{day.month}月{day.day}日"
