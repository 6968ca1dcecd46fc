"""Stage gates: what an opportunity must have before it may enter a stage."""

from dataclasses import dataclass, field
from itertools import pairwise


@dataclass(frozen=True)
class Requirement:
	kind: str  # "Field", "Linked Document" or "Attachment"
	fieldname: str | None = None
	document_type: str | None = None
	submitted_only: bool = False


@dataclass
class Facts:
	"""What the opportunity has: filled fields, linked documents per type (all, and approved/submitted)."""

	filled_fields: set[str] = field(default_factory=set)
	documents: dict[str, int] = field(default_factory=dict)
	submitted_documents: dict[str, int] = field(default_factory=dict)
	attachments: int = 0


def unmet_requirements(requirements: list[Requirement], facts: Facts) -> list[Requirement]:
	unmet = []
	for requirement in requirements:
		if requirement.kind == "Field":
			met = requirement.fieldname in facts.filled_fields
		elif requirement.kind == "Linked Document":
			documents = facts.submitted_documents if requirement.submitted_only else facts.documents
			met = documents.get(requirement.document_type, 0) > 0
		else:
			met = facts.attachments > 0
		if not met:
			unmet.append(requirement)
	return unmet


def gate_applies(from_order: int | None, to_order: int, to_won: bool = False) -> bool:
	"""Gates apply when a deal moves on, not when it steps back to an earlier stage; a won stage's gate applies
	from wherever the deal comes, a lost stage ordered after it included."""
	return to_won or from_order is None or to_order > from_order


def furthest(orders: dict[str, int], names) -> str | None:
	"""The furthest of the stages named, by the order of the open and won stages in `orders`; a stage missing
	from `orders` (lost or deleted) counts for none."""
	return max((name for name in names if name in orders), key=orders.get, default=None)


def reached_counts(furthest: dict[int, int], orders: list[int]) -> list[int]:
	"""How many deals reached each stage of the funnel (`orders`, ascending), from how many got furthest to each
	stage order: a deal that got to a stage passed every stage before it."""
	return [
		sum(count for order_reached, count in furthest.items() if order_reached >= order) for order in orders
	]


def conversions(reached: list[int]) -> list[float | None]:
	"""The share of the deals reaching each stage that reached the next, in percent; None for the last stage and
	for a stage no deal reached."""
	return [
		round(100 * following / count, 1) if count else None for count, following in pairwise(reached)
	] + [None]
