"""The demo's catalogues (crm_app/demo/data) as the demo reads them, and the generator drawing from them: the same
seed gives the same data, every phrase names only values the generator gives it, the sales and service
organisation holds together, and tickets tell their story on the service clock."""

import string
from collections import Counter
from dataclasses import replace
from datetime import datetime, time, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from crm_app.defaults import (
	BANT_WEIGHTS,
	INDUSTRIES,
	LOST_REASONS,
	SALES_STAGES,
	SERVICE_AT_RISK_PERCENT,
	SERVICE_DAYS,
	SERVICE_HOURS,
	SERVICE_LEVEL,
	SERVICE_TARGETS,
	SOURCE_CHANNELS,
)
from crm_app.demo.catalogue import DATA, DEMO_ARTICLES, DEMO_PRODUCTS, Stage, article_body, read
from crm_app.demo.generator import DEMO_SERVICE_TEAMS, DEMO_TEAMS, DEMO_USERS, DemoContext, Taken, demo_email
from crm_app.demo.service import ServiceGenerator
from crm_app.domain.search_terms import plain_text
from crm_app.domain.sla import BREACHED, WEEKDAYS, Calendar, Pause, ServiceLevel, Targets
from crm_app.domain.ticket_status import CLOSED, IN_PROGRESS, NEW, OPEN_STATUSES, RESOLVED, WAITING

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
TICKET_CHANNELS = ("Phone", "Email", "WeChat", "Portal", "On Site")


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


def default_service_level() -> ServiceLevel:
	"""The service level the app installs, without its holiday calendar."""
	hours = {
		WEEKDAYS.index(day): [
			(time.fromisoformat(start), time.fromisoformat(end)) for start, end in SERVICE_HOURS
		]
		for day in SERVICE_DAYS
	}
	return ServiceLevel(
		Calendar(hours),
		{priority: Targets(response, resolution) for priority, response, resolution in SERVICE_TARGETS},
		SERVICE_AT_RISK_PERCENT / 100,
	)


def demo_routes() -> dict[tuple[str, str], tuple[str | None, str]]:
	"""Where the app's routing (service.tickets.route) sends a ticket among the demo service teams: every field a
	team sets must match, the team setting more of them wins, then the first by name."""
	routes = {}
	for product_type in ("Goods", "Service", "Consumable"):
		for channel in TICKET_CHANNELS:
			teams = sorted(
				(
					team
					for team in DEMO_SERVICE_TEAMS
					if team.product_type in (None, product_type) and team.channel in (None, channel)
				),
				key=lambda team: (-bool(team.product_type) - bool(team.channel), team.name),
			)
			routes[(product_type, channel)] = (teams[0].name if teams else None, SERVICE_LEVEL)
	return routes


def site_free_context() -> DemoContext:
	"""What the loader reads from a freshly installed site with the demo service teams, from the app's defaults
	instead."""
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
		service_levels={SERVICE_LEVEL: default_service_level()},
		ticket_routes=demo_routes(),
		team_agents={
			team.name: tuple(demo_email(member) for member in team.members) for team in DEMO_SERVICE_TEAMS
		},
		queue_agents=tuple(user.email for user in DEMO_USERS if "CRM Service Agent" in user.roles),
	)


def generate(seed: int) -> tuple[list[dict], list[dict]]:
	generator = ServiceGenerator(site_free_context(), seed=seed, taken=Taken())
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


def test_ticket_texts_name_only_the_product():
	tickets = read("tickets")
	for template in strings([tickets["problems"], tickets["general"]]):
		names = {name for _text, name, _spec, _conversion in string.Formatter().parse(template) if name}
		assert names <= {"product"}, template


def test_the_service_desk_is_staffed_by_demo_users_of_its_roles():
	roles = {user.login: user.roles for user in DEMO_USERS}
	for team in DEMO_SERVICE_TEAMS:
		assert team.members and "CRM Service Manager" in roles[team.manager], team.name
		assert all("CRM Service Agent" in roles[member] for member in team.members), team.name
	staffed = {login for team in DEMO_SERVICE_TEAMS for login in (team.manager, *team.members)}
	service_users = {
		user.login for user in DEMO_USERS if set(user.roles) & {"CRM Service Agent", "CRM Service Manager"}
	}
	assert staffed == service_users
	assert not any(user.weight for user in DEMO_USERS if user.login in service_users)
	# each demo team takes tickets no other demo team takes first
	assert {team for team, _level in demo_routes().values()} >= {team.name for team in DEMO_SERVICE_TEAMS}


def test_articles_are_html_with_unique_titles():
	assert 35 <= len(DEMO_ARTICLES) <= 60
	assert len({article.title for article in DEMO_ARTICLES}) == len(DEMO_ARTICLES)
	for article in DEMO_ARTICLES:
		assert article.body.startswith("<p>") and len(plain_text(article.body)) > 60, article.title
		parser = HTMLParser()
		parser.feed(article.body)
	assert {article.visibility for article in DEMO_ARTICLES} == {"Internal", "Public"}
	assert (
		sum(article.visibility == "Public" and article.published for article in DEMO_ARTICLES)
		> len(DEMO_ARTICLES) * 0.75
	)
	assert any(not article.published for article in DEMO_ARTICLES)
	assert article_body(["a < b", ["一", "二"]]) == "<p>a &lt; b</p><ol><li>一</li><li>二</li></ol>"


def test_the_sales_organisation_holds_together():
	logins = {user.login for user in DEMO_USERS}
	seen = set()
	for team in DEMO_TEAMS:
		assert team.parent is None or team.parent in seen, f"{team.name} comes before its parent"
		assert {team.manager, *team.members} - {None} <= logins, team.name
		seen.add(team.name)
	in_teams = {login for team in DEMO_TEAMS for login in (team.manager, *team.members)}
	assert {user.login for user in DEMO_USERS if user.weight} <= in_teams
	assert not in_teams & {login for team in DEMO_SERVICE_TEAMS for login in (team.manager, *team.members)}
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


def test_the_opportunity_scale_multiplies_the_deals_and_keeps_one_open_per_customer():
	def deals(scale: float) -> list[list[dict]]:
		context = replace(site_free_context(), opportunity_scale=scale)
		customers = ServiceGenerator(context, seed=5, taken=Taken()).customers(1000)
		return [customer["opportunities"] for customer in customers]

	usual, doubled = deals(1.0), deals(2.0)
	assert 1.8 < sum(map(len, doubled)) / sum(map(len, usual)) < 2.2
	assert 1.3 < sum(map(len, deals(1.5))) / sum(map(len, usual)) < 1.7
	for customer in doubled:
		assert all(deal["status"] != "Open" for deal in customer[:-1])


@pytest.fixture(scope="module")
def tickets() -> list[dict]:
	customers = list(ServiceGenerator(site_free_context(), seed=11, taken=Taken()).customers(3000))
	rows = [{**ticket, "customer": customer} for customer in customers for ticket in customer["tickets"]]
	assert 0.18 < len(rows) / len(customers) < 0.32  # about one ticket for every four customers
	return rows


def in_working_time(calendar: Calendar, moment: datetime) -> bool:
	offset = (moment - datetime.combine(moment.date(), time())).total_seconds() * 1_000_000
	return any(start <= offset <= end for start, end in calendar.spans(moment.date()))


def test_tickets_are_routed_and_handled_by_their_teams_agents(tickets):
	context = site_free_context()
	products = {product.code: product for product in DEMO_PRODUCTS}
	for ticket in tickets:
		assert products[ticket["product"]].product_type == ticket["product_type"]
		assert ticket["channel"] in TICKET_CHANNELS
		team, level = context.ticket_routes[(ticket["product_type"], ticket["channel"])]
		assert (ticket["service_team"], ticket["service_level"]) == (team, level)
		if team:
			assert ticket["agent"] in context.team_agents[team]
		elif ticket["status"] == NEW:
			assert ticket["agent"] is None  # waits in the general queue
		else:
			assert ticket["agent"] in context.queue_agents
		contacts = ticket["customer"]["contacts"]
		assert ticket["contact_name"] in {contact["contact_name"] for contact in contacts}
		addresses = {contact["email_id"] for contact in contacts} | {ticket["customer"]["email_id"]}
		assert (ticket["channel"] == "Email") == bool(ticket["raised_by"])
		assert ticket["raised_by"] is None or ticket["raised_by"] in addresses
		assert ticket["opened_on"] >= ticket["customer"]["creation"]
	assert {ticket["service_team"] for ticket in tickets} == {
		*(team.name for team in DEMO_SERVICE_TEAMS),
		None,
	}
	assert Counter(ticket["product_type"] for ticket in tickets).most_common(1)[0][0] == "Goods"


def test_tickets_tell_their_story_in_working_time(tickets):
	context = site_free_context()
	level = context.service_levels[SERVICE_LEVEL]
	statuses = Counter(ticket["status"] for ticket in tickets)
	# a ticket stays new only until its first response, minutes or hours: few are new at any moment
	assert (
		{IN_PROGRESS, WAITING, RESOLVED, CLOSED} <= set(statuses) <= {NEW, *OPEN_STATUSES, RESOLVED, CLOSED}
	)
	# a backlog of open tickets, the first ticket among them: small, but never empty
	open_count = sum(statuses[status] for status in OPEN_STATUSES)
	assert len(tickets) // read("tickets")["backlog_every"] < open_count < 0.04 * len(tickets)
	first_customer = tickets[0]["customer"]
	assert any(
		ticket["status"] in OPEN_STATUSES for ticket in tickets if ticket["customer"] is first_customer
	)
	assert statuses[CLOSED] > statuses[RESOLVED]
	opened_in_office_hours = 0
	breached = 0
	for ticket in tickets:
		opened, responded, resolved = ticket["opened_on"], ticket["first_responded_on"], ticket["resolved_on"]
		assert context.now - opened < timedelta(days=731) and opened <= context.now
		opened_in_office_hours += in_working_time(level.calendar, opened)
		assert (ticket["status"] == NEW) == (responded is None)
		assert (ticket["status"] in OPEN_STATUSES) == (resolved is None)
		for moment in (responded, resolved):
			if moment:
				assert opened <= moment <= context.now and in_working_time(level.calendar, moment)
		pauses = ticket["pauses"]
		assert len(pauses) <= 1
		for pause in pauses:
			assert responded <= pause["paused_at"] and pause["reason"] == "Waiting on Customer"
			assert (pause["resumed_at"] is None) == (ticket["status"] == WAITING)
			if pause["resumed_at"]:
				assert pause["paused_at"] < pause["resumed_at"] <= (resolved or context.now)
		assert ticket["creation"] == opened <= ticket["modified"] <= context.now
		clock = level.clock(
			ticket["priority"],
			opened,
			context.now,
			[Pause(pause["paused_at"], pause["resumed_at"]) for pause in pauses],
			responded,
			resolved,
		)
		breached += resolved is not None and clock.status == BREACHED
	assert opened_in_office_hours > 0.8 * len(tickets)
	done = sum(statuses[status] for status in (RESOLVED, CLOSED))
	assert 0.03 * done < breached < 0.2 * done  # most are answered and resolved in time


def test_most_resolved_tickets_are_rated_and_well(tickets):
	rated = [ticket for ticket in tickets if ticket["satisfaction"] is not None]
	assert all(ticket["resolved_on"] and 1 <= ticket["satisfaction"] <= 10 for ticket in rated)
	assert len(rated) > 0.5 * sum(ticket["resolved_on"] is not None for ticket in tickets)
	assert sum(ticket["satisfaction"] >= 8 for ticket in rated) > 0.7 * len(rated)
	assert all(ticket["satisfaction"] for ticket in tickets if ticket["feedback"])
	assert all(
		not ticket["subject"].isascii() and ticket["description"].startswith("<p>") for ticket in tickets
	)
	# the solution an agent can turn into a knowledge article is written when the ticket is resolved
	assert all(bool(ticket["resolution"]) == bool(ticket["resolved_on"]) for ticket in tickets)
