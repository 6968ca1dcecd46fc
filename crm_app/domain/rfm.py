"""RFM: how recently, how often and how much each customer bought, scored 1-5 against the other customers, and
the value tier (VIP, 重点, 普通, 沉睡) an admin's rules give each combination of scores.

Scores are quintiles with ties kept together: a value's score is one more than the number of quintile edges it
lies above, so equal values always share a score, and a value shared by many customers can leave a score empty
rather than split them. Recency is scored on the negated days since the last order, so that more recent is
higher, like the other two.

Tier rules are checked in order and the first whose minimum scores a customer meets gives its tier; a customer
who met none, or who bought nothing in the window, gets the fallback tier of customers who bought before it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil

from crm_app.domain.errors import DomainError

SCORES = (1, 2, 3, 4, 5)
MEASURES = ("recency", "frequency", "monetary")

# value tiers, as option keys (translated VIP, 重点, 普通, 沉睡)
VIP = "VIP"
KEY = "Key Customer"
REGULAR = "Regular Customer"
DORMANT = "Dormant Customer"
TIERS = (VIP, KEY, REGULAR, DORMANT)


def quintile_positions(count: int) -> list[int]:
	"""The 0-based positions, in the values sorted ascending, of the four edges between the quintiles."""
	return [max(ceil(count * k / 5) - 1, 0) for k in range(1, 5)] if count else []


def quintile_edges(values: Sequence[float]) -> list[float]:
	ordered = sorted(values)
	return [ordered[position] for position in quintile_positions(len(ordered))]


def score(value: float, edges: Sequence[float]) -> int:
	return 1 + sum(value > edge for edge in edges)


def score_all(values: Sequence[float]) -> list[int]:
	edges = quintile_edges(values)
	return [score(value, edges) for value in values]


@dataclass(frozen=True)
class TierRule:
	tier: str
	min_recency: int = 1
	min_frequency: int = 1
	min_monetary: int = 1

	def minimums(self) -> tuple[int, int, int]:
		return (self.min_recency, self.min_frequency, self.min_monetary)


def validate_rules(rules: Sequence[TierRule]) -> None:
	for rule in rules:
		if rule.tier not in TIERS:
			raise DomainError("Unknown value tier {0}", rule.tier)
		for minimum in rule.minimums():
			if minimum not in SCORES:
				raise DomainError("A minimum score must be between 1 and 5, not {0}", minimum)


def tier_of(rules: Sequence[TierRule], scores: tuple[int, int, int] | None, fallback: str = DORMANT) -> str:
	"""The tier of a customer with these (recency, frequency, monetary) scores, or None for one who bought
	nothing in the window."""
	if scores is None:
		return fallback
	for rule in rules:
		if all(mine >= minimum for mine, minimum in zip(scores, rule.minimums(), strict=True)):
			return rule.tier
	return fallback


def tier_case(rules: Sequence[TierRule], columns: tuple[str, str, str], fallback: str = DORMANT):
	"""`tier_of` as a SQL CASE over the three score columns (trusted column names, 0 for no score), with its
	parameters."""
	validate_rules(rules)
	whens, params = [], []
	for rule in rules:
		whens.append("when " + " and ".join(f"{column} >= %s" for column in columns) + " then %s")
		params.extend([*rule.minimums(), rule.tier])
	return f"case when {columns[0]} < 1 then %s {' '.join(whens)} else %s end", [
		fallback,
		*params,
		fallback,
	]


DEFAULT_RULES = (
	TierRule(VIP, min_recency=3, min_frequency=4, min_monetary=5),
	TierRule(KEY, min_recency=2, min_monetary=4),
	TierRule(KEY, min_recency=2, min_frequency=4),
	TierRule(REGULAR, min_recency=2),
)
