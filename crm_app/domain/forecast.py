"""The quarterly sales forecast: what a quarter has brought so far, plus its open pipeline weighted by each
deal's probability, plus the run-rate of repeat customers for the part of the quarter still to come.

A past quarter has no forecast, only its actual figure. The run-rate is the average quarterly amount that repeat
customers ordered without a deal over the last four quarters; it counts in full for a future quarter and for
the days left of the current one.
"""

from dataclasses import dataclass
from datetime import date

from crm_app.domain.errors import DomainError


@dataclass(frozen=True)
class Quarter:
	year: int
	number: int

	@property
	def start(self) -> date:
		return date(self.year, 3 * self.number - 2, 1)

	@property
	def end(self) -> date:
		"""The first day after the quarter."""
		return date(self.year + 1, 1, 1) if self.number == 4 else date(self.year, 3 * self.number + 1, 1)

	@property
	def label(self) -> str:
		return f"{self.year} Q{self.number}"


def quarters(year: int) -> list[Quarter]:
	if not 1900 < year < 3000:
		raise DomainError("{0} is not a year", year)
	return [Quarter(year, number) for number in (1, 2, 3, 4)]


def quarter_of(day: date) -> Quarter:
	return Quarter(day.year, (day.month - 1) // 3 + 1)


def remaining_share(quarter: Quarter, today: date) -> float:
	"""The share of the quarter's days from today on: 0 once it is over, 1 before it starts."""
	if today >= quarter.end:
		return 0.0
	if today <= quarter.start:
		return 1.0
	return (quarter.end - today).days / (quarter.end - quarter.start).days


def forecast(quarter: Quarter, today: date, actual: float, pipeline: float, run_rate: float) -> float | None:
	if today >= quarter.end:
		return None
	return actual + pipeline + run_rate * remaining_share(quarter, today)
