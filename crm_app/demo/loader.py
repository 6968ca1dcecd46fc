"""Writes demo data into a site: demo sales and service users, sales and service teams, products and knowledge
articles, then customers with contacts, interactions, open follow-ups, their sales pipeline (opportunities,
quotations, contracts, orders, payments) and their tickets, then leads, in chunks of set-based inserts
(`crm_app.bulk.insert_values`).

Bulk inserts skip naming, validation and hooks, so this module does their work itself:
- names come from the same naming series the desk uses, reserved a block at a time in `tabSeries` (so a
  record created in the desk meanwhile or afterwards takes the next free number);
- the generator gives values already normalized, unique and priced as the controllers price them, and a sample
  of every chunk is checked with the app's own rules (normalizers, pricing, payment status, BANT score, stage
  gates) before it is written;
- the fields controllers keep (name_key, pinyin_key, completeness, interaction summaries, last_activity_at, paid
  and outstanding amounts, the open follow-up ToDo with the record's `_assign`, a ticket's deadlines and SLA status
  from the service clock, and the ToDo its team's assignment rule leaves for its agent) are filled in the same
  pass;
- the customers' search keys are written once they are all in, sorted (`customers.search.index_many`), and the
  knowledge index of the new articles at once (`service.knowledge.index_articles`).

Service teams are inserted through their controller, which makes their assignment rules; tickets are routed as the
site routes a new ticket (`service.tickets.route`, once per product type and channel) and written in bulk, so no
rule deals them out again.

Loading again adds more customers, tickets and leads: existing demo users, teams, products and articles are
reused, and the values already on the site are kept out of the new data.
"""

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import cint, now_datetime

from crm_app.analytics.product_sales import recount_customers
from crm_app.bulk import SeriesBlock, autoname_series, insert_values
from crm_app.customers.search import index_many
from crm_app.demo.catalogue import (
	B2B,
	BANT_FIELDS,
	DEMO_ARTICLES,
	DEMO_PRODUCTS,
	LEAD_SHARE,
	PROFILES,
	RETAIL,
	RETAIL_PRODUCTS,
	Product,
	Stage,
	read,
)
from crm_app.demo.generator import (
	DEMO_SERVICE_TEAMS,
	DEMO_TEAMS,
	DEMO_USERS,
	DemoContext,
	Taken,
	demo_email,
)
from crm_app.demo.marketing import ensure_demo_marketing, grant_demo_consent, issue_demo_coupons
from crm_app.demo.retail import BIG_SPENDER, CHURNER, RetailGenerator
from crm_app.demo.service import ServiceGenerator
from crm_app.domain.completeness import completeness
from crm_app.domain.email import normalize_email
from crm_app.domain.money import payment_status, price_deal, to_fen
from crm_app.domain.phone import normalize_mobile, normalize_phone
from crm_app.domain.regions import normalize_region
from crm_app.domain.scoring import bant_score
from crm_app.domain.sla import AT_RISK, BREACHED
from crm_app.domain.stages import Facts, gate_applies, unmet_requirements
from crm_app.domain.ticket_status import OPEN_STATUSES
from crm_app.domain.uscc import normalize_uscc
from crm_app.follow_ups import FOLLOW_UP_FIELD
from crm_app.install import insert_if_missing
from crm_app.sales_pipeline.doctype.crm_sales_stage.crm_sales_stage import ordered_stages
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import bant_weights, get_settings
from crm_app.service.doctype.crm_service_team.crm_service_team import rule_name
from crm_app.service.knowledge import index_articles
from crm_app.service.sla import deadlines, default_service_level, load_service_level
from crm_app.service.tickets import route

CUSTOMER = "CRM Customer"
CONTACT = "CRM Customer Contact"
INTERACTION = "CRM Interaction"
TEAM = "CRM Sales Team"
PRODUCT = "CRM Product"
LEAD = "CRM Lead"
OPPORTUNITY = "CRM Opportunity"
STAGE_LOG = "CRM Opportunity Stage Log"
QUOTATION = "CRM Quotation"
DEAL_ITEM = "CRM Deal Item"
CONTRACT = "CRM Contract"
SALES_ORDER = "CRM Sales Order"
PAYMENT_PLAN = "CRM Payment Plan"
PAYMENT = "CRM Payment"
SERVICE_TEAM = "CRM Service Team"
TICKET = "CRM Ticket"
TICKET_PAUSE = "CRM Ticket Pause"
ARTICLE = "CRM Knowledge Article"
SERVICE_AGENT = "CRM Service Agent"

OWNER_FIELDS = {CUSTOMER: "sales_owner", LEAD: "lead_owner", OPPORTUNITY: "opportunity_owner"}
STANDARD = ("name", "creation", "modified", "owner", "modified_by")
CHILD = (*STANDARD, "docstatus", "idx", "parent", "parenttype", "parentfield")
CUSTOMER_FIELDS = (
	*STANDARD,
	"naming_series",
	"customer_name",
	"customer_type",
	"uscc",
	"sales_owner",
	"owner_since",
	"tier",
	"source_channel",
	"industry",
	"mobile_no",
	"phone",
	"email_id",
	"wechat_id",
	"province",
	"city",
	"district",
	"address_line",
	"remarks",
	"name_key",
	"pinyin_key",
	"interaction_count",
	"last_interaction_at",
	"next_follow_up_date",
	"completeness",
	"_assign",
)
CONTACT_VALUES = (
	"contact_name",
	"decision_role",
	"job_title",
	"mobile_no",
	"email_id",
	"wechat_id",
	"is_primary",
)
CONTACT_FIELDS = (*CHILD, *CONTACT_VALUES)
INTERACTION_FIELDS = (
	*STANDARD,
	"customer",
	"customer_name",
	"customer_owner",
	"lead",
	"opportunity",
	"interaction_type",
	"interaction_time",
	"contact_name",
	"next_follow_up_date",
	"summary",
)
TODO_FIELDS = (
	*STANDARD,
	"status",
	"priority",
	"date",
	"allocated_to",
	"description",
	"reference_type",
	"reference_name",
	"assigned_by",
	"assigned_by_full_name",
	"assignment_rule",
)
LEAD_FIELDS = (
	*STANDARD,
	"lead_name",
	"company_name",
	"job_title",
	"status",
	"lead_owner",
	"owner_since",
	"source_channel",
	"industry",
	"score",
	"mobile_no",
	"email_id",
	"wechat_id",
	"uscc",
	"province",
	"city",
	"district",
	*BANT_FIELDS.values(),
	"inquiry",
	"interaction_count",
	"last_interaction_at",
	"next_follow_up_date",
	"_assign",
)
OPPORTUNITY_FIELDS = (
	*STANDARD,
	"opportunity_name",
	"customer",
	"customer_name",
	"contact_name",
	"opportunity_owner",
	"owner_since",
	"stage",
	"status",
	"amount",
	"currency",
	"probability",
	"expected_close_date",
	"lost_reason",
	"lost_reason_detail",
	"stage_changed_at",
	"furthest_stage",
	"last_activity_at",
	"description",
	"_assign",
)
STAGE_LOG_FIELDS = (*CHILD, "from_stage", "to_stage", "changed_at", "changed_by", "time_in_previous_stage")
TOTALS = ("total", "discount_amount", "net_total", "tax_rate", "tax_amount", "grand_total")
QUOTATION_FIELDS = (
	*STANDARD,
	"docstatus",
	"customer",
	"customer_name",
	"opportunity",
	"sales_owner",
	"transaction_date",
	"valid_till",
	"currency",
	*TOTALS,
	"max_discount_percent",
	"needs_approval",
	"workflow_state",
)
DEAL_ITEM_FIELDS = (
	*CHILD,
	"product",
	"product_name",
	"unit",
	"qty",
	"list_price",
	"discount_percent",
	"rate",
	"amount",
)
CONTRACT_FIELDS = (
	*STANDARD,
	"contract_title",
	"customer",
	"customer_name",
	"quotation",
	"opportunity",
	"sales_owner",
	"signing_status",
	"contract_amount",
	"currency",
	"signed_date",
	"start_date",
	"end_date",
)
SALES_ORDER_FIELDS = (
	*STANDARD,
	"docstatus",
	"customer",
	"customer_name",
	"contract",
	"quotation",
	"opportunity",
	"sales_owner",
	"transaction_date",
	"delivery_date",
	"currency",
	"shipping_address",
	*TOTALS,
	"delivery_status",
	"shipped_at",
	"received_at",
	"paid_amount",
	"outstanding_amount",
	"payment_status",
)
PAYMENT_PLAN_FIELDS = (*CHILD, "due_date", "amount", "is_deposit", "note")
PAYMENT_FIELDS = (
	*STANDARD,
	"docstatus",
	"sales_order",
	"customer",
	"customer_name",
	"sales_owner",
	"payment_date",
	"amount",
	"currency",
	"is_deposit",
	"payment_method",
	"reference_no",
	"remarks",
)
TICKET_FIELDS = (
	*STANDARD,
	"subject",
	"customer",
	"customer_name",
	"contact_name",
	"raised_by",
	"status",
	"priority",
	"channel",
	"product",
	"product_type",
	"description",
	"resolution",
	"service_team",
	"agent",
	"service_level",
	"sla_status",
	"opened_on",
	"first_responded_on",
	"resolved_on",
	"response_by",
	"resolution_by",
	"response_minutes",
	"resolution_minutes",
	"escalated_level",
	"satisfaction",
	"feedback",
	"_assign",
)
PAUSE_FIELDS = (*CHILD, "paused_at", "resumed_at", "reason")
ARTICLE_FIELDS = (*STANDARD, "title", "category", "product_type", "visibility", "published", "body")
CHILD_NAME_LENGTH = 16  # random hex; Frappe's own 10 would collide now and then over millions of rows
SAMPLE_PER_CHUNK = 25
SCALE_SAMPLE = 2000


@dataclass
class LoadResult:
	"""What a load added. A retail load (crm_app/demo/retail.py) also names what it planted for the analytics:
	`planted_pair` is (milk powder, wipes), the codes, which are also the CRM Product names, of the two products
	bought together far more often than chance (None when either is disabled on the site); `planted_churners` the
	customers who ordered on a steady rhythm of 30-45 days, at least 4 times, and stopped 2 to 6 intervals ago;
	`planted_big_spenders` those who order every week or few and buy 5-10 times as much as anyone else."""

	customers: int = 0
	contacts: int = 0
	interactions: int = 0
	follow_ups: int = 0
	leads: int = 0
	opportunities: int = 0
	quotations: int = 0
	contracts: int = 0
	sales_orders: int = 0
	order_lines: int = 0
	payments: int = 0
	tickets: int = 0
	open_tickets: int = 0
	consents: int = 0
	coupons: int = 0
	users_created: list[str] = field(default_factory=list)
	teams_created: list[str] = field(default_factory=list)
	service_teams_created: list[str] = field(default_factory=list)
	products_created: list[str] = field(default_factory=list)
	articles_created: list[str] = field(default_factory=list)
	marketing_created: list[str] = field(default_factory=list)
	first_customer: str | None = None
	last_customer: str | None = None
	customer_names: list[str] = field(default_factory=list)
	lead_names: list[str] = field(default_factory=list)
	ticket_names: list[str] = field(default_factory=list)
	planted_pair: tuple[str, str] | None = None
	planted_churners: list[str] = field(default_factory=list)
	planted_big_spenders: list[str] = field(default_factory=list)
	seed: int | None = None
	seconds: float = 0.0

	def pipeline_summary(self) -> str:
		return (
			f"{self.leads:,} leads, {self.opportunities:,} opportunities, {self.quotations:,} quotations, "
			f"{self.contracts:,} contracts, {self.sales_orders:,} sales orders and {self.payments:,} payments"
		)


def customer_series() -> str:
	naming_series = frappe.get_meta(CUSTOMER).get_field("naming_series")
	return naming_series.default or naming_series.options.split("\n")[0]


def ensure_demo_users(password: str | None = None) -> list[str]:
	"""Create the demo sales organisation's users that do not exist yet; existing ones are left as they are."""
	created = []
	for user in DEMO_USERS:
		if frappe.db.exists("User", user.email):
			continue
		doc = frappe.get_doc(
			{
				"doctype": "User",
				"email": user.email,
				"first_name": user.full_name,
				"language": "zh",
				"user_type": "System User",
				"send_welcome_email": 0,
				"roles": [{"role": role} for role in user.roles],
			}
		)
		if password:
			doc.new_password = password
		doc.insert(ignore_permissions=True)
		created.append(user.email)
	return created


def ensure_demo_teams() -> list[str]:
	"""Create the demo team tree (销售总部 > 华东大区 > 上海组 ...) where a team of that name does not exist."""
	return [
		team.name
		for team in DEMO_TEAMS
		if insert_if_missing(
			TEAM,
			team.name,
			{
				"team_name": team.name,
				"parent_crm_sales_team": team.parent,
				"is_group": team.is_group,
				"manager": demo_email(team.manager) if team.manager else None,
				"members": [{"user": demo_email(member)} for member in team.members],
			},
		)
	]


def ensure_demo_service_teams() -> list[str]:
	"""Create the demo service teams where a team of that name does not exist; saving one makes its assignment
	rule."""
	return [
		team.name
		for team in DEMO_SERVICE_TEAMS
		if insert_if_missing(
			SERVICE_TEAM,
			team.name,
			{
				"team_name": team.name,
				"manager": demo_email(team.manager) if team.manager else None,
				"assignment": team.assignment,
				"members": [{"user": demo_email(member)} for member in team.members],
				"product_type": team.product_type,
				"channel": team.channel,
			},
		)
	]


def ensure_demo_articles() -> list[str]:
	"""Insert the demo knowledge articles whose titles the site does not have, in one statement, written by the
	demo service manager, and index them at once; existing ones (perhaps edited since) are left as they are."""
	existing = set(
		frappe.get_all(ARTICLE, filters={"title": ("in", [a.title for a in DEMO_ARTICLES])}, pluck="title")
	)
	articles = [article for article in DEMO_ARTICLES if article.title not in existing]
	if not articles:
		return []
	categories = set(frappe.get_all("CRM Knowledge Category", pluck="name"))
	writer = next(
		(
			email
			for team in DEMO_SERVICE_TEAMS
			if team.manager and frappe.db.exists("User", email := demo_email(team.manager))
		),
		"Administrator",
	)
	now = now_datetime()
	names = SeriesBlock(autoname_series(ARTICLE), ARTICLE).reserve(len(articles))
	rows = [
		{
			"name": name,
			"creation": now,
			"modified": now,
			"owner": writer,
			"modified_by": writer,
			"title": article.title,
			"category": article.category if article.category in categories else None,
			"product_type": article.product_type,
			"visibility": article.visibility,
			"published": int(article.published),
			"body": article.body,
		}
		for name, article in zip(names, articles, strict=True)
	]
	insert_values(ARTICLE, ARTICLE_FIELDS, values(ARTICLE_FIELDS, rows))
	index_articles(names)
	return names


def ensure_demo_products(catalogue: tuple[Product, ...] = DEMO_PRODUCTS) -> list[str]:
	"""Insert the catalogue's products that do not exist yet, through the normal API; existing ones (perhaps
	edited by an admin since) are reused as they are."""
	return [
		product.code
		for product in catalogue
		if insert_if_missing(
			PRODUCT,
			product.code,
			{
				"product_code": product.code,
				"product_name": product.name,
				"product_type": product.product_type,
				"list_price": product.list_price,
				"unit": product.unit,
				"replacement_cycle_days": product.replacement_cycle_days,
				"description": product.description,
			},
		)
	]


def ensure_demo_company_details() -> None:
	"""The seller printed on quotations, unless the site already names its own company."""
	settings = frappe.get_single("CRM Settings")
	if not settings.company_name:
		settings.update(read("organisation")["seller"])
		settings.save(ignore_permissions=True)


def demo_products(catalogue: tuple[Product, ...]) -> tuple[Product, ...]:
	"""The catalogue's enabled products as they are on the site, with the industries that buy them."""
	rows = {
		row.name: row
		for row in frappe.get_all(
			PRODUCT,
			filters={"name": ("in", [product.code for product in catalogue]), "disabled": 0},
			fields=["name", "product_name", "product_type", "list_price", "unit", "replacement_cycle_days"],
		)
	}
	return tuple(
		Product(
			code=product.code,
			name=row.product_name,
			product_type=row.product_type,
			list_price=to_fen(row.list_price),
			unit=row.unit,
			replacement_cycle_days=row.replacement_cycle_days,
			industries=product.industries,
		)
		for product in catalogue
		if (row := rows.get(product.code))
	)


def sales_stages() -> tuple[Stage, ...]:
	stages = []
	for row in ordered_stages():
		doc = frappe.get_cached_doc("CRM Sales Stage", row.name)
		stages.append(
			Stage(
				name=row.name,
				order=cint(row.stage_order),
				probability=row.probability or 0,
				is_won=bool(row.is_won),
				is_lost=bool(row.is_lost),
				max_idle_days=cint(row.max_idle_days),
				requirements=tuple(
					(r.requirement_type, r.fieldname, r.document_type, bool(r.submitted_only))
					for r in doc.requirements
				),
			)
		)
	return tuple(stages)


def demo_owners() -> dict[str, tuple[str, float]]:
	"""Enabled demo users who own customers -> (sales region, weight)."""
	enabled = set(
		frappe.get_all(
			"User", filters={"name": ("in", [u.email for u in DEMO_USERS]), "enabled": 1}, pluck="name"
		)
	)
	return {
		user.email: (user.region, user.weight) for user in DEMO_USERS if user.weight and user.email in enabled
	}


def service_desk() -> dict:
	"""The service desk as it stands on the site, for DemoContext: service levels, where each product type and
	channel is routed (the team's service level, else the default one), the agents of the teams routed to, and the
	enabled demo agents, who take tickets from the general queue."""
	meta = frappe.get_meta(TICKET)
	product_types = [option for option in meta.get_field("product_type").options.split("\n") if option]
	channels = [option for option in meta.get_field("channel").options.split("\n") if option]
	default = default_service_level()
	routes = {}
	for product_type in product_types:
		for channel in channels:
			team = route(frappe._dict(product_type=product_type, channel=channel))
			level = (frappe.db.get_value(SERVICE_TEAM, team, "service_level") if team else None) or default
			if level:
				routes[(product_type, channel)] = (team, level)
	teams = {team for team, _level in routes.values() if team}
	members = frappe.get_all(
		"CRM Service Team Member",
		filters={"parenttype": SERVICE_TEAM, "parent": ("in", list(teams))},
		fields=["parent", "user"],
		order_by="parent, idx",
	)
	demo_agents = [user.email for user in DEMO_USERS if SERVICE_AGENT in user.roles]
	enabled = set(
		frappe.get_all(
			"User",
			filters={"name": ("in", [row.user for row in members] + demo_agents), "enabled": 1},
			pluck="name",
		)
	)
	team_agents = {}
	for row in members:
		if row.user in enabled:
			team_agents.setdefault(row.parent, []).append(row.user)
	return {
		"service_levels": {level: load_service_level(level) for _team, level in routes.values()},
		"ticket_routes": routes,
		"team_agents": {team: tuple(agents) for team, agents in team_agents.items()},
		"queue_agents": tuple(agent for agent in demo_agents if agent in enabled),
	}


def taken_values() -> Taken:
	"""What the site already has, so that new demo values never hit a unique index (or look like a duplicate).
	Leads and customers share mobiles, e-mails and credit codes: a lead may not have a customer's."""

	def column(doctype: str, fieldname: str) -> set[str]:
		return set(
			frappe.db.sql_list(
				f"select `{fieldname}` from `tab{doctype}` where ifnull(`{fieldname}`, '') != ''"
			)
		)

	return Taken(
		mobiles=column(CUSTOMER, "mobile_no") | column(CONTACT, "mobile_no") | column(LEAD, "mobile_no"),
		emails=column(CUSTOMER, "email_id") | column(CONTACT, "email_id") | column(LEAD, "email_id"),
		usccs=column(CUSTOMER, "uscc") | column(LEAD, "uscc"),
		name_keys=column(CUSTOMER, "name_key"),
	)


def opportunity_scale(context: DemoContext, customers: int, opportunities: int, seed: int) -> float:
	"""The scale that gives `customers` customers about `opportunities` deals, from the usual number per customer
	in a sample generated and thrown away."""
	sample = list(ServiceGenerator(context, seed=seed, taken=Taken()).customers(SCALE_SAMPLE))
	usual = sum(len(customer["opportunities"]) for customer in sample) / len(sample)
	return opportunities / customers / usual if usual and customers else 1.0


def demo_context(catalogue: tuple[Product, ...] = DEMO_PRODUCTS) -> DemoContext:
	settings = get_settings()
	return DemoContext(
		now=now_datetime().replace(microsecond=0),
		channels=tuple(frappe.get_all("CRM Channel", pluck="name", order_by="name")),
		industries=tuple(frappe.get_all("CRM Industry", pluck="name", order_by="name")),
		owners=demo_owners(),
		pool_return_days=cint(settings.pool_return_days) or 30,
		products=demo_products(catalogue),
		stages=sales_stages(),
		lost_reasons=tuple(frappe.get_all("CRM Lost Reason", pluck="name", order_by="name")),
		bant_weights=bant_weights(),
		bant_options={
			dimension: tuple((frappe.get_meta(LEAD).get_field(fieldname).options or "").split("\n"))
			for dimension, fieldname in BANT_FIELDS.items()
		},
		tax_rate=to_fen(settings.default_tax_rate if settings.default_tax_rate is not None else 13),
		discount_threshold=to_fen(settings.quotation_discount_threshold),
		**service_desk(),
	)


# -- checks of the generated data with the app's own rules


def check_identifiers(record: dict, label: str) -> None:
	region = normalize_region(record["province"], record["city"], record["district"])
	expected = {
		"mobile_no": normalize_mobile(record["mobile_no"]),
		"email_id": normalize_email(record["email_id"]),
		"uscc": normalize_uscc(record["uscc"]),
		"province": region.province,
		"city": region.city,
		"district": region.district,
	}
	if "phone" in record:
		expected["phone"] = normalize_phone(record["phone"])
	for fieldname, value in expected.items():
		if record[fieldname] != value:
			raise ValueError(f"demo {label} {fieldname} {record[fieldname]!r} is stored as {value!r}")


def check_sample(customers: list[dict]) -> None:
	"""The generator promises stored-form values; hold it to that with the app's own rules."""
	for customer in customers:
		check_identifiers(customer, "customer")
		names = {contact["contact_name"] for contact in customer["contacts"]}
		for contact in customer["contacts"]:
			if contact["mobile_no"] != normalize_mobile(contact["mobile_no"]):
				raise ValueError(f"demo contact mobile {contact['mobile_no']!r} is not in E.164")
		for row in customer["interactions"]:
			if row["contact_name"] and row["contact_name"] not in names:
				raise ValueError(f"{row['contact_name']} is not a contact of {customer['customer_name']}")
			if row["next_follow_up_date"] and row["next_follow_up_date"] < row["interaction_time"].date():
				raise ValueError("a next follow-up date is earlier than its interaction")
		for deal in customer["opportunities"]:
			check_deal(customer, deal)


def check_deal(customer: dict, deal: dict) -> None:
	"""Stage, status and history as CRMOpportunity.enter_stage leaves them, every stage gate met when the deal
	entered the stage, and documents priced and paid as their controllers compute."""
	stage = frappe.get_cached_doc("CRM Sales Stage", deal["stage"])
	status = "Won" if stage.is_won else "Lost" if stage.is_lost else "Open"
	if (deal["status"], deal["probability"]) != (status, stage.probability):
		raise ValueError(f"deal at {stage.name} is {deal['status']} with {deal['probability']}%")
	if status == "Lost" and not deal["lost_reason"]:
		raise ValueError("a lost deal has no lost reason")
	if deal["opportunity_owner"] != customer["sales_owner"]:
		raise ValueError("a deal's owner is not its customer's")
	history = deal["stage_history"]
	if history[-1]["to_stage"] != deal["stage"] or history[-1]["changed_at"] != deal["stage_changed_at"]:
		raise ValueError("the stage history does not end at the deal's stage")
	if history[0]["changed_at"] != deal["creation"] or deal["creation"] < customer["creation"]:
		raise ValueError("the stage history does not start when the deal was created")
	previous = None
	for row in history:
		entered = frappe.get_cached_doc("CRM Sales Stage", row["to_stage"])
		if previous:
			if row["from_stage"] != previous["to_stage"] or row["changed_at"] <= previous["changed_at"]:
				raise ValueError("stage history rows do not follow each other")
			seconds = (row["changed_at"] - previous["changed_at"]).total_seconds()
			if row["time_in_previous_stage"] != seconds:
				raise ValueError("time in the previous stage does not match the history")
		before = frappe.get_cached_doc("CRM Sales Stage", previous["to_stage"]) if previous else None
		if gate_applies(before.stage_order if before else None, entered.stage_order, entered.is_won):
			unmet = unmet_requirements(
				entered.as_requirements(), deal_facts(deal, row["changed_at"], previous)
			)
			if unmet:
				raise ValueError(f"a demo deal entered {entered.name} without {unmet}")
		previous = row
	for document in [*deal["quotations"], deal["order"]]:
		if document:
			check_totals(document)
	if deal["contract"] and deal["contract"]["contract_amount"] != deal["quotations"][-1]["grand_total"]:
		raise ValueError("a contract's amount is not its quotation's total")
	if deal["order"]:
		check_payments(deal["order"])


def deal_facts(deal: dict, moment: datetime, previous: dict | None) -> Facts:
	"""What CRMOpportunity.gate_facts would have found when the deal entered a stage at `moment`."""
	facts = Facts(
		filled_fields={key for key, value in deal.items() if value and not isinstance(value, list | dict)}
	)
	if previous is None:  # a new document: only its own fields count
		return facts
	quotations = [q for q in deal["quotations"] if q["creation"] <= moment]
	facts.documents[QUOTATION] = len(quotations)
	facts.submitted_documents[QUOTATION] = sum(
		q["docstatus"] == 1 and q["modified"] <= moment for q in quotations
	)
	contract, order = deal["contract"], deal["order"]
	facts.documents[CONTRACT] = int(bool(contract and contract["creation"] <= moment))
	facts.submitted_documents[CONTRACT] = int(bool(contract and contract["modified"] <= moment))
	facts.documents[SALES_ORDER] = facts.submitted_documents[SALES_ORDER] = int(
		bool(order and order["creation"] <= moment)
	)
	return facts


def check_totals(document: dict) -> None:
	totals = price_deal(
		[(line["qty"], line["list_price"], line["discount_percent"]) for line in document["items"]],
		document["tax_rate"],
	)
	for line, priced in zip(document["items"], totals.lines, strict=True):
		if (line["rate"], line["amount"]) != (priced.rate, priced.amount):
			raise ValueError(f"a demo line of {line['product']} is not priced as the app prices it")
	for fieldname in TOTALS[:3] + TOTALS[4:]:
		if document[fieldname] != getattr(totals, fieldname):
			raise ValueError(f"a demo document's {fieldname} is not what the app computes")


def check_payments(order: dict) -> None:
	paid = sum((payment["amount"] for payment in order["payments"]), to_fen(0))
	deposit = any(payment["is_deposit"] for payment in order["payments"])
	if paid > order["grand_total"] or any(payment["amount"] <= 0 for payment in order["payments"]):
		raise ValueError("demo payments exceed the order total")
	if (order["paid_amount"], order["outstanding_amount"], order["payment_status"]) != (
		paid,
		order["grand_total"] - paid,
		payment_status(order["grand_total"], paid, deposit),
	):
		raise ValueError("a demo order's payment figures are not what refresh_payments computes")
	if order["payment_plan"] and sum(row["amount"] for row in order["payment_plan"]) != order["grand_total"]:
		raise ValueError("a demo payment plan does not add up to the order total")


def check_retail_sample(customers: list[dict]) -> None:
	"""Members as check_sample holds customers, and their counter sales priced and paid as the controllers
	compute."""
	check_sample(customers)
	for customer in customers:
		for order in customer["orders"]:
			check_totals(order)
			check_payments(order)


def check_ticket_sample(tickets: list[dict], context: DemoContext) -> None:
	"""Options the ticket's fields have, routing as the site routes, and a story in order."""
	meta = frappe.get_meta(TICKET)
	for ticket in tickets:
		for fieldname in ("status", "priority", "channel", "product_type"):
			if ticket[fieldname] not in meta.get_field(fieldname).options.split("\n"):
				raise ValueError(f"{ticket[fieldname]!r} is not an option of the ticket's {fieldname}")
		team, level = context.ticket_routes[(ticket["product_type"], ticket["channel"])]
		if (ticket["service_team"], ticket["service_level"]) != (team, level):
			raise ValueError("a demo ticket is not routed as the site routes it")
		if team in context.team_agents and ticket["agent"] not in context.team_agents[team]:
			raise ValueError("a demo ticket's agent is not an agent of its team")
		moments = [ticket["opened_on"], ticket["first_responded_on"]]
		for pause in ticket["pauses"]:
			moments += [pause["paused_at"], pause["resumed_at"]]
		moments.append(ticket["resolved_on"])
		known = [moment for moment in moments if moment]
		if known != sorted(known) or known[-1] > context.now:
			raise ValueError("a demo ticket's story is out of order")
		if (ticket["status"] in OPEN_STATUSES) == bool(ticket["resolved_on"]):
			raise ValueError(f"a demo ticket is {ticket['status']} with resolved_on {ticket['resolved_on']}")
		if ticket["satisfaction"] is not None and not (
			ticket["resolved_on"] and 1 <= ticket["satisfaction"] <= 10
		):
			raise ValueError("a demo ticket's satisfaction is not a score of a resolved ticket")


def check_lead_sample(leads: list[dict]) -> None:
	meta = frappe.get_meta(LEAD)
	weights = bant_weights()
	for lead in leads:
		check_identifiers(lead, "lead")
		for fieldname in ("status", *BANT_FIELDS.values()):
			if lead[fieldname] and lead[fieldname] not in meta.get_field(fieldname).options.split("\n"):
				raise ValueError(f"{lead[fieldname]!r} is not an option of the lead's {fieldname}")
		answers = {dimension: lead[fieldname] for dimension, fieldname in BANT_FIELDS.items()}
		if lead["score"] != bant_score(answers, weights):
			raise ValueError("a demo lead's score is not its BANT score")
		if not (lead["mobile_no"] or lead["email_id"]):
			raise ValueError("a demo lead has neither mobile nor e-mail")


# -- writing


def child_name() -> str:
	return frappe.generate_hash(length=CHILD_NAME_LENGTH)


def values(fields: tuple[str, ...], records: list[dict]) -> list[tuple]:
	return [tuple(record.get(fieldname) for fieldname in fields) for record in records]


def child_rows(
	parent: dict, parenttype: str, parentfield: str, rows: list[dict], docstatus: int = 0
) -> list[dict]:
	"""Rows of a child table as Frappe saves them: created with the parent, modified by its last save."""
	return [
		{
			**row,
			"name": child_name(),
			"creation": parent["creation"],
			"modified": parent["modified"],
			"owner": parent["owner"],
			"modified_by": parent["modified_by"],
			"docstatus": docstatus,
			"idx": idx,
			"parent": parent["name"],
			"parenttype": parenttype,
			"parentfield": parentfield,
		}
		for idx, row in enumerate(rows, start=1)
	]


class ChunkWriter:
	def __init__(self, full_names: dict[str, str], now: datetime):
		self.customer_series = customer_series()
		self.customer_names = SeriesBlock(self.customer_series, CUSTOMER)
		self.interaction_names = SeriesBlock(autoname_series(INTERACTION), INTERACTION)
		self.series = {
			doctype: SeriesBlock(autoname_series(doctype), doctype)
			for doctype in (LEAD, OPPORTUNITY, QUOTATION, CONTRACT, SALES_ORDER, PAYMENT, TICKET)
		}
		self.full_names = full_names
		self.now = now
		# what each team's assignment rule writes on the ToDo it gives an agent (a team without agents has its
		# rule disabled)
		self.rule_descriptions = dict(
			frappe.get_all(
				"Assignment Rule",
				filters={"document_type": TICKET, "disabled": 0},
				fields=["name", "description"],
				as_list=True,
			)
		)
		# the link from a follow-up to the interaction that planned it, on sites that have it
		self.todo_fields = TODO_FIELDS + (
			(FOLLOW_UP_FIELD,) if frappe.get_meta("ToDo").has_field(FOLLOW_UP_FIELD) else ()
		)

	def write(self, customers: list[dict], result: LoadResult) -> None:
		names = self.customer_names.reserve(len(customers))
		for name, customer in zip(names, customers, strict=True):
			customer["name"] = name
		deals = [deal for customer in customers for deal in customer["opportunities"]]
		quotations = [quotation for deal in deals for quotation in deal["quotations"]]
		contracts = [deal["contract"] for deal in deals if deal["contract"]]
		# a retail member's orders come without a deal
		orders = [deal["order"] for deal in deals if deal["order"]] + [
			order for customer in customers for order in customer.get("orders", ())
		]
		payments = [payment for order in orders for payment in order["payments"]]
		tickets = [ticket for customer in customers for ticket in customer["tickets"]]
		for doctype, records in (
			(OPPORTUNITY, deals),
			(QUOTATION, quotations),
			(CONTRACT, contracts),
			(SALES_ORDER, orders),
			(PAYMENT, payments),
			(TICKET, tickets),
		):
			self.series[doctype].name(records)
		interaction_names = iter(
			self.interaction_names.reserve(sum(len(c["interactions"]) for c in customers))
		)
		for customer in customers:
			for interaction in customer["interactions"]:
				interaction["name"] = next(interaction_names)

		rows = {
			doctype: []
			for doctype in (
				CUSTOMER,
				CONTACT,
				INTERACTION,
				"ToDo",
				OPPORTUNITY,
				STAGE_LOG,
				QUOTATION,
				DEAL_ITEM,
				CONTRACT,
				SALES_ORDER,
				PAYMENT_PLAN,
				PAYMENT,
				TICKET,
				TICKET_PAUSE,
			)
		}
		for customer in customers:
			name = customer["name"]
			creator = customer["sales_owner"] or "Administrator"
			for interaction in customer["interactions"]:
				deal = interaction.get("opportunity")
				logged_by = interaction["owner"] or creator
				rows[INTERACTION].append(
					{
						**interaction,
						"creation": interaction["interaction_time"],
						"modified": interaction["interaction_time"],
						"owner": logged_by,
						"modified_by": logged_by,
						"customer": name,
						"customer_name": customer["customer_name"],
						"customer_owner": customer["sales_owner"],
						"opportunity": deal["name"] if deal else None,
					}
				)
			rows["ToDo"] += self.follow_ups(
				customer["interactions"],
				lambda row, customer=customer: (
					(OPPORTUNITY, row["opportunity"]) if row.get("opportunity") else (CUSTOMER, customer)
				),
			)
			customer.update(
				owner=creator,
				modified_by=customer["interactions"][-1]["owner"] if customer["interactions"] else creator,
				naming_series=self.customer_series,
				completeness=completeness(customer),
			)
			customer.setdefault("_assign", None)
			rows[CUSTOMER].append(customer)
			rows[CONTACT] += child_rows(
				{**customer, "modified": customer["creation"], "modified_by": creator},
				CUSTOMER,
				"contacts",
				customer["contacts"],
			)
			for deal in customer["opportunities"]:
				self.add_deal(rows, customer, deal)
			for order in customer.get("orders", ()):
				self.add_order(rows, customer, order, {"customer": name})
			for ticket in customer["tickets"]:
				self.add_ticket(rows, customer, ticket)

		for doctype, fields in (
			(CUSTOMER, CUSTOMER_FIELDS),
			(CONTACT, CONTACT_FIELDS),
			(INTERACTION, INTERACTION_FIELDS),
			("ToDo", self.todo_fields),
			(OPPORTUNITY, OPPORTUNITY_FIELDS),
			(STAGE_LOG, STAGE_LOG_FIELDS),
			(QUOTATION, QUOTATION_FIELDS),
			(DEAL_ITEM, DEAL_ITEM_FIELDS),
			(CONTRACT, CONTRACT_FIELDS),
			(SALES_ORDER, SALES_ORDER_FIELDS),
			(PAYMENT_PLAN, PAYMENT_PLAN_FIELDS),
			(PAYMENT, PAYMENT_FIELDS),
			(TICKET, TICKET_FIELDS),
			(TICKET_PAUSE, PAUSE_FIELDS),
		):
			if rows[doctype]:
				insert_values(doctype, fields, values(fields, rows[doctype]))
		result.customers += len(customers)
		result.contacts += len(rows[CONTACT])
		result.interactions += len(rows[INTERACTION])
		result.follow_ups += len(rows["ToDo"])
		result.opportunities += len(deals)
		result.quotations += len(quotations)
		result.contracts += len(contracts)
		result.sales_orders += len(orders)
		result.order_lines += sum(len(order["items"]) for order in orders)
		result.payments += len(payments)
		result.tickets += len(tickets)
		result.open_tickets += sum(ticket["status"] in OPEN_STATUSES for ticket in tickets)
		result.ticket_names += [ticket["name"] for ticket in tickets]
		result.first_customer = result.first_customer or names[0]
		result.last_customer = names[-1]
		result.customer_names += names

	def add_deal(self, rows: dict[str, list], customer: dict, deal: dict) -> None:
		owner = deal["opportunity_owner"]
		deal.update(customer=customer["name"], owner=owner, modified_by=owner)
		deal.setdefault("_assign", None)
		rows[OPPORTUNITY].append(deal)
		rows[STAGE_LOG] += child_rows(deal, OPPORTUNITY, "stage_history", deal["stage_history"])
		links = {"customer": customer["name"], "opportunity": deal["name"]}
		for quotation in deal["quotations"]:
			quotation.update(links, owner=owner)
			rows[QUOTATION].append(quotation)
			rows[DEAL_ITEM] += child_rows(
				quotation, QUOTATION, "items", quotation["items"], quotation["docstatus"]
			)
		quotation = deal["quotations"][-1]["name"] if deal["quotations"] else None
		if contract := deal["contract"]:
			contract.update(links, quotation=quotation, owner=owner, modified_by=owner)
			rows[CONTRACT].append(contract)
		if order := deal["order"]:
			self.add_order(
				rows,
				customer,
				order,
				{**links, "quotation": quotation, "contract": contract and contract["name"]},
			)

	def add_order(self, rows: dict[str, list], customer: dict, order: dict, links: dict) -> None:
		"""A submitted order with its lines, payment plan and payments, all by the order's owner."""
		owner = order["sales_owner"]
		order.update(links, owner=owner, modified_by=owner, docstatus=1)
		rows[SALES_ORDER].append(order)
		rows[DEAL_ITEM] += child_rows(order, SALES_ORDER, "items", order["items"], 1)
		rows[PAYMENT_PLAN] += child_rows(order, SALES_ORDER, "payment_plan", order["payment_plan"], 1)
		for payment in order["payments"]:
			payment.update(
				sales_order=order["name"],
				customer=customer["name"],
				customer_name=customer["customer_name"],
				sales_owner=owner,
				currency=order["currency"],
				modified=payment["creation"],
				owner=owner,
				modified_by=owner,
				docstatus=1,
			)
			rows[PAYMENT].append(payment)

	def add_ticket(self, rows: dict[str, list], customer: dict, ticket: dict) -> None:
		"""The ticket with the deadlines and SLA status its clock gives now, escalated as far as that status (the
		SLA job told the manager when it got there), and, while open, the ToDo its team's rule gave its agent."""
		owner = ticket["owner"] or "Administrator"
		ticket.update(customer=customer["name"], owner=owner, modified_by=ticket["agent"] or owner)
		clock = deadlines(
			ticket["service_level"],
			ticket["priority"],
			ticket["opened_on"],
			[(pause["paused_at"], pause["resumed_at"]) for pause in ticket["pauses"]],
			responded_at=ticket["first_responded_on"],
			resolved_at=ticket["resolved_on"],
			now=self.now,
		)
		is_open = ticket["status"] in OPEN_STATUSES
		escalated = (AT_RISK, BREACHED) if is_open else (BREACHED,)
		ticket.update(
			response_by=clock.response_by,
			resolution_by=clock.resolution_by,
			response_minutes=clock.response_minutes if ticket["first_responded_on"] else 0,
			resolution_minutes=clock.resolution_minutes if ticket["resolved_on"] else 0,
			sla_status=clock.status,
			escalated_level=clock.status if clock.status in escalated else "",
			satisfaction=ticket["satisfaction"] or 0,  # Frappe stores an empty Int as 0
			_assign=None,
		)
		rows[TICKET].append(ticket)
		rows[TICKET_PAUSE] += child_rows(ticket, TICKET, "pauses", ticket["pauses"])
		rule = rule_name(ticket["service_team"]) if ticket["service_team"] else None
		if not (is_open and ticket["agent"] and rule in self.rule_descriptions):
			return
		ticket["_assign"] = json.dumps([ticket["agent"]])
		rows["ToDo"].append(
			{
				"name": child_name(),
				"creation": ticket["opened_on"],
				"modified": ticket["opened_on"],
				"owner": owner,
				"modified_by": owner,
				"status": "Open",
				"priority": "Medium",
				"date": None,
				"allocated_to": ticket["agent"],
				"description": frappe.render_template(self.rule_descriptions[rule] or "", ticket),
				"reference_type": TICKET,
				"reference_name": ticket["name"],
				"assigned_by": owner,
				"assigned_by_full_name": self.full_names.get(owner, owner),
				"assignment_rule": rule,
			}
		)

	def follow_ups(
		self, interactions: list[dict], reference: Callable[[dict], tuple[str, dict]]
	) -> list[dict]:
		"""The open ToDos CRMInteraction.schedule_follow_up leaves, and the `_assign` list it keeps on each record.

		Logging an interaction settles the follow-ups earlier interactions planned on the record it is about (the
		deal, else the customer or the lead) and plans the next, so a record keeps only its latest interaction's;
		its `_assign` becomes the open assignees, `[]` when there are none. Records in the public pool went back
		there for lack of follow-up, which cancelled their follow-ups; a deal won or lost closed its own.
		"""
		latest = {}
		for row in interactions:  # in time order
			doctype, record = reference(row)
			latest[id(record)] = (doctype, record, row)
		todos = []
		for doctype, record, row in latest.values():
			owner = record.get(OWNER_FIELDS[doctype])
			record["_assign"] = "[]"
			if not (owner and row["next_follow_up_date"]) or (
				doctype == OPPORTUNITY and record["status"] != "Open"
			):
				continue
			logged_by = row["owner"] or "Administrator"
			record["_assign"] = json.dumps([owner])
			todos.append(
				{
					"name": child_name(),
					"creation": row["interaction_time"],
					"modified": row["interaction_time"],
					"owner": logged_by,
					"modified_by": logged_by,
					"status": "Open",
					"priority": "Medium",
					"date": row["next_follow_up_date"],
					"allocated_to": owner,
					"description": _("Follow up: {0}").format(row["summary"]),
					"reference_type": doctype,
					"reference_name": record["name"],
					"assigned_by": logged_by,
					"assigned_by_full_name": self.full_names.get(logged_by, logged_by),
					FOLLOW_UP_FIELD: row["name"],
				}
			)
		return todos

	def write_leads(self, leads: list[dict], result: LoadResult) -> None:
		self.series[LEAD].name(leads)
		interaction_names = iter(
			self.interaction_names.reserve(sum(len(lead["interactions"]) for lead in leads))
		)
		for lead in leads:
			for interaction in lead["interactions"]:
				interaction["name"] = next(interaction_names)
		lead_rows, interaction_rows, todo_rows = [], [], []
		for lead in leads:
			creator = lead["lead_owner"] or "Administrator"
			for interaction in lead["interactions"]:
				logged_by = interaction["owner"] or creator
				interaction_rows.append(
					{
						**interaction,
						"creation": interaction["interaction_time"],
						"modified": interaction["interaction_time"],
						"owner": logged_by,
						"modified_by": logged_by,
						"lead": lead["name"],
					}
				)
			todo_rows += self.follow_ups(lead["interactions"], lambda _row, lead=lead: (LEAD, lead))
			lead.update(
				owner=creator,
				modified_by=lead["interactions"][-1]["owner"] if lead["interactions"] else creator,
			)
			lead.setdefault("_assign", None)
			lead_rows.append(lead)
		insert_values(LEAD, LEAD_FIELDS, values(LEAD_FIELDS, lead_rows))
		if interaction_rows:
			insert_values(INTERACTION, INTERACTION_FIELDS, values(INTERACTION_FIELDS, interaction_rows))
		if todo_rows:
			insert_values("ToDo", self.todo_fields, values(self.todo_fields, todo_rows))
		result.leads += len(leads)
		result.interactions += len(interaction_rows)
		result.follow_ups += len(todo_rows)
		result.lead_names += [lead["name"] for lead in leads]


def load_demo_data(
	customers: int,
	*,
	profile: str = B2B,
	seed: int | None = None,
	commit: bool = True,
	chunk_size: int = 2000,
	password: str | None = None,
	opportunities: int | None = None,
	progress: Callable[[str], None] | None = None,
) -> LoadResult:
	"""Add `customers` demo customers to the connected site, with the demo users and teams on first use.

	The b2b profile adds companies and people with their sales pipeline and tickets, and about 30% as many leads,
	with the products, service teams and knowledge articles on first use. The retail profile adds the members of a
	mother-and-baby store with their paid orders and the patterns planted in them (crm_app/demo/retail.py), with
	the store's products on first use.

	With `commit`, every chunk is committed as it is written, so a long load keeps its work and its locks
	short; without, everything stays in the caller's transaction (tests roll it back).

	With `opportunities`, the b2b profile gives its customers more or fewer deals than usual, to make about that
	many opportunities in all.
	"""
	if profile not in PROFILES:
		raise ValueError(f"unknown demo profile {profile!r}, not one of {', '.join(PROFILES)}")
	retail = profile == RETAIL
	catalogue = RETAIL_PRODUCTS if retail else DEMO_PRODUCTS
	started = time.monotonic()
	report = progress or (lambda message: None)
	if seed is None:
		seed = secrets.randbelow(10**9)
	result = LoadResult(seed=seed)
	result.users_created = ensure_demo_users(password)
	result.teams_created = ensure_demo_teams()
	result.products_created = ensure_demo_products(catalogue)
	if not retail:  # a shop's members raise no tickets and sign no quotations
		result.service_teams_created = ensure_demo_service_teams()
		result.articles_created = ensure_demo_articles()
		ensure_demo_company_details()
	if commit:
		frappe.db.commit()
	report(
		_("Demo users: {0} created, {1} reused; teams: {2} created").format(
			len(result.users_created), len(DEMO_USERS) - len(result.users_created), len(result.teams_created)
		)
	)
	report(
		_("Demo products: {0} created, {1} reused").format(
			len(result.products_created), len(catalogue) - len(result.products_created)
		)
	)
	if not retail:
		report(
			_("Service desk: {0} service teams and {1} knowledge articles created").format(
				len(result.service_teams_created), len(result.articles_created)
			)
		)

	context = demo_context(catalogue)
	if opportunities is not None and not retail:
		context = replace(
			context, opportunity_scale=opportunity_scale(context, customers, opportunities, seed)
		)
	generator = (RetailGenerator if retail else ServiceGenerator)(context, seed=seed, taken=taken_values())
	full_names = {user.email: user.full_name for user in DEMO_USERS}
	writer = ChunkWriter(full_names, context.now)
	remaining = customers
	while remaining > 0:
		batch = list(generator.customers(min(chunk_size, remaining)))
		if retail:
			check_retail_sample(batch[:SAMPLE_PER_CHUNK])
		else:
			check_sample(batch[:SAMPLE_PER_CHUNK])
			check_ticket_sample(
				[ticket for customer in batch for ticket in customer["tickets"]][:SAMPLE_PER_CHUNK], context
			)
		writer.write(batch, result)
		recount_customers([customer["name"] for customer in batch])
		result.consents += grant_demo_consent([customer["name"] for customer in batch])
		if commit:
			frappe.db.commit()
		remaining -= len(batch)
		elapsed = time.monotonic() - started
		if retail:
			result.planted_churners += [c["name"] for c in batch if c["pattern"] == CHURNER]
			result.planted_big_spenders += [c["name"] for c in batch if c["pattern"] == BIG_SPENDER]
			report(
				_("{0} of {1} customers, {2} sales orders with {3} lines ({4:.0f} s)").format(
					result.customers, customers, result.sales_orders, result.order_lines, elapsed
				)
			)
		else:
			report(
				_("{0} of {1} customers, {2} contacts, {3} interactions ({4:.0f} s)").format(
					result.customers, customers, result.contacts, result.interactions, elapsed
				)
			)

	def indexed(count: int) -> None:
		if commit:
			frappe.db.commit()
		report(
			_("Search keys of {0} of {1} customers ({2:.0f} s)").format(
				count, result.customers, time.monotonic() - started
			)
		)

	index_many(result.customer_names, progress=indexed)
	if retail:
		result.planted_pair = generator.pair
		report(
			_("Planted for the analytics: {0} churners and {1} big spenders").format(
				len(result.planted_churners), len(result.planted_big_spenders)
			)
		)
		if result.planted_pair:
			report(
				_("Planted for the analytics: {0} is bought with {1} far more often than chance").format(
					*result.planted_pair
				)
			)
	else:
		report(
			_("{0} opportunities, {1} quotations, {2} contracts, {3} sales orders, {4} payments").format(
				result.opportunities,
				result.quotations,
				result.contracts,
				result.sales_orders,
				result.payments,
			)
		)
		report(_("{0} tickets, {1} of them open").format(result.tickets, result.open_tickets))
		leads = round(customers * LEAD_SHARE)
		remaining = leads
		while remaining > 0:
			batch = list(generator.leads(min(chunk_size, remaining)))
			check_lead_sample(batch[:SAMPLE_PER_CHUNK])
			writer.write_leads(batch, result)
			if commit:
				frappe.db.commit()
			remaining -= len(batch)
			report(_("{0} of {1} leads ({2:.0f} s)").format(result.leads, leads, time.monotonic() - started))
	# after the customers, so that the welcome journey greets the customers who arrive later, not these
	result.marketing_created = ensure_demo_marketing()
	result.coupons = issue_demo_coupons(result.customer_names)
	report(
		_(
			"Marketing: {0} consents, {1} welcome coupons, {2} coupon types, segments, journeys, campaigns"
		).format(result.consents, result.coupons, len(result.marketing_created))
	)
	result.seconds = time.monotonic() - started
	return result
