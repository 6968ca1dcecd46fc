"""Campaign attribution and return (营销活动ROI): the UTM parameters a visitor's link carried, what a campaign cost
per lead it brought, and what each yuan spent came back as. A ratio over nothing (no leads, no cost) has no value
rather than zero or infinity, so a campaign that spent nothing is never shown as infinitely profitable."""

from decimal import ROUND_HALF_UP, Decimal

from crm_app.domain.money import FEN, to_fen

UTM_PARAMETERS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
UTM_LENGTH = 140  # what the lead's Data fields hold


def utm_values(values: dict) -> dict[str, str | None]:
	"""The UTM parameters of a link, each trimmed and cut to what its field holds, None when absent or blank."""
	found = {}
	for parameter in UTM_PARAMETERS:
		value = values.get(parameter)
		text = value.strip()[:UTM_LENGTH].strip() if isinstance(value, str) else ""
		found[parameter] = text or None
	return found


def cost_per_lead(cost, leads: int) -> Decimal | None:
	"""The campaign's cost spread over its leads, to the fen; none without leads."""
	return to_fen(Decimal(str(cost or 0)) / leads) if leads else None


def return_per_yuan(won_amount, cost) -> Decimal | None:
	"""Yuan won for each yuan spent (won amount / cost), to two places; none without a cost."""
	cost = to_fen(cost)
	if cost <= 0:
		return None
	return (to_fen(won_amount) / cost).quantize(FEN, rounding=ROUND_HALF_UP)
