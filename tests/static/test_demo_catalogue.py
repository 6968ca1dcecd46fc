"""The demo's catalogues (crm_app/demo/data) name only what the app knows: the options of its DocTypes, its
roles, default channels, industries and lost reasons, and China's administrative divisions. A name the app does
not know would be skipped, weigh nothing, or fail the loader's checks."""

from crm_app.defaults import INDUSTRIES, KNOWLEDGE_CATEGORIES, LOST_REASONS, ROLES, SOURCE_CHANNELS
from crm_app.demo.catalogue import BANT_FIELDS, DEMO_ARTICLES, DEMO_PRODUCTS, read
from crm_app.demo.generator import DEMO_SERVICE_TEAMS, DEMO_USERS
from crm_app.domain import regions
from crm_app.domain.sla import PRIORITIES
from crm_app.domain.ticket_status import CLOSED, IN_PROGRESS, NEW, RESOLVED, WAITING, WAITING_REASON
from tests.static import checks


def options(doctype: str, fieldname: str) -> set[str]:
	return set((checks.app_doctypes()[doctype].field(fieldname).get("options") or "").split("\n")) - {""}


def test_products_fit_crm_product():
	assert {product.product_type for product in DEMO_PRODUCTS} <= options("CRM Product", "product_type")
	for product in DEMO_PRODUCTS:
		assert (product.product_type == "Consumable") == bool(product.replacement_cycle_days), product.code
		assert set(product.industries) <= set(INDUSTRIES), product.code


def test_customers_and_their_contacts_use_the_apps_choices():
	customers, people = read("customers"), read("people")
	assert set(customers["industries"]) | set(customers["industry_weights"]) <= set(INDUSTRIES)
	assert set(customers["channel_weights"]) <= set(SOURCE_CHANNELS)
	assert set(customers["tiers"]) - {""} <= options("CRM Customer", "tier")
	assert {role for role, _title in people["other_contact_roles"]} <= options(
		"CRM Customer Contact", "decision_role"
	)


def test_every_kind_of_interaction_has_its_notes():
	kinds = options("CRM Interaction", "interaction_type")
	phrases = read("phrases")
	assert set(read("customers")["interaction_types"]) == set(phrases["interaction_summaries"]) == kinds
	assert set(read("leads")["interaction_types"]) == set(phrases["lead_summaries"]) == kinds
	deal_notes = phrases["deal_summaries"]
	pairs = [pair for key in ("new", "other", "won", "lost") for pair in deal_notes[key]]
	pairs += [
		pair
		for notes in (*deal_notes["open_stages"].values(), *deal_notes["lost_by_reason"].values())
		for pair in notes
	]
	assert {kind for kind, _note in pairs} <= kinds


def test_places_are_chinese_divisions():
	places = read("places")
	provinces = set(regions.provinces())
	cities = {city for province in provinces for city in regions.cities(province)}
	assert set(places["province_weights"]) <= provinces
	assert {p for region in places["sales_regions"].values() for p in region} <= provinces
	assert set(places["province_short_names"]) <= provinces
	assert set(places["city_weights"]) | set(places["area_codes"]) <= cities


def test_deals_use_the_apps_lost_reasons_and_payment_methods():
	pipeline, phrases = read("pipeline"), read("phrases")
	for reasons in (
		pipeline["lost_reason_weights"],
		phrases["lost_reason_details"],
		phrases["deal_summaries"]["lost_by_reason"],
	):
		assert set(reasons) <= set(LOST_REASONS)
	methods = {method for by_size in pipeline["payment_methods"].values() for method in by_size}
	assert methods <= options("CRM Payment", "payment_method")
	assert set(pipeline["reference_digits"]) == methods
	assert set(phrases["opportunity_titles"]) == options("CRM Product", "product_type")


def test_leads_answer_as_crm_lead_asks():
	leads = read("leads")
	statuses = options("CRM Lead", "status")
	assert set(leads["owned_statuses"]) | set(leads["pool_statuses"]) <= statuses
	assert set(leads["channel_weights"]) | set(leads["online_channels"]) <= set(SOURCE_CHANNELS)
	for dimension, fieldname in BANT_FIELDS.items():
		assert set(leads["bant_options"][dimension]) == options("CRM Lead", fieldname), dimension
		assert leads["disqualifying"][dimension] in leads["bant_options"][dimension]
	assert {authority for _title, authority, _weight in leads["titles"]} <= set(
		leads["bant_options"]["Authority"]
	)


def test_demo_users_have_the_apps_roles():
	assert {role for user in DEMO_USERS for role in user.roles} <= set(ROLES)


def test_tickets_use_crm_tickets_choices():
	tickets = read("tickets")
	product_types = options("CRM Ticket", "product_type")
	statuses = checks.app_doctypes()["CRM Ticket"].field("status")["options"].split("\n")
	assert statuses == [NEW, IN_PROGRESS, WAITING, RESOLVED, CLOSED]
	assert WAITING_REASON in options("CRM Ticket Pause", "reason")
	assert (
		set(tickets["channels"])
		== set(tickets["general"])
		== set(tickets["product_type_odds"])
		== product_types
	)
	for weights in tickets["channels"].values():
		assert set(weights) <= options("CRM Ticket", "channel")
	assert set(tickets["priorities"]) == options("CRM Ticket", "priority") == set(PRIORITIES)
	problems = [
		problem for rows in (*tickets["problems"].values(), *tickets["general"].values()) for problem in rows
	]
	assert {problem["priority"] for problem in problems} <= set(PRIORITIES)
	assert all(problem["subject"] and problem["description"] and problem["solution"] for problem in problems)
	assert set(tickets["problems"]) <= {product.code for product in DEMO_PRODUCTS}
	for kind in ("on_time", "late"):
		assert {int(score) for score in tickets["satisfaction"][kind]} == set(range(1, 11))


def test_service_teams_route_by_crm_service_teams_choices():
	for team in DEMO_SERVICE_TEAMS:
		assert team.assignment in options("CRM Service Team", "assignment"), team.name
		assert team.product_type is None or team.product_type in options("CRM Service Team", "product_type")
		assert team.channel is None or team.channel in options("CRM Service Team", "channel")


def test_articles_fit_crm_knowledge_article():
	for article in DEMO_ARTICLES:
		assert article.category in KNOWLEDGE_CATEGORIES, article.title
		assert article.product_type in options("CRM Knowledge Article", "product_type") | {""}, article.title
		assert article.visibility in options("CRM Knowledge Article", "visibility"), article.title
	assert {article.category for article in DEMO_ARTICLES} == set(KNOWLEDGE_CATEGORIES)
	assert {article.product_type for article in DEMO_ARTICLES} >= options(
		"CRM Knowledge Article", "product_type"
	)
