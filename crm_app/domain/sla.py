"""The service clock: deadlines and elapsed time that count only the working hours of a calendar.

A calendar has working hours per weekday (several intervals a day, e.g. 09:00-12:00 and 13:30-18:00), public
holidays (whole days off) and make-up working days (调休: a day off, usually a Saturday or Sunday, made a working
day that keeps the hours of a stated weekday, Monday's unless another is named).

Time zone: every instant is a naive datetime in the site's local time, as Frappe stores Datetime fields
(Asia/Shanghai on the sites this app sets up), and a calendar's dates and hours are read in that same local
time; nothing here converts between zones. China keeps no daylight saving time, so every local day lasts 24 hours.

Durations are counted in whole microseconds, so adding working minutes to an instant and measuring the working
time back gives exactly the minutes added.
"""

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from crm_app.domain.errors import DomainError

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # date.weekday()
PRIORITIES = ("Low", "Medium", "High", "Urgent")

# kinds of a calendar day
HOLIDAY = "Holiday"
WORKING_DAY = "Working Day"
MAKE_UP_HOURS = "Monday"  # the weekday whose hours a make-up working day keeps unless it names another

# the clock's status, as option keys (translated 正常, 即将超时, 已超时, 已暂停)
ON_TRACK = "On Track"
AT_RISK = "At Risk"
BREACHED = "Breached"
PAUSED = "Paused"
SLA_STATUSES = (ON_TRACK, AT_RISK, BREACHED, PAUSED)

MICROSECOND = timedelta(microseconds=1)
MINUTE = 60_000_000  # microseconds
DAY = timedelta(days=1)
YEAR = timedelta(days=366)
DAY_LENGTH = DAY // MICROSECOND

Span = tuple[int, int]  # a working interval of a day, in microseconds from midnight


def _of_day(moment: time) -> int:
	return (moment.hour * 3600 + moment.minute * 60 + moment.second) * 1_000_000 + moment.microsecond


def _clock_time(offset: int) -> str:
	minutes = offset // MINUTE
	return f"{minutes // 60:02d}:{minutes % 60:02d}"


def working_span(start: time, end: time) -> Span:
	"""A day's working interval from `start` to `end`; an end of 00:00 is the midnight that ends the day."""
	first, last = _of_day(start), _of_day(end) or DAY_LENGTH
	if last <= first:
		raise DomainError("The end time must be after the start time")
	return first, last


def check_overlaps(spans: Iterable[Span]) -> tuple[Span, ...]:
	"""The working intervals of one day in order; they may touch but not overlap."""
	ordered = tuple(sorted(spans))
	for (start, end), (next_start, next_end) in pairwise(ordered):
		if next_start < end:
			raise DomainError(
				"The working hours {0} and {1} overlap",
				f"{_clock_time(start)}-{_clock_time(end)}",
				f"{_clock_time(next_start)}-{_clock_time(next_end)}",
			)
	return ordered


def check_calendar_days(days: Iterable[date]) -> None:
	"""A calendar lists each date once, as either a holiday or a working day."""
	seen = set()
	for day in days:
		if day in seen:
			raise DomainError("{0} is listed more than once", day.isoformat())
		seen.add(day)


@dataclass(frozen=True)
class Pause:
	"""A stretch in which the clock stands still (the ticket waits on the customer); `end` None: still paused."""

	start: datetime
	end: datetime | None = None


def merged_pauses(pauses: Iterable[Pause]) -> list[Pause]:
	"""Pauses in order, overlapping ones joined; an open pause swallows every later one."""
	merged: list[Pause] = []
	for pause in sorted(pauses, key=lambda pause: pause.start):
		if pause.end is not None and pause.end <= pause.start:
			continue
		last = merged[-1] if merged else None
		if last and (last.end is None or pause.start <= last.end):
			if last.end is not None:
				end = None if pause.end is None else max(last.end, pause.end)
				merged[-1] = Pause(last.start, end)
			continue
		merged.append(pause)
	return merged


class Calendar:
	"""Working hours per weekday, holidays and make-up working days, with an index of the working time before
	each day that grows as far as it is asked: measuring or adding working time over years costs a lookup and a
	binary search, not a walk over the days."""

	def __init__(
		self,
		hours: Mapping[int, Iterable[tuple[time, time]]],
		holidays: Iterable[date] = (),
		working_days: Mapping[date, int] | None = None,
	):
		"""`hours`: weekday (0 is Monday) -> its working intervals (start, end); `holidays`: whole days off;
		`working_days`: make-up working day -> the weekday whose hours it keeps."""
		self.hours = {
			weekday: check_overlaps(working_span(start, end) for start, end in intervals)
			for weekday, intervals in hours.items()
		}
		if not any(self.hours.values()):
			raise DomainError("Working hours are needed on at least one day of the week")
		self.holidays = frozenset(holidays)
		self.working_days = dict(working_days or {})
		both = self.holidays & self.working_days.keys()
		if both:
			raise DomainError("{0} is listed more than once", min(both).isoformat())
		self._first: date | None = None
		# working microseconds before the start of each day from self._first on, counted from where the index began
		self._before: list[int] = [0]

	def spans(self, day: date) -> tuple[Span, ...]:
		if day in self.working_days:
			return self.hours.get(self.working_days[day], ())
		if day in self.holidays:
			return ()
		return self.hours.get(day.weekday(), ())

	def _day_length(self, day: date) -> int:
		return sum(end - start for start, end in self.spans(day))

	def _index(self, day: date) -> int:
		"""The position of `day` in the index, which is grown (or started earlier) to hold it."""
		if self._first is None:
			self._first = day
		elif day < self._first:
			# a year or more at a time, so that instants read in any order rebuild the index rarely
			first = min(day, self._first - YEAR)
			earlier = [0]
			for offset in range((self._first - first).days):
				earlier.append(earlier[-1] + self._day_length(first + offset * DAY))
			# the days added count back from the old first day's figure, so that no figure handed out changes
			shift = self._before[0] - earlier[-1]
			self._before = [worked + shift for worked in earlier[:-1]] + self._before
			self._first = first
		index = (day - self._first).days
		while len(self._before) <= index + 1:
			self._grow()
		return index

	def _grow(self) -> None:
		self._before.append(self._before[-1] + self._day_length(self._first + (len(self._before) - 1) * DAY))

	def _worked_at(self, instant: datetime) -> int:
		"""Working microseconds to `instant` from where the index began (negative before it)."""
		day = instant.date()
		offset = (instant - datetime.combine(day, time())) // MICROSECOND
		within = sum(max(0, min(offset, end) - start) for start, end in self.spans(day))
		index = self._index(day)  # first: it may put a new list in self._before
		return self._before[index] + within

	def _add(self, start: datetime, duration: int) -> datetime:
		"""The first instant at which `duration` microseconds of working time have passed since `start`."""
		if duration <= 0:
			return start
		target = self._worked_at(start) + duration
		while self._before[-1] < target:
			self._grow()
		# the day in which the target is reached: the last one that starts with less working time behind it
		index = bisect_left(self._before, target) - 1
		day = self._first + index * DAY
		left = target - self._before[index]
		for span_start, span_end in self.spans(day):
			if left <= span_end - span_start:
				return datetime.combine(day, time()) + (span_start + left) * MICROSECOND
			left -= span_end - span_start
		raise AssertionError("the index and the day's working hours disagree")

	def _worked(self, start: datetime, end: datetime, pauses: Iterable[Pause] = ()) -> int:
		if end <= start:
			return 0
		total = self._worked_at(end) - self._worked_at(start)
		for pause in merged_pauses(pauses):
			paused_from, paused_to = max(pause.start, start), min(pause.end or end, end)
			if paused_to > paused_from:
				total -= self._worked_at(paused_to) - self._worked_at(paused_from)
		return total

	def add_minutes(self, start: datetime, minutes: float) -> datetime:
		"""The instant by which `minutes` of working time have passed since `start`: a deadline."""
		return self._add(start, round(minutes * MINUTE))

	def minutes_between(self, start: datetime, end: datetime, pauses: Iterable[Pause] = ()) -> float:
		"""Working minutes from `start` to `end` (0 if end comes first), leaving out the paused time."""
		return self._worked(start, end, pauses) / MINUTE

	def deadline(self, start: datetime, minutes: float, pauses: Iterable[Pause] = ()) -> datetime | None:
		"""When `minutes` of working time have run since `start`, the clock standing still during `pauses`; None
		while a pause that began before then has not ended, since the deadline depends on when it will."""
		left = round(minutes * MINUTE)
		current = start
		for pause in merged_pauses(pauses):
			if pause.end is not None and pause.end <= current:
				continue
			if pause.start > current:
				available = self._worked(current, pause.start)
				if left <= available:
					return self._add(current, left)
				left -= available
			if pause.end is None:
				return None
			current = pause.end
		return self._add(current, left)


@dataclass(frozen=True)
class Targets:
	"""Working minutes allowed for the first response and for the resolution of a ticket of some priority."""

	response_minutes: int
	resolution_minutes: int


def check_targets(response_minutes: int, resolution_minutes: int) -> Targets:
	if response_minutes <= 0:
		raise DomainError("The response time must be a positive number of minutes")
	if resolution_minutes <= 0:
		raise DomainError("The resolution time must be a positive number of minutes")
	if response_minutes > resolution_minutes:
		raise DomainError("The response time cannot be longer than the resolution time")
	return Targets(response_minutes, resolution_minutes)


def check_priority_rows(rows: int) -> None:
	"""Each priority has its targets in exactly one row."""
	if not rows:
		raise DomainError("This priority has no targets")
	if rows > 1:
		raise DomainError("This priority has targets in more than one row")


def at_risk_share(percent: float) -> float:
	"""The at-risk threshold as a share of the target: a percentage from 0 up to, not including, 100."""
	if not 0 <= percent < 100:
		raise DomainError("The at-risk threshold must be at least 0% and below 100%")
	return percent / 100


@dataclass(frozen=True)
class Clock:
	"""A ticket's clock read at some instant.

	`response_by` / `resolution_by`: the deadlines, None while the ticket is paused before reaching them.
	`at_risk_from`: when the first clock still running turns at risk (None when none is running or it is
	paused), so a job can compare stored instants with the time instead of recomputing every ticket.
	`response_minutes` / `resolution_minutes`: working minutes each clock has run, to the first response or the
	resolution, or to the instant read while it runs. `status`: one of SLA_STATUSES.
	"""

	response_by: datetime | None
	resolution_by: datetime | None
	at_risk_from: datetime | None
	response_minutes: float
	resolution_minutes: float
	status: str


@dataclass(frozen=True)
class ServiceLevel:
	"""A calendar, targets per priority and the at-risk threshold (a share of the target left)."""

	calendar: Calendar
	targets: Mapping[str, Targets]
	at_risk_share: float = 0.25

	def clock(
		self,
		priority: str,
		opened_at: datetime,
		now: datetime,
		pauses: Iterable[Pause] = (),
		responded_at: datetime | None = None,
		resolved_at: datetime | None = None,
	) -> Clock:
		"""Read a ticket's clock at `now`.

		Both clocks run in working time from `opened_at` and stand still during `pauses`; the response clock
		stops at `responded_at`, the resolution clock at `resolved_at`. The targets are those of the ticket's
		current priority: after a priority change the deadlines are recomputed from the original opening with
		the new targets, less the paused time, so the instant of the change plays no part. A clock that ran past
		its deadline stays breached (已超时), even once answered or resolved; otherwise a ticket waiting on the
		customer is paused (已暂停), one with no more than the threshold's share of a running target left is at
		risk (即将超时), and any other is on track (正常).
		"""
		targets = self.targets.get(priority)
		if targets is None:
			raise DomainError("The service level has no targets for the priority {0}", priority)
		pauses = merged_pauses(pauses)
		calendar = self.calendar
		deadlines, elapsed, risk_from = [], [], []
		breached = at_risk = False
		for minutes, stopped_at in (
			(targets.response_minutes, responded_at),
			(targets.resolution_minutes, resolved_at),
		):
			due = calendar.deadline(opened_at, minutes, pauses)
			until = stopped_at or now
			deadlines.append(due)
			elapsed.append(calendar.minutes_between(opened_at, until, pauses))
			if due is not None and until > due:
				breached = True
			elif stopped_at is None:
				at_risk_at = calendar.deadline(opened_at, minutes * (1 - self.at_risk_share), pauses)
				if at_risk_at is not None:
					risk_from.append(at_risk_at)
					at_risk = at_risk or now >= at_risk_at
		paused = resolved_at is None and any(
			pause.start <= now and (pause.end is None or now < pause.end) for pause in pauses
		)
		if breached:
			status = BREACHED
		elif paused:
			status = PAUSED
		elif at_risk:
			status = AT_RISK
		else:
			status = ON_TRACK
		return Clock(
			response_by=deadlines[0],
			resolution_by=deadlines[1],
			at_risk_from=min(risk_from, default=None),
			response_minutes=elapsed[0],
			resolution_minutes=elapsed[1],
			status=status,
		)
