"""The demo's retail profile: the members of a mother-and-baby store (母婴店), each with many small orders paid at
the counter, and three patterns planted for the analytics to find.

Pure Python, no frappe, like generator.py: `RetailGenerator` draws people, places, mobiles and WeChat IDs with the
customer generator's building blocks from the same seeded random source, so a seed gives the same members. The
store is data/retail.json: its products with the share of members who buy each, how often and how much members
buy, and the planted patterns' odds and rhythms.

A member buys a repertoire of products, each product drawn on its own with its share, so two products go together
only by chance; each order takes some of the repertoire, and every product of it is bought at least once. An order
is priced with `price_deal` at shelf prices, which include VAT (the catalogue's tax rate, 0), paid in full at the
counter (one payment: Paid) and taken home (Received). Orders go back about two years, the latest yesterday.

Planted, and named in each member's `pattern` (the figures are retail.json's):
- the pair (`RetailGenerator.pair`: the codes, which are also the CRM Product names, of one milk powder and one
  pack of wipes): a member who buys the milk powder (MY-NF-02 婴儿配方奶粉 2段) buys the wipes (MY-SJ-01 婴儿手口
  湿巾) with odds `pair.with` (0.75), any other member with `pair.without` (0.1), and the wipes come in every
  order with the milk powder (the wipes' own share counts only when the pair is not planted). Other products go
  together only by chance, so the pair tops support, confidence and lift: its lift is about 2.8, the next pair's
  below 1.6.
- CHURNER (5%): ordered every 33-42 days, their own interval, give or take 3 days (so every gap, and the median
  gap, is 30-45 days), 4-10 times, then stopped: the last order was 2.2-5.8 median gaps ago.
- RHYTHM (10%): the same rhythm, still ordering: the last order was less than one median gap ago.
- BIG_SPENDER (1%): orders every 10-20 days, give or take 3, since joining 9 to 24 months ago, the last within
  one interval; buys more kinds of product, more of them at a time, in quantities that make every order 5-10
  times (their own multiple) the typical member's order (`typical_order`, about the others' median order).
- ORDINARY: 1-12 orders on random days since joining.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal
from statistics import median

from crm_app.demo.catalogue import read
from crm_app.demo.generator import DemoContext, DemoGenerator, Taken, Weighted, follow_up_summary
from crm_app.demo.pipeline import CURRENCY, reference_no
from crm_app.domain.money import payment_status, price_deal
from crm_app.domain.names import name_key, pinyin_search_key

RETAIL = read("retail")
ORDINARY, RHYTHM, CHURNER, BIG_SPENDER = "ordinary", "rhythm", "churner", "big spender"


def ages(silence: int, gaps: list[int]) -> list[int]:
	"""Days before today of orders `gaps` days apart, the last `silence` days ago, oldest first."""
	days = [silence]
	for gap in gaps:
		days.append(days[-1] + gap)
	return days[::-1]


class RetailGenerator(DemoGenerator):
	def __init__(self, context: DemoContext, seed: int | None = None, taken: Taken | None = None):
		super().__init__(context, seed=seed, taken=taken)
		if not (self.any_owner and context.products):
			raise ValueError("the retail demo needs salespeople to own its members and products to sell")
		shares = {row["code"]: row["share"] for row in RETAIL["products"]}
		by_code = {product.code: product for product in context.products}
		# a product an admin disabled is not on sale, and a pair without both is not planted
		self.milk, self.wipes = (by_code.get(RETAIL["pair"][end]) for end in ("from", "to"))
		if not (self.milk and self.wipes):
			self.milk = self.wipes = None
		self.pair = (self.milk.code, self.wipes.code) if self.milk else None
		self.shares = [
			(product, shares[product.code]) for product in context.products if product is not self.wipes
		]
		self.any_product = Weighted(self.shares)
		self.patterns = Weighted(RETAIL["patterns"].items())
		self.order_counts = Weighted(RETAIL["order_counts"])
		self.quantities = Weighted(RETAIL["quantities"])
		self.discounts = Weighted(RETAIL["discounts"])
		self.payment_methods = Weighted(RETAIL["payment_methods"].items())
		self.hours = Weighted((int(hour), weight) for hour, weight in RETAIL["shop_hours"].items())
		# channels an admin added bring a member now and then
		self.channels = Weighted((c, RETAIL["channel_weights"].get(c, 1)) for c in context.channels)
		self.interaction_counts = Weighted(RETAIL["interaction_counts"])
		self.interaction_types = Weighted(RETAIL["interaction_types"].items())
		self.tax_rate = Decimal(RETAIL["tax_rate"])

	def customer(self) -> dict:
		"""A member with their one contact (themselves), `orders`, a few `interactions`, no deals or tickets, and
		the `pattern` planted in them."""
		province, city, district = self.place()
		name = self.person_name()
		mobile = self.mobile()
		pattern = self.patterns.pick(self.rng)
		customer = {
			"customer_name": name,
			"customer_type": "Individual",
			"uscc": None,
			"sales_owner": self.owner_for(province, pool_share=0),
			"tier": None,
			"source_channel": self.channels.pick(self.rng),
			"industry": None,
			"mobile_no": mobile,
			"phone": None,
			"email_id": self.personal_email(name) if self.chance(RETAIL["email_share"]) else None,
			"wechat_id": self.wechat_id(mobile, name) if self.chance(RETAIL["wechat_share"]) else None,
			"province": province,
			"city": city,
			"district": district,
			"address_line": self.address_line(self.brand()) if self.chance(RETAIL["address_share"]) else None,
			"remarks": self.rng.choice(RETAIL["remarks"]) if self.chance(RETAIL["remarks_share"]) else None,
			"name_key": name_key(name),
			"pinyin_key": pinyin_search_key(name),
			"pattern": pattern,
			"opportunities": [],
			"tickets": [],
		}
		customer["orders"] = self.orders(customer, self.order_days(pattern), pattern)
		# they became members at their first purchase
		customer["creation"] = customer["owner_since"] = customer["orders"][0]["creation"]
		customer["contacts"] = self.contacts("Individual", name, mobile)
		customer["interactions"] = self.interactions(customer)
		customer.update(follow_up_summary(customer["interactions"]))
		last = customer["last_interaction_at"]
		customer["modified"] = max(customer["creation"], last) if last else customer["creation"]
		return customer

	# -- when

	def order_days(self, pattern: str) -> list[int]:
		"""Days before today of a member's orders, oldest first, on different days."""
		history = RETAIL["history_days"]
		if pattern == ORDINARY:
			joined = self.rng.randint(1, history)
			count = min(self.order_counts.pick(self.rng), joined)
			return sorted([joined, *self.rng.sample(range(1, joined), count - 1)], reverse=True)
		if pattern == BIG_SPENDER:
			spec = RETAIL["big_spender"]
			interval, jitter = self.rng.randint(*spec["interval_days"]), spec["jitter_days"]
			count = self.rng.randint(*spec["joined_days"]) // (interval + jitter)
			return ages(self.rng.randint(1, interval), self.gaps(interval, jitter, count))
		spec = RETAIL["rhythm"]
		interval, jitter = self.rng.randint(*spec["interval_days"]), spec["jitter_days"]
		if pattern == CHURNER:
			gaps = self.gaps(
				interval, jitter, self.rng.randint(spec["min_orders"], RETAIL["churner"]["max_orders"])
			)
			return ages(round(self.rng.uniform(*RETAIL["churner"]["silence_intervals"]) * median(gaps)), gaps)
		gaps = self.gaps(
			interval, jitter, self.rng.randint(spec["min_orders"], history // (interval + jitter))
		)
		return ages(self.rng.randint(1, int(median(gaps)) - 1), gaps)

	def gaps(self, interval: int, jitter: int, orders: int) -> list[int]:
		return [max(1, interval + self.rng.randint(-jitter, jitter)) for _ in range(orders - 1)]

	def shop_time(self, days_ago: int) -> datetime:
		day = self.context.now.date() - timedelta(days=days_ago)
		return datetime.combine(
			day, time(self.hours.pick(self.rng), self.rng.randrange(60), self.rng.randrange(60))
		)

	# -- what

	def repertoire(self, boost: float) -> list:
		"""The products a member buys, each drawn on its own with `boost` times its share, and the pair's wipes by
		whether the milk powder is among them."""
		products = [product for product, share in self.shares if self.chance(share * boost)]
		if self.wipes and self.chance(RETAIL["pair"]["with" if self.milk in products else "without"]):
			products.append(self.wipes)
		return products or [self.any_product.pick(self.rng)]

	def orders(self, customer: dict, days: list[int], pattern: str) -> list[dict]:
		"""Orders on `days`, each with some of the member's repertoire, every product of it at least once, and the
		pair's wipes in every order with its milk powder."""
		spec = RETAIL["big_spender"]
		big = pattern == BIG_SPENDER
		boost = spec["boost"] if big else 1
		repertoire = self.repertoire(boost)
		line_share = RETAIL["line_share"] * boost
		baskets = [[product for product in repertoire if self.chance(line_share)] for _day in days]
		for product in repertoire:
			if not any(product in basket for basket in baskets):
				self.rng.choice(baskets).append(product)
		for basket in baskets:
			if not basket:
				basket.append(self.rng.choice(repertoire))
			if self.wipes in repertoire and self.milk in basket and self.wipes not in basket:
				basket.append(self.wipes)
		size = self.rng.uniform(*spec["order_multiple"]) * float(RETAIL["typical_order"]) if big else None
		return [
			self.order(customer, self.shop_time(day), basket, size)
			for day, basket in zip(days, baskets, strict=True)
		]

	def order(self, customer: dict, moment: datetime, basket: list, size: float | None) -> dict:
		"""A counter sale, of about `size` yuan when given: priced as the controller prices it, paid in full and
		taken home at once."""
		quantities = [self.quantities.pick(self.rng) for _product in basket]
		if size:
			shelf = sum(
				qty * float(product.list_price) for qty, product in zip(quantities, basket, strict=True)
			)
			quantities = [qty * max(1, round(size / shelf)) for qty in quantities]
		lines = [
			{
				"product": product.code,
				"product_name": product.name,
				"unit": product.unit,
				"qty": Decimal(qty),
				"list_price": product.list_price,
				"discount_percent": Decimal(self.discounts.pick(self.rng)),
			}
			for qty, product in zip(quantities, basket, strict=True)
		]
		totals = price_deal(
			[(line["qty"], line["list_price"], line["discount_percent"]) for line in lines], self.tax_rate
		)
		for line, priced in zip(lines, totals.lines, strict=True):
			line["rate"], line["amount"] = priced.rate, priced.amount
		method = self.payment_methods.pick(self.rng)
		return {
			"customer_name": customer["customer_name"],
			"sales_owner": customer["sales_owner"],
			"transaction_date": moment.date(),
			"delivery_date": moment.date(),
			"currency": CURRENCY,
			"shipping_address": None,
			"items": lines,
			"total": totals.total,
			"discount_amount": totals.discount_amount,
			"net_total": totals.net_total,
			"tax_rate": self.tax_rate,
			"tax_amount": totals.tax_amount,
			"grand_total": totals.grand_total,
			"delivery_status": "Received",
			"shipped_at": moment,
			"received_at": moment,
			"payment_plan": [],
			"paid_amount": totals.grand_total,
			"outstanding_amount": Decimal(0),
			"payment_status": payment_status(totals.grand_total, totals.grand_total, False),
			"creation": moment,
			"modified": moment,
			"payments": [
				{
					"payment_date": moment.date(),
					"amount": totals.grand_total,
					"is_deposit": 0,
					"payment_method": method,
					"reference_no": reference_no(self.rng, method),
					"remarks": None,
					"creation": moment,
				}
			],
		}

	# -- what the salespeople wrote down

	def interactions(self, customer: dict) -> list[dict]:
		"""A few messages, calls and visits since the member joined: arrivals, offers, advice."""
		now, contact = self.context.now, customer["contacts"][0]
		bought = [line["product_name"] for order in customer["orders"] for line in order["items"]]
		rows = []
		times = sorted(
			self.moment(customer["creation"], now) for _ in range(self.interaction_counts.pick(self.rng))
		)
		for moment in times:
			kind = self.interaction_types.pick(self.rng)
			follow_up = None
			if self.chance(RETAIL["follow_up_share"]):
				follow_up = moment.date() + timedelta(days=self.rng.randint(1, 14))
			rows.append(
				{
					"interaction_type": kind,
					"interaction_time": moment,
					"contact_name": contact["contact_name"],
					"next_follow_up_date": follow_up,
					"summary": self.rng.choice(RETAIL["interaction_summaries"][kind]).format(
						who=self.who(contact), product=self.rng.choice(bought)
					),
					"owner": customer["sales_owner"],
				}
			)
		return rows
