"""BANT lead scoring: each of the four answers earns the points an admin set for it; the score is capped at 100."""

DIMENSIONS = ("Budget", "Authority", "Need", "Timeline")
MAX_SCORE = 100


def bant_score(answers: dict[str, str | None], weights: dict[tuple[str, str], int]) -> int:
	"""`answers` maps a dimension to the lead's answer; `weights` maps (dimension, answer) to points.

	An unanswered dimension, or an answer without a weight, earns nothing.
	"""
	points = sum(weights.get((dimension, answers.get(dimension) or ""), 0) for dimension in DIMENSIONS)
	return max(0, min(MAX_SCORE, points))
