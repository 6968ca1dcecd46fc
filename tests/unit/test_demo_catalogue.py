"""The demo's catalogues (crm_app/demo/data) as the demo reads them, and the generator drawing from them: the same
seed gives the same data, every phrase names only values the generator gives it, and the sales organisation
holds together."""

import string
from datetime import datetime
from decimal import Decimal

import pytest

from crm_app.defaults import BANT_WEIGHTS, INDUSTRIES, LOST_REASONS, SALES_STAGES, SOURCE_CHANNELS
from crm_app.demo.catalogue import DATA, DEMO_PRODUCTS, Stage, read
from crm_app.demo.generator import DEMO_TEAMS, DEMO_USERS, DemoContext, Taken
from crm_app.demo.pipeline import PipelineGenerator

# The values the generator formats each kind of phrase with (crm_app/demo/generator.py and pipeline.py)
PLACEHOLDERS = {
	"interaction_summaries": {"who", "product", "feedback", "when", "need"},
	"lead_summaries": {"who", "product", "when", "need", "feedback"},
	"deal_summaries": {"who", "product", "when", "days", "reason", "stage"},
	"opportunity_titles": {"product"},
	"opportunity_descriptions": {"product", "need", "feedback", "when"},
	"lost_reason_details": {"percent"},
	"contract_titles": {"opportunity", "customer", "product"},
	"inquiries": {"product", "qty", "unit", "need", "channel"},
}


def strings(value):
	"""Every string in a catalogue value, however nested."""
	if isinstance(value, str):
		yield value
	elif isinstance(value, dict):
		for item in value.values():
			yield from strings(item)
	else:
		for item in value:
			yield from strings(item)


def site_free_context() -> DemoContext:
	"""What the loader reads from a freshly installed site, from the app's defaults instead."""
	stages = tuple(
		Stage(
			name,
			order,
			probability,
			bool(won),
			bool(lost),
			idle_days,
			tuple(
				(kind, detail[0], None, False)
				if kind == "Field"
				else (kind, None, detail[0], bool(detail[1]))
				for kind, *detail in requirements
			),
		)
		for name, order, probability, idle_days, won, lost, requirements in SALES_STAGES
	)
	return DemoContext(
		now=datetime(2025, 6, 2, 10, 30),
		channels=SOURCE_CHANNELS,
		industries=INDUSTRIES,
		owners={user.email: (user.region, user.weight) for user in DEMO_USERS if user.weight},
		products=DEMO_PRODUCTS,
		stages=stages,
		lost_reasons=LOST_REASONS,
		bant_weights={(dimension, answer): points for dimension, answer, points in BANT_WEIGHTS},
	)


def generate(seed: int) -> tuple[list[dict], list[dict]]:
	generator = PipelineGenerator(site_free_context(), seed=seed, taken=Taken())
	return list(generator.customers(300)), list(generator.leads(100))


def test_each_catalogue_is_read_from_its_file_once():
	names = [path.stem for path in DATA.glob("*.json")]
	assert names
	for name in names:
		assert read(name) is read(name)


def test_products_have_exact_prices_and_unique_codes():
	assert len({product.code for product in DEMO_PRODUCTS}) == len(DEMO_PRODUCTS) == len(read("products"))
	for product in DEMO_PRODUCTS:
		assert isinstance(product.list_price, Decimal) and product.list_price > 0
		assert product.list_price == product.list_price.quantize(Decimal("0.01")), product.code
		assert isinstance(product.industries, tuple)


@pytest.mark.parametrize("kind", sorted(PLACEHOLDERS))
def test_phrases_name_only_the_values_the_generator_gives_them(kind):
	for template in strings(read("phrases")[kind]):
		names = {name for _text, name, _spec, _conversion in string.Formatter().parse(template) if name}
		assert names <= PLACEHOLDERS[kind], template


def test_the_sales_organisation_holds_together():
	logins = {user.login for user in DEMO_USERS}
	seen = set()
	for team in DEMO_TEAMS:
		assert team.parent is None or team.parent in seen, f"{team.name} comes before its parent"
		assert {team.manager, *team.members} - {None} <= logins, team.name
		seen.add(team.name)
	in_teams = {login for team in DEMO_TEAMS for login in (team.manager, *team.members)}
	assert {user.login for user in DEMO_USERS if user.weight} <= in_teams
	regions = set(read("places")["sales_regions"]) | {""}
	assert {user.region for user in DEMO_USERS} <= regions


def test_a_seed_gives_the_same_data_and_another_seed_other_data():
	customers, leads = generate(7)
	assert (customers, leads) == generate(7)
	assert (customers, leads) != generate(8)
	# the whole catalogue is in play: deals through every outcome, leads of every status
	deals = [deal for customer in customers for deal in customer["opportunities"]]
	assert {deal["status"] for deal in deals} == {"Open", "Won", "Lost"}
	assert {lead["status"] for lead in leads} == {"New", "Contacted", "Qualified", "Unqualified"}
