"""Customer value analytics on a real site, as its users meet them: the nightly job run as the scheduler runs it
(value tiers, churn warnings as follow-ups once per episode, purchase association), the "often also buys" panel,
starting the analysis by hand, and the analytics reports, each counting only what the viewer may see."""

import json
from datetime import timedelta

import frappe
import pytest
from frappe.utils import getdate
from frappe.utils.background_jobs import create_job_id, get_redis_conn

from crm_app.analytics import nightly
from crm_app.background import forget_finished_run
from crm_app.demo.loader import load_demo_data
from tests.integration.client import messages
from tests.integration.conftest import fresh, run_scheduled_job, settle, unique_name

JOB = "crm_app.jobs.analyse_customers_and_products"


def days_ago(days: int) -> str:
	return str(getdate() - timedelta(days=days))


@pytest.fixture(scope="module")
def products(users):
	codes = {}
	for key, name, price in (
		("milk", "婴儿奶粉 2段", "268"),
		("wipes", "婴儿湿巾 80抽", "19.9"),
		("toy", "积木", "59"),
	):
		response = users["admin"].insert(
			"CRM Product",
			{
				"product_code": f"AN-{frappe.generate_hash(length=8)}",
				"product_name": name,
				"list_price": price,
			},
		)
		assert response.status_code == 200, messages(response)
		codes[key] = response.json()["data"]["name"]
	return codes


def new_customer(client, **values) -> str:
	response = client.insert("CRM Customer", {"customer_name": unique_name(), **values})
	assert response.status_code == 200, messages(response)
	return response.json()["data"]["name"]


def order(client, customer: str, products: list[str], days: int = 0) -> str:
	response = client.insert(
		"CRM Sales Order",
		{
			"customer": customer,
			"transaction_date": days_ago(days),
			"tax_rate": 0,
			"items": [{"product": product, "qty": 1} for product in products],
		},
	)
	assert response.status_code == 200, messages(response)
	submitted = client.post("frappe.client.submit", doc=response.json()["data"])
	assert submitted.status_code == 200, messages(submitted)
	return submitted.json()["message"]["name"]


def churn_follow_ups(customer: str, status: str = "Open") -> list[dict]:
	fresh()
	return frappe.get_all(
		"ToDo",
		filters={
			"reference_type": "CRM Customer",
			"reference_name": customer,
			"crm_churn_warning": 1,
			"status": status,
		},
		fields=["allocated_to", "description"],
	)


def customer(name: str) -> dict:
	fresh()
	return frappe.db.get_value("CRM Customer", name, "*", as_dict=True)


def run_report(client, report: str, **filters):
	return client.post("frappe.desk.query_report.run", report_name=report, filters=json.dumps(filters))


def report_rows(client, report: str, **filters) -> list[dict]:
	response = run_report(client, report, **filters)
	assert response.status_code == 200, messages(response)
	return response.json()["message"]["result"]


def test_a_customer_who_stops_buying_warns_the_owner_once_until_they_buy_again(users, worker, products):
	sales = users["sales_a"]
	steady = new_customer(sales)
	for days in (160, 115, 70):  # every 45 days, silent for 70: more than 1.5 rhythms
		order(sales, steady, [products["toy"]], days)
	recent = new_customer(sales)
	for days in (50, 10):  # too few orders for a rhythm: the default of 60 days, 1.5 times over, is not up
		order(sales, recent, [products["toy"]], days)

	run_scheduled_job(JOB)
	warned = customer(steady)
	assert (warned.order_days, warned.purchase_interval_days, warned.churn_risk) == (3, 45, 1)
	assert getdate(warned.churn_due_date) == getdate() - timedelta(days=70) + timedelta(days=68)
	assert warned.value_tier
	follow_ups = churn_follow_ups(steady)
	assert [row.allocated_to for row in follow_ups] == [sales.user]
	assert "45" in follow_ups[0].description
	assert customer(recent).churn_risk == 0

	# the salesperson sees the customer in their churn list, and a colleague of another team does not
	assert steady in [row["customer"] for row in report_rows(sales, "CRM Churn Risk")]
	assert steady in [row["customer"] for row in report_rows(users["east_manager"], "CRM Churn Risk")]
	assert steady not in [row["customer"] for row in report_rows(users["sales_c"], "CRM Churn Risk")]

	run_scheduled_job(JOB)
	assert len(churn_follow_ups(steady)) == 1, "one follow-up per episode"

	order(sales, steady, [products["toy"]])
	run_scheduled_job(JOB)
	assert customer(steady).churn_risk == 0
	assert churn_follow_ups(steady) == []
	assert len(churn_follow_ups(steady, "Closed")) == 1


def test_buyers_of_one_product_are_offered_what_its_buyers_also_buy(users, worker, products):
	sales = users["sales_a"]
	for _ in range(6):
		order(sales, new_customer(sales), [products["milk"], products["wipes"]])
	milk_only = new_customer(sales)
	order(sales, milk_only, [products["milk"]])
	for _ in range(3):
		order(sales, new_customer(sales), [products["toy"]])
	run_scheduled_job(JOB)

	response = sales.get("crm_app.api.analytics.often_also_buys", customer=milk_only)
	assert response.status_code == 200, messages(response)
	offered = response.json()["message"]
	assert (
		offered
		and offered[0]["product"] == products["wipes"]
		and offered[0]["because_of"] == products["milk"]
	)
	assert products["milk"] not in [row["product"] for row in offered]

	# another team's salesperson learns nothing of the customer: the answer of a customer that does not exist
	hidden = users["sales_c"].get("crm_app.api.analytics.often_also_buys", customer=milk_only)
	missing = users["sales_c"].get("crm_app.api.analytics.often_also_buys", customer="CUST-NO-SUCH")
	assert hidden.status_code == missing.status_code == 404
	assert messages(hidden).replace(milk_only, "X") == messages(missing).replace("CUST-NO-SUCH", "X")

	pairs = report_rows(users["east_manager"], "CRM Product Association", product=products["milk"])
	assert pairs[0]["also_product"] == products["wipes"] and pairs[0]["lift"] > 1
	assert run_report(sales, "CRM Product Association").status_code == 403


def test_the_analysis_is_started_by_hand_by_those_who_may_change_the_settings(users, worker):
	refused = users["sales_a"].post("crm_app.api.analytics.run_now")
	assert refused.status_code == 403
	started = users["admin"].post("crm_app.api.analytics.run_now")
	assert started.status_code == 200, messages(started)
	assert started.json()["message"]["queued"] is True
	settle()
	latest = frappe.get_all(
		"CRM Analytics Run", fields=["status", "started_by"], order_by="creation desc", limit=1
	)[0]
	assert latest == {"status": "Done", "started_by": users["admin"].user}
	assert users["sales_a"].get_doc("CRM Analytics Run", "x").status_code in (403, 404)


def test_the_record_of_a_finished_run_goes_before_the_analysis_is_queued_again(users, worker):
	# RQ would write the new job over it and keep its expiry: queued soon after a run, the job could expire unseen
	assert users["admin"].post("crm_app.api.analytics.run_now").json()["message"]["queued"] is True
	settle()
	record, connection = f"rq:job:{create_job_id(nightly.JOB_ID)}", get_redis_conn()
	assert connection.ttl(record) > 0
	runs = frappe.db.count("CRM Analytics Run")
	assert forget_finished_run(nightly.JOB_ID) and not connection.exists(record)
	assert users["admin"].post("crm_app.api.analytics.run_now").json()["message"]["queued"] is True
	settle()
	assert frappe.db.count("CRM Analytics Run") == runs + 1


def test_orders_handed_over_count_for_the_successor_once_the_handover_is_done(users, worker, products):
	leaving, successor = users["sales_d"], users["sales_a"]
	customer = new_customer(leaving)
	order(leaving, customer, [products["toy"]])
	settle()

	def sellers() -> set[str]:
		fresh()
		return set(frappe.get_all("CRM Product Sales", {"customer": customer}, pluck="sales_owner"))

	assert sellers() == {leaving.user}
	handover = users["east_manager"].insert(
		"CRM Handover", {"from_user": leaving.user, "to_user": successor.user, "docstatus": 1}
	)
	assert handover.status_code == 200, messages(handover)
	settle()
	assert sellers() == {successor.user}


def test_each_report_counts_only_what_the_viewer_may_see(users, worker, products):
	own, other = users["sales_a"], users["sales_c"]
	only_theirs = users["admin"].insert(
		"CRM Product",
		{
			"product_code": f"AN-{frappe.generate_hash(length=8)}",
			"product_name": "南区专供",
			"list_price": 10,
		},
	)
	assert only_theirs.status_code == 200, messages(only_theirs)
	only_theirs = only_theirs.json()["data"]["name"]
	mine_order = order(own, new_customer(own), [products["milk"], products["wipes"]])
	order(other, new_customer(other), [only_theirs])
	settle()  # each order's month is counted for the product ranking once it is committed

	def ranked_products(who: str) -> set[str]:
		return {row["product"] for row in report_rows(users[who], "CRM Product Ranking")}

	assert {products["milk"], products["wipes"]} <= ranked_products("sales_a")
	assert only_theirs not in ranked_products("sales_a") | ranked_products("east_manager")
	assert only_theirs in ranked_products("sales_c") & ranked_products("admin")

	fresh()
	visible_orders = own.list(
		"CRM Sales Order",
		fields=["grand_total", "transaction_date"],
		filters=[["docstatus", "=", 1]],
	)
	quarter_start = getdate().replace(month=3 * ((getdate().month - 1) // 3) + 1, day=1)
	this_quarter = sum(
		row["grand_total"] for row in visible_orders if getdate(row["transaction_date"]) >= quarter_start
	)
	forecast = report_rows(own, "CRM Sales Forecast")
	current = next(row for row in forecast if row["is_current"])
	assert current["actual"] == pytest.approx(this_quarter)
	assert mine_order in [row["name"] for row in own.list("CRM Sales Order")]

	ranking = report_rows(own, "CRM Sales Ranking")
	assert [row["user"] for row in ranking] == [own.user]
	team = {row["user"] for row in report_rows(users["east_manager"], "CRM Sales Ranking")}
	assert own.user in team and other.user not in team
	everyone = {row["user"] for row in report_rows(users["admin"], "CRM Sales Ranking")}
	assert {own.user, other.user} <= everyone

	acquired = report_rows(own, "CRM Customer Acquisition")
	visible = own.list("CRM Customer", fields=["name"], filters=[["creation", ">=", days_ago(365)]])
	assert sum(row["new_customers"] for row in acquired) == len(visible)


@pytest.mark.parametrize(
	("report", "filters"),
	[
		("CRM Sales Ranking", {"from_date": "not a date"}),
		("CRM Sales Ranking", {"from_date": "2026-02-01", "to_date": "2026-01-01"}),
		("CRM Sales Ranking", {"from_date": "99999999999999999999"}),
		("CRM Product Ranking", {"to_date": "9999-12-31"}),
		("CRM Sales Funnel", {"to_date": "9999-12-31"}),
		("CRM Product Ranking", {"sort_by": "Colour"}),
		("CRM Customer Acquisition", {"to_date": ["2026-01-01"]}),
		("CRM Sales Forecast", {"year": "MMXXVI"}),
		("CRM Sales Forecast", {"year": 99999}),
		("CRM Churn Risk", {"value_tier": "Gold"}),
		("CRM Sales Funnel", {"sales_team": {"name": "x"}}),
	],
)
def test_bad_filters_get_a_translated_refusal(users, report, filters):
	response = run_report(users["sales_b"], report, **filters)
	assert response.status_code == 417, (response.status_code, response.text[:300])
	assert any("\u4e00" <= char <= "\u9fff" for char in messages(response)), messages(response)


def test_the_analysis_finds_what_the_retail_demo_planted(users):
	"""Over a mother-and-baby store's members (crm-demo --profile retail): the pair bought together, the members who
	stopped buying on their own rhythm, and the big spenders. Loaded and analysed in one transaction, rolled back."""
	frappe.set_user("Administrator")
	try:
		shop = load_demo_data(2000, profile="retail", seed=20261207, commit=False)
		today = getdate()
		for _label, step in nightly.STEPS:
			step(today)
		milk, wipes = shop.planted_pair
		pairs = frappe.get_all(
			"CRM Product Association",
			filters={"product": ("like", "MY-%"), "also_product": ("like", "MY-%")},
			fields=["product", "also_product", "lift", "confidence"],
			order_by="lift desc",
		)
		assert (pairs[0].product, pairs[0].also_product) in ((milk, wipes), (wipes, milk)), pairs[:3]
		rule = next(row for row in pairs if (row.product, row.also_product) == (milk, wipes))
		assert rule.lift > 2 and rule.confidence > 50, rule

		at_risk = set(
			frappe.get_all(
				"CRM Customer", filters={"churn_risk": 1, "name": ("in", shop.planted_churners)}, pluck="name"
			)
		)
		assert at_risk == set(shop.planted_churners)
		tiers = dict(
			frappe.get_all(
				"CRM Customer",
				filters={"name": ("in", shop.planted_big_spenders)},
				fields=["name", "value_tier"],
				as_list=True,
			)
		)
		assert set(tiers.values()) == {"VIP"}, tiers
	finally:
		frappe.db.rollback()


def test_order_figures_on_a_customer_are_for_those_who_see_orders(users, products):
	"""A service agent sees every customer but no orders: not the figures the analysis keeps from them either,
	whether asked for, filtered on or sorted by. A salesperson sees what a customer back in the public pool bought
	only on orders of their own."""
	sales, agent = users["sales_a"], users["agent_east"]
	customer = new_customer(sales)
	order(sales, customer, [products["milk"]], 10)
	frappe.set_user("Administrator")
	with nightly.temporary_tables_in_memory():
		for _label, step in nightly.STEPS:
			step(getdate())
	frappe.db.commit()

	shown = agent.get_doc("CRM Customer", customer)
	assert shown.status_code == 200, messages(shown)
	hidden = shown.json()["data"]
	assert not hidden.get("window_amount") and not hidden.get("last_order_date"), hidden
	assert sales.get_doc("CRM Customer", customer).json()["data"]["window_amount"] > 0
	for arguments in (
		{"fields": json.dumps(["name", "window_amount"])},
		{"filters": json.dumps([["window_amount", ">", 0]])},
		{"order_by": "window_amount desc"},
	):
		response = agent.get("frappe.desk.reportview.get", doctype="CRM Customer", **arguments)
		assert response.status_code == 403, (arguments, response.text[:200])

	released = sales.post("crm_app.api.pool.release", doctype="CRM Customer", name=customer, reason="测试")
	assert released.status_code == 200, messages(released)
	response = users["sales_b"].get("crm_app.api.analytics.often_also_buys", customer=customer)
	assert response.status_code == 200, messages(response)
	assert response.json()["message"] == []


@pytest.mark.parametrize(
	("field", "value"),
	[
		("churn_multiple", None),
		("churn_multiple", 50000),
		("rfm_window_days", 800000),
		("association_min_customers", 1),
		("churn_default_interval_days", ""),
	],
)
def test_analysis_settings_out_of_range_are_refused(users, field, value):
	response = users["chief"].post(
		"frappe.client.set_value", doctype="CRM Settings", name="CRM Settings", fieldname=field, value=value
	)
	assert response.status_code == 417, (response.status_code, response.text[:300])
	assert any("\u4e00" <= char <= "\u9fff" for char in messages(response)), messages(response)
