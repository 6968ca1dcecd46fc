from datetime import date, timedelta

import pytest

from crm_app.domain.replacements import chinese_date, last_event_window, next_due_date, reminder_due

ORDERED = date(2027, 1, 4)


def test_the_next_replacement_is_due_a_cycle_after_the_last_order():
	assert next_due_date(ORDERED, 60) == date(2027, 3, 5)
	assert next_due_date(date(2028, 2, 1), 29) == date(2028, 3, 1)  # across a leap day


@pytest.mark.parametrize("cycle", [0, None, -30])
def test_a_product_without_a_cycle_is_never_due(cycle):
	assert next_due_date(ORDERED, cycle) is None
	assert not reminder_due(ORDERED, cycle, 7, ORDERED + timedelta(days=30))
	assert last_event_window(ORDERED, cycle, 7) is None


@pytest.mark.parametrize(
	("today", "due"),
	[
		(date(2027, 2, 25), False),  # eight days ahead
		(date(2027, 2, 26), True),  # seven days ahead: the reminder starts
		(date(2027, 3, 1), True),  # a day the job missed is caught up
		(date(2027, 3, 5), True),  # the due date itself
		(date(2027, 3, 6), False),  # past it: that cycle is over
		(ORDERED, False),
	],
)
def test_the_reminder_is_due_from_days_before_until_the_due_date(today, due):
	assert reminder_due(ORDERED, 60, 7, today) is due


def test_no_days_before_reminds_on_the_due_date_only():
	assert reminder_due(ORDERED, 60, 0, date(2027, 3, 5))
	assert not reminder_due(ORDERED, 60, 0, date(2027, 3, 4))
	assert reminder_due(ORDERED, 60, None, date(2027, 3, 5))
	assert not reminder_due(ORDERED, 60, -3, date(2027, 3, 4))


def test_a_lead_longer_than_the_cycle_reminds_from_the_order_day_not_before():
	assert reminder_due(ORDERED, 5, 10, ORDERED)
	assert not reminder_due(ORDERED, 5, 10, ORDERED - timedelta(days=1))


@pytest.mark.parametrize(("cycle", "before"), [(60, 7), (30, 0), (5, 10), (365, 30), (1, 1)])
def test_the_window_selects_exactly_the_orders_whose_reminder_is_due(cycle, before):
	today = date(2027, 3, 1)
	earliest, latest = last_event_window(today, cycle, before)
	for offset in range(-400, 20):  # orders dated ahead too
		last_on = today + timedelta(days=offset)
		assert (earliest <= last_on <= latest) is reminder_due(last_on, cycle, before, today), last_on


def test_chinese_date():
	assert chinese_date(date(2027, 3, 5)) == "2027年3月5日"
	assert chinese_date(date(2027, 12, 25)) == "2027年12月25日"
