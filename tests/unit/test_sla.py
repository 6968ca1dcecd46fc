"""The service clock's working-time arithmetic, on China's 2025 and 2026 schedules as the State Council published
them (the holidays and 调休 days are written out here, so the tests need neither the chinese-calendar package nor
today's date)."""

import random
from datetime import date, datetime, time, timedelta

import pytest

from crm_app.domain.errors import DomainError
from crm_app.domain.sla import (
	AT_RISK,
	BREACHED,
	ON_TRACK,
	PAUSED,
	Calendar,
	Pause,
	ServiceLevel,
	Targets,
	at_risk_share,
	check_calendar_days,
	check_overlaps,
	check_priority_rows,
	check_targets,
	merged_pauses,
	working_span,
)

OFFICE = ((time(9), time(12)), (time(13, 30), time(18)))  # 450 working minutes a day
WEEK = {weekday: OFFICE for weekday in range(5)}


def days(first: str, last: str) -> set[date]:
	start, end = date.fromisoformat(first), date.fromisoformat(last)
	return {start + timedelta(days=n) for n in range((end - start).days + 1)}


HOLIDAYS = (
	days("2025-01-01", "2025-01-01")
	| days("2025-01-28", "2025-02-04")  # 春节
	| days("2025-04-04", "2025-04-06")
	| days("2025-05-01", "2025-05-05")
	| days("2025-05-31", "2025-06-02")
	| days("2025-10-01", "2025-10-08")
	| days("2026-01-01", "2026-01-03")
	| days("2026-02-15", "2026-02-23")  # 春节
)
MAKE_UP_DAYS = {  # 调休: Saturdays and Sundays worked with Monday's hours
	date.fromisoformat(day): 0
	for day in (
		"2025-01-26",
		"2025-02-08",
		"2025-04-27",
		"2025-09-28",
		"2025-10-11",
		"2026-01-04",
		"2026-02-14",
		"2026-02-28",
	)
}


def china() -> Calendar:
	return Calendar(WEEK, HOLIDAYS, MAKE_UP_DAYS)


def at(text: str) -> datetime:
	return datetime.fromisoformat(text)


# --------------------------------------------------------------------------------------------------------------
# Adding working time


@pytest.mark.parametrize(
	("start", "minutes", "deadline"),
	[
		("2025-03-03 09:00", 60, "2025-03-03 10:00"),  # a Monday morning
		("2025-03-03 09:00", 180, "2025-03-03 12:00"),  # reached at the end of the morning, not after lunch
		("2025-03-03 11:30", 60, "2025-03-03 14:00"),  # over the lunch break
		("2025-03-03 12:15", 30, "2025-03-03 14:00"),  # opened during lunch
		("2025-03-03 07:00", 30, "2025-03-03 09:30"),  # opened before the office opens
		("2025-03-03 17:30", 60, "2025-03-04 09:30"),  # overnight
		("2025-03-03 22:00", 10, "2025-03-04 09:10"),  # opened at night
		("2025-03-03 09:00", 450, "2025-03-03 18:00"),  # one working day
		("2025-03-03 09:00", 451, "2025-03-04 09:01"),
		("2025-03-07 17:00", 120, "2025-03-10 10:00"),  # Friday evening to Monday
		("2025-03-08 10:00", 30, "2025-03-10 09:30"),  # opened on a Saturday
		("2025-03-03 10:00:30", 1, "2025-03-03 10:01:30"),  # seconds are kept
	],
)
def test_deadlines_count_only_working_hours(start, minutes, deadline):
	assert china().add_minutes(at(start), minutes) == at(deadline)


@pytest.mark.parametrize(
	("start", "minutes", "deadline"),
	[
		# the last working day before the Spring Festival, then eight days off (28 January to 4 February)
		("2025-01-27 17:00", 120, "2025-02-05 10:00"),
		# opened on the Saturday before: Sunday 26 January is worked (调休) with Monday's hours
		("2025-01-25 10:00", 60, "2025-01-26 10:00"),
		# Saturday 8 February is worked too
		("2025-02-07 17:30", 60, "2025-02-08 09:30"),
		# opened during the holiday: nothing counts until 5 February
		("2025-01-30 10:00", 30, "2025-02-05 09:30"),
		# 2026: Saturday 14 February is worked, then nine days off (15 to 23 February)
		("2026-02-13 17:00", 120, "2026-02-14 10:00"),
		("2026-02-14 17:00", 120, "2026-02-24 10:00"),
	],
)
def test_the_spring_festival_and_its_make_up_days(start, minutes, deadline):
	assert china().add_minutes(at(start), minutes) == at(deadline)


def test_a_deadline_runs_into_the_next_year():
	# 31 December 2025 is a Wednesday; 1 to 3 January 2026 are off and Sunday 4 January is worked
	assert china().add_minutes(at("2025-12-31 17:00"), 120) == at("2026-01-04 10:00")
	# two years of working days later, and back
	calendar = china()
	deadline = calendar.add_minutes(at("2025-01-02 09:00"), 450 * 600)
	assert deadline.year == 2027
	assert calendar.minutes_between(at("2025-01-02 09:00"), deadline) == 450 * 600


def test_make_up_days_keep_the_hours_of_a_stated_weekday():
	short_friday = {**WEEK, 4: ((time(9), time(15)),)}
	calendar = Calendar(short_friday, working_days={date(2025, 1, 26): 4, date(2025, 2, 8): 0})
	assert calendar.minutes_between(at("2025-01-26 00:00"), at("2025-01-27 00:00")) == 360
	assert calendar.minutes_between(at("2025-02-08 00:00"), at("2025-02-09 00:00")) == 450


def test_an_end_of_midnight_closes_the_day():
	around_the_clock = Calendar({weekday: ((time(0), time(0)),) for weekday in range(7)})
	assert around_the_clock.add_minutes(at("2025-01-28 23:30"), 60) == at("2025-01-29 00:30")
	assert around_the_clock.minutes_between(at("2025-01-28 00:00"), at("2025-02-05 00:00")) == 8 * 1440


# --------------------------------------------------------------------------------------------------------------
# Measuring working time


@pytest.mark.parametrize(
	("start", "end", "minutes"),
	[
		("2025-03-03 09:00", "2025-03-03 18:00", 450),
		("2025-03-03 11:00", "2025-03-03 14:30", 120),  # the lunch break does not count
		("2025-03-03 18:00", "2025-03-04 09:00", 0),  # nor the night
		("2025-03-07 17:00", "2025-03-10 10:00", 120),  # nor the weekend
		("2025-03-04 10:00", "2025-03-03 10:00", 0),  # the end before the start
		("2025-01-27 09:00", "2025-02-05 09:00", 450),  # the Spring Festival holiday
		# three weeks around it: 5 + 2 (Sunday 26 and Monday 27 January) + 4 (5 to 8 February) working days
		("2025-01-20 00:00", "2025-02-10 00:00", 11 * 450),
		("2025-12-31 00:00", "2026-01-05 00:00", 2 * 450),  # over New Year: 31 December and 4 January
	],
)
def test_minutes_between(start, end, minutes):
	assert china().minutes_between(at(start), at(end)) == minutes


def test_earlier_dates_after_later_ones_give_the_same_answers():
	calendar = china()
	later = calendar.minutes_between(at("2026-02-13 09:00"), at("2026-02-25 09:00"))
	earlier = calendar.minutes_between(at("2025-01-27 09:00"), at("2025-02-05 09:00"))
	assert (earlier, later) == (450, 2 * 450 + 450)
	assert calendar.minutes_between(at("2026-02-13 09:00"), at("2026-02-25 09:00")) == later


# --------------------------------------------------------------------------------------------------------------
# Pauses: the ticket waits on the customer


def test_a_pause_moves_the_deadline_by_the_working_time_it_lasted():
	calendar, opened = china(), at("2025-03-03 09:00")
	assert calendar.deadline(opened, 1350) == at("2025-03-05 18:00")
	# waiting on the customer from Monday 10:00 to Tuesday 10:00: 450 working minutes
	pauses = [Pause(at("2025-03-03 10:00"), at("2025-03-04 10:00"))]
	assert calendar.deadline(opened, 1350, pauses) == at("2025-03-06 18:00")
	assert calendar.minutes_between(opened, at("2025-03-04 11:00"), pauses) == 120


def test_a_pause_outside_working_hours_changes_nothing():
	calendar, opened = china(), at("2025-03-03 09:00")
	pauses = [Pause(at("2025-03-03 18:30"), at("2025-03-04 08:30"))]
	assert calendar.deadline(opened, 600, pauses) == calendar.deadline(opened, 600)


def test_a_pause_after_the_deadline_does_not_move_it():
	calendar, opened = china(), at("2025-03-03 09:00")
	pauses = [Pause(at("2025-03-04 09:00"), at("2025-03-05 09:00"))]
	assert calendar.deadline(opened, 60, pauses) == at("2025-03-03 10:00")


def test_while_paused_the_deadline_is_unknown():
	calendar, opened = china(), at("2025-03-03 09:00")
	assert calendar.deadline(opened, 240, [Pause(at("2025-03-03 10:00"))]) is None
	assert calendar.minutes_between(opened, at("2025-03-05 10:00"), [Pause(at("2025-03-03 10:00"))]) == 60


def test_several_pauses_and_one_over_the_spring_festival():
	calendar, opened = china(), at("2025-01-27 09:00")
	pauses = [
		Pause(at("2025-01-27 10:00"), at("2025-01-27 11:00")),  # 60 minutes
		Pause(at("2025-01-27 17:00"), at("2025-02-05 09:30")),  # 60 + 30 minutes, the holiday in between
	]
	# 450 minutes: 9-10, 11-12, 13:30-17:00 on 27 January (330), then 120 from 09:30 on 5 February
	assert calendar.deadline(opened, 450, pauses) == at("2025-02-05 11:30")


def test_overlapping_and_unordered_pauses_are_joined():
	merged = merged_pauses(
		[
			Pause(at("2025-03-03 14:00"), at("2025-03-03 15:00")),
			Pause(at("2025-03-03 10:00"), at("2025-03-03 11:00")),
			Pause(at("2025-03-03 10:30"), at("2025-03-03 11:30")),
			Pause(at("2025-03-03 16:00")),
			Pause(at("2025-03-03 17:00"), at("2025-03-03 17:30")),
		]
	)
	assert merged == [
		Pause(at("2025-03-03 10:00"), at("2025-03-03 11:30")),
		Pause(at("2025-03-03 14:00"), at("2025-03-03 15:00")),
		Pause(at("2025-03-03 16:00")),
	]


# --------------------------------------------------------------------------------------------------------------
# The ticket's clock


TARGETS = {
	"Low": Targets(480, 2250),
	"Medium": Targets(240, 1350),
	"High": Targets(60, 450),
	"Urgent": Targets(30, 240),
}
OPENED = at("2025-03-03 09:00")


def standard() -> ServiceLevel:
	return ServiceLevel(china(), TARGETS, at_risk_share=0.25)


def test_a_new_ticket_is_on_track():
	clock = standard().clock("Medium", OPENED, at("2025-03-03 10:00"))
	assert clock.response_by == at("2025-03-03 14:30")
	assert clock.resolution_by == at("2025-03-05 18:00")
	assert (clock.response_minutes, clock.resolution_minutes) == (60, 60)
	assert clock.status == ON_TRACK
	# a quarter of the 240 response minutes left: 180 minutes in, at the end of the morning
	assert clock.at_risk_from == at("2025-03-03 12:00")


def test_at_risk_when_the_threshold_share_is_left():
	level = standard()
	assert level.clock("Medium", OPENED, at("2025-03-03 11:59")).status == ON_TRACK
	assert level.clock("Medium", OPENED, at("2025-03-03 12:00")).status == AT_RISK
	half = ServiceLevel(china(), TARGETS, at_risk_share=0.5)
	assert half.clock("Medium", OPENED, at("2025-03-03 11:00")).status == AT_RISK


def test_breached_once_a_deadline_passes_and_it_stays_breached():
	level = standard()
	assert level.clock("Medium", OPENED, at("2025-03-03 14:30")).status == AT_RISK
	assert level.clock("Medium", OPENED, at("2025-03-03 14:31")).status == BREACHED
	late = level.clock("Medium", OPENED, at("2025-03-04 10:00"), responded_at=at("2025-03-03 15:00"))
	assert late.status == BREACHED
	resolved = level.clock(
		"Medium",
		OPENED,
		at("2025-03-10 10:00"),
		responded_at=at("2025-03-03 15:00"),
		resolved_at=at("2025-03-04 10:00"),
	)
	assert resolved.status == BREACHED


def test_answered_and_resolved_in_time():
	level = standard()
	answered = level.clock("Medium", OPENED, at("2025-03-05 10:00"), responded_at=at("2025-03-03 10:00"))
	assert answered.status == ON_TRACK
	assert answered.response_minutes == 60
	assert answered.resolution_minutes == 2 * 450 + 60
	# only the resolution clock still runs: at risk with a quarter of its 1350 minutes left, 1012.5 minutes in
	assert answered.at_risk_from == at("2025-03-05 10:52:30")
	resolved = level.clock(
		"Medium",
		OPENED,
		at("2025-03-20 10:00"),
		responded_at=at("2025-03-03 10:00"),
		resolved_at=at("2025-03-04 09:00"),
	)
	assert (resolved.status, resolved.resolution_minutes, resolved.at_risk_from) == (ON_TRACK, 450, None)


def test_waiting_on_the_customer_pauses_and_resuming_moves_the_deadlines():
	level = standard()
	waiting = [Pause(at("2025-03-03 10:00"))]
	paused = level.clock(
		"Medium", OPENED, at("2025-03-06 10:00"), waiting, responded_at=at("2025-03-03 10:00")
	)
	assert paused.status == PAUSED
	assert (paused.resolution_by, paused.at_risk_from) == (None, None)
	assert paused.resolution_minutes == 60
	resumed = [Pause(at("2025-03-03 10:00"), at("2025-03-04 10:00"))]
	clock = level.clock(
		"Medium", OPENED, at("2025-03-04 11:00"), resumed, responded_at=at("2025-03-03 10:00")
	)
	assert clock.status == ON_TRACK
	assert clock.resolution_by == at("2025-03-06 18:00")
	assert clock.resolution_minutes == 120


def test_a_breach_before_the_pause_is_not_hidden_by_it():
	clock = standard().clock("Urgent", OPENED, at("2025-03-03 11:00"), [Pause(at("2025-03-03 10:00"))])
	assert clock.response_by == at("2025-03-03 09:30")
	assert clock.status == BREACHED


def test_a_priority_change_recomputes_from_the_opening_less_the_paused_time():
	level = standard()
	pauses = [Pause(at("2025-03-03 09:10"), at("2025-03-03 09:40"))]
	low = level.clock("Low", OPENED, at("2025-03-03 09:50"), pauses)
	assert (low.response_by, low.status) == (at("2025-03-04 10:00"), ON_TRACK)
	# raised to Urgent at 09:50: 30 response minutes from 09:00, the pause left out
	urgent = level.clock("Urgent", OPENED, at("2025-03-03 09:50"), pauses)
	assert urgent.response_by == at("2025-03-03 10:00")
	assert urgent.resolution_by == at("2025-03-03 15:00")
	assert (urgent.response_minutes, urgent.status) == (20, ON_TRACK)
	assert urgent.at_risk_from == at("2025-03-03 09:52:30")
	assert level.clock("Urgent", OPENED, at("2025-03-03 09:55"), pauses).status == AT_RISK
	# raised only at 10:30: already late for an urgent ticket
	assert level.clock("Urgent", OPENED, at("2025-03-03 10:30"), pauses).status == BREACHED
	# lowered again: the longer targets apply from the opening
	assert level.clock("Low", OPENED, at("2025-03-03 10:30"), pauses).status == ON_TRACK


def test_a_priority_without_targets_is_refused():
	with pytest.raises(DomainError, match="no targets for the priority"):
		ServiceLevel(china(), {"Low": Targets(60, 120)}).clock("Urgent", OPENED, OPENED)


# --------------------------------------------------------------------------------------------------------------
# Properties, against a day-by-day reference


def reference_minutes(start: datetime, end: datetime) -> float:
	"""Working minutes by walking the days one at a time over the same schedule, independently of the index."""
	total, day = timedelta(), start.date()
	while day <= end.date():
		weekday = MAKE_UP_DAYS.get(day, day.weekday())
		intervals = () if day in HOLIDAYS and day not in MAKE_UP_DAYS else WEEK.get(weekday, ())
		for opens, closes in intervals:
			low = max(start, datetime.combine(day, opens))
			high = min(end, datetime.combine(day, closes))
			if high > low:
				total += high - low
		day += timedelta(days=1)
	return total / timedelta(minutes=1)


def random_instant(rng: random.Random) -> datetime:
	return datetime(2024, 12, 1) + timedelta(minutes=rng.randrange(60 * 24 * 500), seconds=rng.randrange(60))


def test_adding_then_measuring_gives_back_the_minutes():
	rng, calendar = random.Random(8), china()
	for _ in range(500):
		start, minutes = random_instant(rng), rng.choice([1, 17, 180, 450, 451, rng.randrange(1, 60_000)])
		deadline = calendar.add_minutes(start, minutes)
		assert calendar.minutes_between(start, deadline) == minutes, (start, minutes)
		assert reference_minutes(start, deadline) == minutes, (start, minutes)
		# and not a moment earlier
		assert calendar.minutes_between(start, deadline - timedelta(seconds=1)) < minutes


def test_measuring_agrees_with_the_reference_and_adds_up():
	rng, calendar = random.Random(15), china()
	for _ in range(500):
		first, second, third = sorted(random_instant(rng) for _ in range(3))
		assert calendar.minutes_between(first, third) == reference_minutes(first, third), (first, third)
		parts = calendar.minutes_between(first, second) + calendar.minutes_between(second, third)
		assert parts == pytest.approx(calendar.minutes_between(first, third), abs=1e-6)


def test_deadlines_with_pauses_leave_out_exactly_the_paused_working_time():
	rng, calendar = random.Random(27), china()
	for _ in range(300):
		start = random_instant(rng)
		pause_start = start + timedelta(minutes=rng.randrange(-5_000, 20_000))
		pauses = [Pause(pause_start, pause_start + timedelta(minutes=rng.randrange(1, 20_000)))]
		minutes = rng.randrange(1, 10_000)
		deadline = calendar.deadline(start, minutes, pauses)
		assert calendar.minutes_between(start, deadline, pauses) == minutes, (start, pauses, minutes)


# --------------------------------------------------------------------------------------------------------------
# What a calendar and a service level refuse


def test_working_hours_must_end_after_they_start_and_not_overlap():
	with pytest.raises(DomainError, match="end time must be after the start time"):
		working_span(time(18), time(9))
	with pytest.raises(DomainError, match="end time must be after the start time"):
		working_span(time(9), time(9))
	with pytest.raises(DomainError, match="overlap") as refused:
		check_overlaps([working_span(time(13), time(18)), working_span(time(9), time(13, 30))])
	assert refused.value.args_ == ("09:00-13:30", "13:00-18:00")
	# touching is fine
	assert check_overlaps([working_span(time(12), time(18)), working_span(time(9), time(12))]) == (
		(9 * 3600 * 10**6, 12 * 3600 * 10**6),
		(12 * 3600 * 10**6, 18 * 3600 * 10**6),
	)


def test_a_calendar_needs_working_hours_and_each_date_once():
	with pytest.raises(DomainError, match="at least one day of the week"):
		Calendar({0: (), 1: ()})
	with pytest.raises(DomainError, match="listed more than once"):
		Calendar(WEEK, {date(2025, 1, 26)}, {date(2025, 1, 26): 0})
	with pytest.raises(DomainError, match="listed more than once") as refused:
		check_calendar_days([date(2025, 1, 28), date(2025, 1, 29), date(2025, 1, 28)])
	assert refused.value.args_ == ("2025-01-28",)


def test_targets_must_be_positive_and_the_response_first():
	assert check_targets(30, 240) == Targets(30, 240)
	for response, resolution, message in (
		(0, 240, "response time must be a positive"),
		(30, -5, "resolution time must be a positive"),
		(300, 240, "cannot be longer than the resolution time"),
	):
		with pytest.raises(DomainError, match=message):
			check_targets(response, resolution)


def test_each_priority_has_one_row_of_targets():
	check_priority_rows(1)
	with pytest.raises(DomainError, match="no targets"):
		check_priority_rows(0)
	with pytest.raises(DomainError, match="more than one row"):
		check_priority_rows(2)


def test_the_at_risk_threshold_is_a_share_below_the_whole_target():
	assert at_risk_share(25) == 0.25
	assert at_risk_share(0) == 0
	for percent in (100, -1, 150):
		with pytest.raises(DomainError, match="at-risk threshold"):
			at_risk_share(percent)
