"""The demo's retail profile (crm_app/demo/retail.py) in memory: a mother-and-baby store's members with orders the
app's rules accept, and the patterns planted in them found again from the records alone, as the analytics would
find them: a product pair bought together far more often than chance, members on a steady rhythm who stopped,
and a few big spenders."""

import string
from collections import Counter
from datetime import datetime
from decimal import Decimal
from itertools import combinations, pairwise
from statistics import median

import pytest

from crm_app.defaults import INDUSTRIES, SOURCE_CHANNELS
from crm_app.demo.catalogue import DEMO_PRODUCTS, RETAIL_PRODUCTS
from crm_app.demo.generator import DEMO_USERS, DemoContext, Taken
from crm_app.demo.pipeline import PIPELINE
from crm_app.demo.retail import BIG_SPENDER, CHURNER, ORDINARY, RETAIL, RHYTHM, RetailGenerator
from crm_app.domain.money import payment_status, price_deal
from crm_app.domain.phone import normalize_mobile
from tests.static import checks

NOW = datetime(2025, 6, 2, 10, 30)
MEMBERS = 2000
SEED = 20250602


def context(products=RETAIL_PRODUCTS) -> DemoContext:
	return DemoContext(
		now=NOW,
		channels=SOURCE_CHANNELS,
		industries=INDUSTRIES,
		owners={user.email: (user.region, user.weight) for user in DEMO_USERS if user.weight},
		products=products,
	)


@pytest.fixture(scope="module")
def members() -> list[dict]:
	return list(RetailGenerator(context(), seed=SEED, taken=Taken()).customers(MEMBERS))


def order_days(member: dict) -> list:
	return sorted({order["transaction_date"] for order in member["orders"]})


def rhythm(member: dict) -> float:
	return median((later - earlier).days for earlier, later in pairwise(order_days(member)))


def silence(member: dict) -> int:
	return (NOW.date() - order_days(member)[-1]).days


def spent(member: dict) -> Decimal:
	return sum(order["grand_total"] for order in member["orders"])


def options(doctype: str, fieldname: str) -> set[str]:
	return set((checks.app_doctypes()[doctype].field(fieldname).get("options") or "").split("\n")) - {""}


def test_the_store_sells_its_own_products_with_exact_prices():
	codes = [product.code for product in RETAIL_PRODUCTS]
	assert len(set(codes)) == len(codes) == len(RETAIL["products"])
	assert not set(codes) & {product.code for product in DEMO_PRODUCTS}
	for product in RETAIL_PRODUCTS:
		assert product.list_price > 0 and product.list_price == product.list_price.quantize(Decimal("0.01"))
		assert product.product_type in options("CRM Product", "product_type")
		assert (product.product_type == "Consumable") == bool(product.replacement_cycle_days), product.code
	names = {product.code: product.name for product in RETAIL_PRODUCTS}
	assert "奶粉" in names[RETAIL["pair"]["from"]] and "湿巾" in names[RETAIL["pair"]["to"]]
	assert all(0 < row["share"] < 1 for row in RETAIL["products"])


def test_the_store_uses_the_apps_choices():
	assert set(RETAIL["channel_weights"]) <= set(SOURCE_CHANNELS)
	assert set(RETAIL["payment_methods"]) <= options("CRM Payment", "payment_method")
	assert set(RETAIL["interaction_types"]) == set(RETAIL["interaction_summaries"])
	assert set(RETAIL["interaction_types"]) <= options("CRM Interaction", "interaction_type")
	assert {int(hour) for hour in RETAIL["shop_hours"]} <= set(range(24))
	for template in [note for notes in RETAIL["interaction_summaries"].values() for note in notes]:
		names = {name for _text, name, _spec, _conversion in string.Formatter().parse(template) if name}
		assert names <= {"who", "product"}, template


def test_the_same_seed_gives_the_same_members(members):
	again = list(RetailGenerator(context(), seed=SEED, taken=Taken()).customers(50))
	assert again == members[:50]
	other = list(RetailGenerator(context(), seed=SEED + 1, taken=Taken()).customers(50))
	assert [m["mobile_no"] for m in other] != [m["mobile_no"] for m in members[:50]]


def test_members_are_individuals_owned_by_salespeople_with_a_mobile_and_often_wechat(members):
	owners = {user.email for user in DEMO_USERS if user.weight}
	assert {member["customer_type"] for member in members} == {"Individual"}
	assert all(member["sales_owner"] in owners for member in members)
	assert all(member["mobile_no"] == normalize_mobile(member["mobile_no"]) for member in members)
	assert len({member["mobile_no"] for member in members}) == MEMBERS
	assert 0.6 < sum(bool(member["wechat_id"]) for member in members) / MEMBERS < 0.8
	for member in members:
		assert [contact["contact_name"] for contact in member["contacts"]] == [member["customer_name"]]
		assert not (member["opportunities"] or member["tickets"] or member["uscc"])
		assert member["creation"] == member["owner_since"] == member["orders"][0]["creation"]
	interactions = [row for member in members for row in member["interactions"]]
	assert len(interactions) < MEMBERS / 2
	assert all(row["owner"] == member["sales_owner"] for member in members for row in member["interactions"])


def test_orders_are_small_repeat_counter_sales_paid_in_full(members):
	orders = [order for member in members for order in member["orders"]]
	lines = [line for order in orders for line in order["items"]]
	assert 3.5 < len(orders) / MEMBERS < 5 and 8 < len(lines) / MEMBERS < 12
	assert sum(len(member["orders"]) > 1 for member in members) > MEMBERS * 0.6
	oldest = min(order["transaction_date"] for order in orders)
	assert 700 <= (NOW.date() - oldest).days <= 730
	for member in members:
		assert order_days(member) == [order["transaction_date"] for order in member["orders"]]
		for order in member["orders"]:
			assert order["creation"] < NOW and order["sales_owner"] == member["sales_owner"]
			totals = price_deal(
				[(line["qty"], line["list_price"], line["discount_percent"]) for line in order["items"]],
				order["tax_rate"],
			)
			assert [(line["rate"], line["amount"]) for line in order["items"]] == [
				(priced.rate, priced.amount) for priced in totals.lines
			]
			assert (order["net_total"], order["grand_total"]) == (totals.net_total, totals.grand_total)
			assert len({line["product"] for line in order["items"]}) == len(order["items"])
			(payment,) = order["payments"]
			assert payment["amount"] == order["paid_amount"] == order["grand_total"]
			assert payment_status(order["grand_total"], payment["amount"], False) == order["payment_status"]
			assert order["payment_status"] == "Paid" and order["outstanding_amount"] == 0
			assert order["delivery_status"] == "Received" and order["received_at"] == order["creation"]
			digits = PIPELINE["reference_digits"].get(payment["payment_method"])
			assert len(payment["reference_no"] or "") == (digits or 0)
	typical = median(order["grand_total"] for order in orders)
	assert 150 < typical < 600


def test_the_milk_powder_and_wipes_are_bought_together_far_more_often_than_chance(members):
	baskets = [
		{line["product"] for order in member["orders"] for line in order["items"]} for member in members
	]
	buyers = Counter(product for basket in baskets for product in basket)
	together = Counter(pair for basket in baskets for pair in combinations(sorted(basket), 2))

	def lift(x: str, y: str) -> float:
		return together[tuple(sorted((x, y)))] * MEMBERS / (buyers[x] * buyers[y])

	milk, wipes = RETAIL["pair"]["from"], RETAIL["pair"]["to"]
	planted = lift(milk, wipes)
	confidence = together[tuple(sorted((milk, wipes)))] / buyers[milk]
	assert planted > 2 and confidence > 0.6
	others = [pair for pair, count in together.items() if count >= 5 and set(pair) != {milk, wipes}]
	assert max(lift(*pair) for pair in others) < planted * 0.7
	assert max(together[pair] for pair in others) < together[tuple(sorted((milk, wipes)))] / 2
	without_milk = [basket for basket in baskets if milk not in basket]
	assert sum(wipes in basket for basket in without_milk) / len(without_milk) < 0.15


def test_churners_kept_a_steady_rhythm_then_stopped(members):
	churners = [member for member in members if member["pattern"] == CHURNER]
	assert 0.03 * MEMBERS < len(churners) < 0.07 * MEMBERS
	for member in churners:
		interval = rhythm(member)
		assert len(order_days(member)) >= 4 and 30 <= interval <= 45
		# so a churn warning at 1.5 times the rhythm fires for every one of them
		assert 2 * interval < silence(member) < 6 * interval
	for member in [member for member in members if member["pattern"] == RHYTHM]:
		assert len(order_days(member)) >= 4 and 30 <= rhythm(member) <= 45
		assert silence(member) < rhythm(member)


def test_big_spenders_buy_far_more_and_often_up_to_recently(members):
	big = [member for member in members if member["pattern"] == BIG_SPENDER]
	assert 5 <= len(big) <= 0.02 * MEMBERS
	top = sorted(members, key=spent, reverse=True)[: MEMBERS // 50]
	assert all(member in top for member in big)
	ordinary = median(
		order["grand_total"] for m in members if m["pattern"] == ORDINARY for order in m["orders"]
	)
	for member in big:
		assert 4 < median(order["grand_total"] for order in member["orders"]) / ordinary < 11
		assert len(member["orders"]) >= 10 and silence(member) <= 23 and rhythm(member) < 30


def test_without_the_pairs_products_on_sale_the_pair_is_not_planted():
	on_sale = tuple(product for product in RETAIL_PRODUCTS if product.code != RETAIL["pair"]["to"])
	generator = RetailGenerator(context(on_sale), seed=SEED, taken=Taken())
	members = list(generator.customers(200))
	assert generator.pair is None
	assert all(
		line["product"] != RETAIL["pair"]["to"] for m in members for o in m["orders"] for line in o["items"]
	)
	assert RetailGenerator(context(), seed=SEED).pair == (RETAIL["pair"]["from"], RETAIL["pair"]["to"])
