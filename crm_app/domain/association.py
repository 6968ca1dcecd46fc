"""Purchase association: which products the same customers buy together, as rules "bought X, also buys Y".

Over the customers who bought anything in the window (`customers`), with `with_x` of them buying X, `with_y`
buying Y and `both` buying both:
- support = both / customers, how common the pair is;
- confidence = both / with_x, how often a buyer of X also buys Y;
- lift = confidence / (with_y / customers), how much more often than chance; above 1 they go together.
A rule is kept when it reaches every minimum.
"""

from dataclasses import dataclass

from crm_app.domain.errors import DomainError

MIN_CUSTOMERS = 3


@dataclass(frozen=True)
class Thresholds:
	# customers who bought both: below this a pair is chance, and a pair of one or two customers would tell a
	# manager what those customers bought
	min_customers: int = MIN_CUSTOMERS
	min_support: float = 0.001
	min_confidence: float = 0.1
	min_lift: float = 1.2

	def validate(self) -> None:
		if self.min_customers < MIN_CUSTOMERS:
			raise DomainError(
				"The minimum number of customers must be at least {0}, not {1}",
				MIN_CUSTOMERS,
				self.min_customers,
			)
		for value in (self.min_support, self.min_confidence):
			if not 0 <= value <= 1:
				raise DomainError("Support and confidence are shares between 0 and 1, not {0}", value)
		if self.min_lift < 0:
			raise DomainError("The minimum lift must not be negative, not {0}", self.min_lift)


@dataclass(frozen=True)
class Measures:
	support: float
	confidence: float
	lift: float


def measures(customers: int, with_x: int, with_y: int, both: int) -> Measures:
	if not (0 <= both <= min(with_x, with_y) and max(with_x, with_y) <= customers):
		raise DomainError("Inconsistent counts of customers")
	if not both:
		return Measures(0.0, 0.0, 0.0)
	confidence = both / with_x
	return Measures(both / customers, confidence, confidence * customers / with_y)


def kept(thresholds: Thresholds, both: int, found: Measures) -> bool:
	return (
		both >= thresholds.min_customers
		and found.support >= thresholds.min_support
		and found.confidence >= thresholds.min_confidence
		and found.lift >= thresholds.min_lift
	)
