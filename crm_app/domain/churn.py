"""Churn warning: each customer's own rhythm of buying, and when their silence has outlasted it.

A customer's rhythm is the median number of days between their consecutive orders (days with several orders
count once). A customer is at risk once the days since their last order pass `multiple` times that rhythm; one
with fewer than `min_orders` order days has no rhythm of their own yet, and is measured against
`default_interval_days` instead. A customer who never ordered cannot churn.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from math import floor
from statistics import median

from crm_app.domain.errors import DomainError

MAX_MULTIPLE = 10
MAX_MIN_ORDERS = 100
MAX_DAYS = 3650  # ten years: the longest rhythm, or window to look back over


@dataclass(frozen=True)
class ChurnPolicy:
	multiple: float = 1.5
	min_orders: int = 3
	default_interval_days: int = 60
	# a customer found silent long after their due date (the first run over old data) is flagged, but their
	# owner is only given follow-ups for silences that began within these days
	follow_up_within_days: int = 30

	def validate(self) -> None:
		if not 1 <= self.multiple <= MAX_MULTIPLE:
			raise DomainError(
				"The churn multiple must be between 1 and {0}, not {1}", MAX_MULTIPLE, self.multiple
			)
		if not 2 <= self.min_orders <= MAX_MIN_ORDERS:
			raise DomainError(
				"A rhythm needs between 2 and {0} orders, not {1}", MAX_MIN_ORDERS, self.min_orders
			)
		if not 1 <= self.default_interval_days <= MAX_DAYS:
			raise DomainError(
				"The default interval must be between 1 and {0} days, not {1}",
				MAX_DAYS,
				self.default_interval_days,
			)

	def interval(self, order_days: int, median_interval: float | None) -> float:
		"""The rhythm to measure a customer with `order_days` distinct order days against."""
		if order_days < self.min_orders or not median_interval:
			return float(self.default_interval_days)
		return float(median_interval)

	def allowed_days(self, order_days: int, median_interval: float | None) -> int:
		"""The most whole days of silence after the last order without a warning."""
		return floor(self.multiple * self.interval(order_days, median_interval))

	def due_date(self, last_order: date, order_days: int, median_interval: float | None) -> date:
		"""The first day on which a customer who has not ordered again is at risk."""
		return last_order + timedelta(days=self.allowed_days(order_days, median_interval) + 1)


def median_interval(order_dates: Sequence[date]) -> float | None:
	days = sorted(set(order_dates))
	if len(days) < 2:
		return None
	return float(median((later - earlier).days for earlier, later in pairwise(days)))


def at_risk(policy: ChurnPolicy, order_dates: Sequence[date], today: date) -> bool:
	days = sorted(set(order_dates))
	if not days:
		return False
	return today >= policy.due_date(days[-1], len(days), median_interval(days))
