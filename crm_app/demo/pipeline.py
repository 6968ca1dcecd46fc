"""The demo sales pipeline: leads, and for customers their opportunities through the funnel with the quotations,
contracts, orders and payments each step needs.

Pure Python, no frappe, like generator.py: `PipelineGenerator` extends the customer generator and draws from the
same seeded random source, so a seed gives the same customers and the same pipeline. Figures are the ones the
controllers compute: totals from `price_deal`, payment status from `payment_status`, lead scores from
`bant_score`, and stage histories whose times increase and whose durations add up. Every deal passes the stage
gates when it enters a stage: an opportunity reaches the negotiation stage only after its quotation was
approved, and is won only after its contract exists.
"""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from crm_app.demo.catalogue import BANT_FIELDS, SERVICE, Product, Stage, read
from crm_app.demo.generator import (
	DEMO_TEAMS,
	PHRASES,
	DemoContext,
	DemoGenerator,
	Taken,
	Weighted,
	demo_email,
	follow_up_summary,
)
from crm_app.domain.money import payment_status, price_deal, to_fen
from crm_app.domain.scoring import bant_score
from crm_app.domain.stages import furthest

PIPELINE = read("pipeline")
LEADS = read("leads")
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
CURRENCY = "CNY"
QUOTATION = "CRM Quotation"


def approvers() -> dict[str, str]:
	"""Demo user e-mail -> e-mail of the manager who approves their larger discounts: the nearest manager above
	them (the head of sales approves their own)."""
	teams = {team.name: team for team in DEMO_TEAMS}

	def manager_above(team, excluding=None):
		while team:
			if team.manager and team.manager != excluding:
				return team.manager
			team = teams.get(team.parent)
		return excluding

	result = {}
	for team in DEMO_TEAMS:
		for member in team.members:
			result[demo_email(member)] = demo_email(manager_above(team))
		if team.manager:
			result[demo_email(team.manager)] = demo_email(manager_above(team, excluding=team.manager))
	return result


def requires_document(stage: Stage, doctype: str) -> bool:
	return any(
		kind == "Linked Document" and document == doctype for kind, _f, document, _s in stage.requirements
	)


def repeat_last(weights: tuple[int, ...], count: int) -> list[int]:
	return [weights[min(index, len(weights) - 1)] for index in range(count)]


class Funnel:
	"""The sales stages in order: the open ones, then the won and the lost stage."""

	def __init__(self, stages: tuple[Stage, ...]):
		ordered = sorted(stages, key=lambda stage: stage.order)
		self.open = [stage for stage in ordered if not (stage.is_won or stage.is_lost)]
		self.won = next((stage for stage in ordered if stage.is_won), None)
		self.lost = next((stage for stage in ordered if stage.is_lost), None)
		if not (self.open and self.won and self.lost):
			raise ValueError("the demo pipeline needs open stages, a won stage and a lost stage")
		forward = [*self.open, self.won]
		# The position (in open stages, then won) from which an approved quotation must exist; without such a gate,
		# quotations are approved before the last open stage, as with the default funnel.
		self.quote_from = max(
			1,
			next(
				(index for index, stage in enumerate(forward) if requires_document(stage, QUOTATION)),
				len(self.open) - 1,
			),
		)
		count = len(self.open)
		self.open_at = Weighted(
			zip(range(count), repeat_last(PIPELINE["open_stage_weights"], count), strict=True)
		)
		self.lost_at = Weighted(
			zip(range(count), repeat_last(PIPELINE["lost_at_weights"], count), strict=True)
		)


class PipelineGenerator(DemoGenerator):
	def __init__(self, context: DemoContext, seed: int | None = None, taken: Taken | None = None):
		super().__init__(context, seed=seed, taken=taken)
		self.funnel = Funnel(context.stages) if context.stages and context.products else None
		self.outcomes = Weighted(PIPELINE["outcomes"].items())
		self.closed_outcomes = Weighted(PIPELINE["closed_outcomes"].items())
		self.small_counts = {
			tier: Weighted(counts) for tier, counts in PIPELINE["opportunity_counts"].items()
		}
		self.big_counts = Weighted(PIPELINE["big_account_counts"])
		self.line_counts = Weighted(PIPELINE["line_counts"])
		self.discounts = Weighted(PIPELINE["discounts"])
		# lost reasons and channels an admin added weigh like the catalogue's middling ones
		self.lost_reasons = (
			Weighted(
				(reason, PIPELINE["lost_reason_weights"].get(reason, 8)) for reason in context.lost_reasons
			)
			if context.lost_reasons
			else None
		)
		self.lead_interaction_types = Weighted(LEADS["interaction_types"].items())
		self.small_methods = Weighted(PIPELINE["payment_methods"]["small"].items())
		self.large_methods = Weighted(PIPELINE["payment_methods"]["large"].items())
		self.large_payment = Decimal(PIPELINE["large_payment"])
		self.deposit_shares = [Decimal(share) for share in PIPELINE["deposit_shares"]]
		self.lead_channels = Weighted((c, LEADS["channel_weights"].get(c, 5)) for c in context.channels)
		self.lead_titles = Weighted(
			((title, authority), weight) for title, authority, weight in LEADS["titles"]
		)
		self.owned_lead_statuses = Weighted(LEADS["owned_statuses"].items())
		self.pool_lead_statuses = Weighted(LEADS["pool_statuses"].items())
		self.approvers = approvers()
		self.bant = self.bant_choices(context.bant_options or LEADS["bant_options"], context.bant_weights)
		self._products: dict[str, Weighted] = {}

	# -- building blocks

	def products_for(self, industry: str) -> Weighted:
		"""The catalogue as a customer of `industry` buys it: its trade's products first, office supplies too."""
		if industry not in self._products:
			pairs = [
				(product, 4 if industry in product.industries else 1 if not product.industries else 0)
				for product in self.context.products
			]
			if not any(weight for _product, weight in pairs):
				pairs = [(product, 1) for product in self.context.products]
			self._products[industry] = Weighted(pairs)
		return self._products[industry]

	def between(self, start: datetime, end: datetime) -> datetime:
		"""A moment from `start` to `end`, both included (office hours when the span allows)."""
		return self.moment(start, end) if end > start else end

	def times_before(self, end: datetime, gaps: list[tuple[int, int]], floor: datetime) -> list[datetime]:
		"""Increasing times of a path's stage changes, ending at `end`: each stage lasts about the days in `gaps`
		(low, high), squeezed when the path would otherwise start before `floor`. Needs end >= floor + len(gaps)
		hours."""
		times = [end]
		for steps_left, (low, high) in zip(range(len(gaps), 0, -1), reversed(gaps), strict=True):
			later = times[-1]
			room = floor + (steps_left - 1) * HOUR  # an hour at least for each earlier step
			latest = min(later - timedelta(days=low), later - HOUR)
			earliest = later - timedelta(days=high)
			if latest < room:
				earliest, latest = room, later - HOUR
			times.append(self.between(max(earliest, room), latest))
		return times[::-1]

	# -- opportunities

	def customer(self) -> dict:
		"""A customer as the base generator makes it, with `opportunities` (each with its documents), some of its
		interactions about those deals, and the summaries recomputed."""
		customer = super().customer()
		customer["opportunities"] = deals = self.opportunities(customer)
		if deals:
			self.link_interactions(customer, deals)
			for deal in deals:
				customer["interactions"] += deal.pop("new_interactions")
			customer["interactions"].sort(key=lambda row: row["interaction_time"])
			for deal in deals:
				deal["last_activity_at"] = max(
					(
						row["interaction_time"]
						for row in customer["interactions"]
						if row.get("opportunity") is deal
					),
					default=None,
				)
			customer.update(follow_up_summary(customer["interactions"]))
			last = customer["last_interaction_at"]
			customer["modified"] = max(customer["creation"], last) if last else customer["creation"]
		return customer

	def opportunities(self, customer: dict) -> list[dict]:
		"""Deals of an owned customer: about a third have some, key accounts and VIPs more and bigger ones. All
		but the latest of a customer's deals are closed."""
		if not self.funnel or not customer["sales_owner"]:
			return []
		tier = customer["tier"] or ""
		count = sum(self.deal_count(tier) for _ in range(self.deal_rounds()))
		deals = []
		for index in range(count):
			deal = self.opportunity(customer, closed=index < count - 1)
			if deal:
				deals.append(deal)
		return deals

	def deal_rounds(self) -> int:
		"""How many times a customer draws its deals: the opportunity scale, its fraction drawn by chance."""
		whole, fraction = divmod(self.context.opportunity_scale, 1)
		return int(whole) + (1 if fraction and self.chance(fraction) else 0)

	def deal_count(self, tier: str) -> int:
		if not self.chance(PIPELINE["opportunity_share_by_tier"].get(tier, 0.35)):
			return 0
		return self.small_counts.get(tier, self.big_counts).pick(self.rng)

	def opportunity(self, customer: dict, closed: bool) -> dict | None:
		funnel, now = self.funnel, self.context.now
		outcome = (self.closed_outcomes if closed else self.outcomes).pick(self.rng)
		if outcome == "open":
			position = funnel.open_at.pick(self.rng)
		elif outcome == "lost":
			position = funnel.lost_at.pick(self.rng)
		else:
			position = len(funnel.open) - 1
		path = funnel.open[: position + 1]
		if outcome != "open":
			path.append(funnel.won if outcome == "won" else funnel.lost)
		stage_days = PIPELINE["stage_days"]
		gaps = [stage_days[min(index, len(stage_days) - 1)] for index in range(len(path) - 1)]

		# the whole deal lies within the customer's life and the 18 months of history
		floor = max(customer["creation"], now - timedelta(days=self.context.history_days)) + HOUR
		if outcome == "open":
			idle = path[-1].max_idle_days or 7
			age = self.rng.uniform(0, idle) if self.chance(0.6) else self.rng.uniform(idle, 60)
			end = self.between(max(floor, now - timedelta(days=age)), now)
		else:  # closed after at least the shortest time its stages take
			shortest = timedelta(days=sum(low for low, _high in gaps))
			end = self.between(
				max(floor + shortest, now - timedelta(days=self.context.history_days - 10)), now
			)
		if end < floor + len(path) * HOUR:
			return None  # the customer is too new for this deal
		times = self.times_before(end, gaps, floor)

		owner = customer["sales_owner"]
		lines, totals = self.deal_lines(customer)
		product = lines[0]["product_name"].split("（")[0]
		contact = self.deal_contact(customer["contacts"])
		titles = PHRASES["opportunity_titles"]
		deal = {
			"opportunity_name": self.rng.choice(titles.get(lines[0]["product_type"], titles[SERVICE])).format(
				product=product
			),
			"customer_name": customer["customer_name"],
			"contact_name": contact["contact_name"] if contact else None,
			"opportunity_owner": owner,
			"owner_since": times[0],
			"stage": path[-1].name,
			"status": "Won" if path[-1].is_won else "Lost" if path[-1].is_lost else "Open",
			"probability": path[-1].probability,
			"amount": Decimal(0),  # as Frappe stores an empty Currency field
			"currency": CURRENCY,
			"expected_close_date": self.expected_close(outcome, times),
			"lost_reason": None,
			"lost_reason_detail": None,
			"stage_changed_at": times[-1],
			"furthest_stage": furthest(
				{stage.name: stage.order for stage in path if not stage.is_lost},
				[stage.name for stage in path],
			),
			"last_activity_at": None,
			"description": self.rng.choice(PHRASES["opportunity_descriptions"]).format(
				product=product,
				need=self.rng.choice(PHRASES["needs"]),
				feedback=self.rng.choice(PHRASES["feedback"]),
				when=self.rng.choice(PHRASES["when"]),
			)
			if self.chance(0.8)
			else None,
			"creation": times[0],
			"modified": times[-1],
			"stage_history": [
				{
					"from_stage": path[index - 1].name if index else None,
					"to_stage": stage.name,
					"changed_at": moment,
					"changed_by": owner,
					"time_in_previous_stage": int((moment - times[index - 1]).total_seconds())
					if index
					else 0,
				}
				for index, (stage, moment) in enumerate(zip(path, times, strict=True))
			],
			"lines": lines,
			"quotations": [],
			"contract": None,
			"order": None,
		}
		if outcome == "lost":
			reason = self.lost_reasons.pick(self.rng) if self.lost_reasons else None
			deal["lost_reason"] = reason
			details = PHRASES["lost_reason_details"]
			if reason in details and self.chance(0.5):
				deal["lost_reason_detail"] = self.rng.choice(details[reason]).format(
					percent=self.rng.randint(5, 20)
				)
		self.deal_documents(customer, deal, path, times, totals)
		quoted = deal["quotations"][-1]["grand_total"] if deal["quotations"] else None
		if quoted is not None:
			deal["amount"] = quoted
		elif len(path) > 1 or self.chance(0.6):  # a first contact may have no figure yet
			estimate = float(totals.grand_total) * self.rng.uniform(0.85, 1.2)
			deal["amount"] = Decimal(max(100, round(estimate, -2))).quantize(Decimal("0.01"))
		deal["new_interactions"] = self.deal_interactions(customer, deal, path, times, contact, product)
		return deal

	def deal_contact(self, contacts: list[dict]) -> dict | None:
		if not contacts:
			return None
		buyers = [contact for contact in contacts if contact["decision_role"] == "Purchasing"]
		if buyers and self.chance(0.4):
			return buyers[0]
		return contacts[0] if self.chance(0.7) else self.rng.choice(contacts)

	def expected_close(self, outcome: str, times: list[datetime]) -> date:
		if outcome != "open":
			return times[-1].date() + timedelta(days=self.rng.randint(-15, 15))
		if self.chance(0.15):  # the date has passed and nobody moved it
			return max(times[0].date(), self.context.now.date() - timedelta(days=self.rng.randint(1, 20)))
		return self.context.now.date() + timedelta(days=self.rng.randint(7, 90))

	def deal_size(self, customer: dict) -> float:
		sizes = PIPELINE["deal_size_by_tier"]
		median = sizes.get(customer["tier"] or "", sizes[""])
		if customer["customer_type"] == "Individual":
			median *= PIPELINE["individual_deal_factor"]
		return min(3_000_000, max(500, median * self.rng.lognormvariate(0, 0.9)))

	def deal_lines(self, customer: dict):
		"""1 to 4 products the customer's trade buys, in quantities that come to about the deal's size."""
		products = self.products_for(customer["industry"])
		count = self.line_counts.pick(self.rng)
		chosen: list[Product] = []
		for _attempt in range(count * 4):
			product = products.pick(self.rng)
			if product not in chosen:
				chosen.append(product)
			if len(chosen) == count:
				break
		net = self.deal_size(customer) / (1 + float(self.context.tax_rate) / 100)
		shares = [self.rng.uniform(0.5, 1.5) for _product in chosen]
		lines = []
		for product, share in zip(chosen, shares, strict=True):
			wanted = net * share / sum(shares) / float(product.list_price or 1)
			lines.append(
				{
					"product": product.code,
					"product_name": product.name,
					"unit": product.unit,
					"product_type": product.product_type,
					"qty": Decimal(nice_quantity(wanted, product)),
					"list_price": product.list_price,
					"discount_percent": Decimal(self.discounts.pick(self.rng)),
				}
			)
		totals = price_deal(
			[(line["qty"], line["list_price"], line["discount_percent"]) for line in lines],
			self.context.tax_rate,
		)
		for line, priced in zip(lines, totals.lines, strict=True):
			line["rate"], line["amount"] = priced.rate, priced.amount
		return lines, totals

	def deal_documents(self, customer: dict, deal: dict, path: list[Stage], times: list[datetime], totals):
		"""The quotation approved before the stage that needs it, a draft one while the deal is being quoted, and
		for a won deal the signed contract (before it was won), the order and its payments."""
		funnel, now = self.funnel, self.context.now
		quote_from = funnel.quote_from
		forward = [stage for stage in path if not stage.is_lost]
		if len(forward) > quote_from:  # entered the stage that needs an approved quotation
			drafted = self.between(
				times[quote_from - 1],
				times[quote_from - 1] + (times[quote_from] - times[quote_from - 1]) * 0.7,
			)
			approved = self.between(drafted, times[quote_from])
			deal["quotations"].append(self.quotation(customer, deal, totals, drafted, approved))
		elif len(forward) == quote_from and self.chance(0.5 if path[-1].is_lost else 0.6):
			# being quoted now, or lost while being quoted: the quotation never got approved
			start = times[len(forward) - 1]
			end = times[len(forward)] if path[-1].is_lost else now
			deal["quotations"].append(self.quotation(customer, deal, totals, self.between(start, end), None))
		if not path[-1].is_won:
			return
		quotation = deal["quotations"][-1]
		won_at = times[-1]
		drafted = self.between(quotation["modified"], won_at)
		signed = self.between(drafted, won_at)
		product = deal["lines"][0]["product_name"].split("（")[0]
		deal["contract"] = {
			"contract_title": self.rng.choice(PHRASES["contract_titles"]).format(
				opportunity=deal["opportunity_name"], customer=customer["customer_name"], product=product
			),
			"customer_name": customer["customer_name"],
			"sales_owner": customer["sales_owner"],
			"signing_status": "Signed",
			"contract_amount": quotation["grand_total"],
			"currency": CURRENCY,
			"signed_date": signed.date(),
			"start_date": signed.date(),
			"end_date": signed.date() + timedelta(days=364),
			"creation": drafted,
			"modified": signed,
		}
		deal["order"] = self.sales_order(customer, deal, quotation, won_at)

	def quotation(self, customer, deal, totals, created: datetime, approved: datetime | None) -> dict:
		owner = customer["sales_owner"]
		needs_approval = totals.max_discount_percent > Decimal(str(self.context.discount_threshold))
		if approved:
			state, approved_by = "Approved", self.approvers.get(owner, owner) if needs_approval else owner
		else:
			state, approved_by = "Pending Approval" if needs_approval else "Draft", owner
		return {
			"customer_name": customer["customer_name"],
			"sales_owner": owner,
			"transaction_date": created.date(),
			"valid_till": created.date() + timedelta(days=PIPELINE["quotation_valid_days"]),
			"currency": CURRENCY,
			"items": deal["lines"],
			"total": totals.total,
			"discount_amount": totals.discount_amount,
			"net_total": totals.net_total,
			"tax_rate": Decimal(str(self.context.tax_rate)),
			"tax_amount": totals.tax_amount,
			"grand_total": totals.grand_total,
			"max_discount_percent": totals.max_discount_percent,
			"needs_approval": int(needs_approval),
			"workflow_state": state,
			"docstatus": 1 if approved else 0,
			"creation": created,
			"modified": approved or created,
			"modified_by": approved_by,
		}

	def sales_order(self, customer: dict, deal: dict, quotation: dict, won_at: datetime) -> dict:
		now = self.context.now
		created = self.between(won_at, min(won_at + 3 * DAY, now))
		ordered = created.date()
		delivery_date = ordered + timedelta(days=self.rng.randint(7, 30))
		shipped = received = None
		shipping = self.between(created + DAY, datetime.combine(delivery_date, created.time()))
		if shipping <= now:
			shipped = shipping
			receiving = self.between(shipped + DAY, shipped + 5 * DAY)
			if receiving <= now and not self.chance(0.04):  # a few customers never confirm receipt
				received = receiving
		grand_total = quotation["grand_total"]
		plan = []
		notes = PHRASES["payment_notes"]
		deposit_share = self.rng.choice(self.deposit_shares)
		if self.chance(0.5):
			deposit = to_fen(grand_total * deposit_share)
			plan = [
				{"due_date": ordered, "amount": deposit, "is_deposit": 1, "note": notes["deposit"]},
				{
					"due_date": delivery_date + timedelta(days=30),
					"amount": grand_total - deposit,
					"is_deposit": 0,
					"note": notes["balance"],
				},
			]
		order = {
			"customer_name": customer["customer_name"],
			"sales_owner": customer["sales_owner"],
			"transaction_date": ordered,
			"delivery_date": delivery_date,
			"currency": CURRENCY,
			"shipping_address": shipping_address(customer),
			"items": deal["lines"],
			**{
				field: quotation[field]
				for field in (
					"total",
					"discount_amount",
					"net_total",
					"tax_rate",
					"tax_amount",
					"grand_total",
				)
			},
			"delivery_status": "Received" if received else "Shipped" if shipped else "To Ship",
			"shipped_at": shipped,
			"received_at": received,
			"payment_plan": plan,
			"creation": created,
		}
		order["payments"] = payments = self.payments(order, deposit_share)
		paid = sum((payment["amount"] for payment in payments), Decimal(0))
		order["paid_amount"] = paid
		order["outstanding_amount"] = grand_total - paid
		order["payment_status"] = payment_status(
			grand_total, paid, any(payment["is_deposit"] for payment in payments)
		)
		order["modified"] = max(
			[created, *(moment for moment in (shipped, received) if moment)]
			+ [payment["creation"] for payment in payments]
		)
		return order

	def payments(self, order: dict, deposit_share: Decimal) -> list[dict]:
		"""Deposits and final payments received so far; what falls due after today is still outstanding."""
		now, total = self.context.now, order["grand_total"]
		created, received = order["creation"], order["received_at"]
		notes = PHRASES["payment_notes"]
		rows = []

		def pay(amount: Decimal, moment: datetime, is_deposit: int, remarks: str) -> bool:
			if moment > now or amount <= 0:
				return False
			method = (self.large_methods if amount >= self.large_payment else self.small_methods).pick(
				self.rng
			)
			rows.append(
				{
					"payment_date": moment.date(),
					"amount": amount,
					"is_deposit": is_deposit,
					"payment_method": method,
					"reference_no": reference_no(self.rng, method) if self.chance(0.7) else None,
					"remarks": remarks,
					"creation": moment,
				}
			)
			return True

		if order["payment_plan"] or self.chance(0.55):
			deposit = (
				order["payment_plan"][0]["amount"] if order["payment_plan"] else to_fen(total * deposit_share)
			)
			if (
				pay(deposit, self.between(created, created + 3 * DAY), 1, notes["deposit"])
				and received
				and self.chance(0.9)
			):
				pay(total - deposit, self.between(received, received + 45 * DAY), 0, notes["balance"])
		elif total < 5000 and self.chance(0.5):
			pay(total, self.between(created, created + 2 * DAY), 0, notes["in_full"])
		elif received and self.chance(0.85):
			if total > 20000 and self.chance(0.3):
				first = self.between(received, received + 20 * DAY)
				half = to_fen(total / 2)
				if pay(half, first, 0, notes["first_instalment"]):
					second = self.between(first + DAY, first + 40 * DAY)
					pay(total - half, second, 0, notes["second_instalment"])
			else:
				pay(total, self.between(received, received + 60 * DAY), 0, notes["on_delivery"])
		return rows

	def deal_interactions(self, customer, deal, path, times, contact, product) -> list[dict]:
		"""What the salesperson logged as the deal moved: often when it was opened, and at some stage changes."""
		rows = []
		owner = customer["sales_owner"]
		open_stages = self.funnel.open
		summaries = PHRASES[
			"deal_summaries"
		]  # open stages by their position in the funnel, the first being 0
		for index, (stage, moment) in enumerate(zip(path, times, strict=True)):
			if index == 0:
				templates, chance = summaries["new"], 0.5
			elif stage.is_won:
				templates, chance = summaries["won"], 0.5
			elif stage.is_lost:
				templates, chance = (
					summaries["lost_by_reason"].get(deal["lost_reason"], summaries["lost"]),
					0.5,
				)
			else:
				position = str(open_stages.index(stage))
				templates, chance = summaries["open_stages"].get(position, summaries["other"]), 0.35
			if not self.chance(chance):
				continue
			at = moment if index == 0 else self.between(max(times[index - 1], moment - 2 * HOUR), moment)
			follow_up = None
			if not (stage.is_won or stage.is_lost) and self.chance(0.4):
				follow_up = at.date() + timedelta(days=self.rng.randint(1, 14))
			kind, summary = self.rng.choice(templates)
			rows.append(
				{
					"interaction_type": kind,
					"interaction_time": at,
					"contact_name": contact["contact_name"] if contact else None,
					"next_follow_up_date": follow_up,
					"summary": summary.format(
						who=self.who(contact),
						product=product,
						when=self.rng.choice(PHRASES["when"]),
						days=self.rng.choice((30, 45, 60, 90)),
						reason=deal["lost_reason"] or PHRASES["unnamed_lost_reason"],
						stage=stage.name,
					),
					"owner": owner,
					"opportunity": deal,
				}
			)
		return rows

	def link_interactions(self, customer: dict, deals: list[dict]) -> None:
		"""Many of the owner's follow-ups while a deal was open were about it."""
		now = self.context.now
		for row in customer["interactions"]:
			if row["owner"] != customer["sales_owner"]:
				continue
			for deal in deals:
				end = deal["stage_changed_at"] if deal["status"] != "Open" else now
				if deal["creation"] <= row["interaction_time"] <= end and self.chance(0.6):
					row["opportunity"] = deal
					break

	# -- leads

	def leads(self, count: int):
		for _ in range(count):
			yield self.lead()

	def lead(self) -> dict:
		"""A prospect: a person, usually with their company, from a channel, with what they told us so far."""
		context, now = self.context, self.context.now
		province, city, district = self.place()
		if self.chance(0.4):
			district = None
		industry = self.industries.pick(self.rng)
		lead_name = self.person_name()
		company_name = brand = word = title = None
		authority = "Decision Maker"
		if self.chance(0.75):
			company_name, brand, word = self.company_name(province, city, industry)
			title, authority = self.lead_titles.pick(self.rng)
		owner = None if self.chance(LEADS["pool_share"]) else self.owner_for(province, pool_share=0)
		status = (self.owned_lead_statuses if owner else self.pool_lead_statuses).pick(self.rng)
		mobile = self.mobile() if self.chance(0.92) else None
		email = None
		if not mobile or self.chance(0.3):
			email = self.company_email(brand, word) if company_name else self.personal_email(lead_name)
		channel = self.lead_channels.pick(self.rng)
		answers = self.bant_answers(status, authority)
		products = self.products_for(industry) if context.products else None
		product = products.pick(self.rng) if products else None
		product_name = product.name.split("（")[0] if product else PHRASES["unnamed_product"]

		if status == "New":
			created = self.between(now - timedelta(days=20 if owner else 60), now)
			times = []
		elif owner:
			created = self.between(now - timedelta(days=180), now - 2 * DAY)
			times = self.lead_contact_times(created, status, recent=self.chance(0.85))
		else:  # went back to the pool when its owner stopped following it up
			created = self.between(
				now - timedelta(days=300), now - timedelta(days=context.pool_return_days + 10)
			)
			times = self.lead_contact_times(created, status, recent=False)
		contact = {"contact_name": lead_name, "job_title": title}
		logged_by = owner or self.owner_for(province, pool_share=0)
		interactions = []
		for index, moment in enumerate(times):
			kind = self.lead_interaction_types.pick(self.rng)
			follow_up = None
			if owner and self.chance(0.5 if index == len(times) - 1 else 0.3):
				follow_up = moment.date() + timedelta(days=self.rng.randint(1, 14))
			interactions.append(
				{
					"interaction_type": kind,
					"interaction_time": moment,
					"contact_name": lead_name if self.chance(0.6) else None,
					"next_follow_up_date": follow_up,
					"summary": self.rng.choice(PHRASES["lead_summaries"][kind]).format(
						who=self.who(contact),
						product=product_name,
						when=self.rng.choice(PHRASES["when"]),
						need=self.rng.choice(PHRASES["needs"]),
						feedback=self.rng.choice(PHRASES["lead_feedback"]),
					),
					"owner": logged_by,
				}
			)
		inquiry = None
		# people who found us online write what they want more often
		if self.chance(0.6 if channel in LEADS["online_channels"] else 0.25):
			inquiry = self.rng.choice(PHRASES["inquiries"]).format(
				product=product_name,
				qty=self.rng.choice((1, 2, 5, 10, 20, 50, 100)),
				unit=product.unit if product else PHRASES["default_unit"],
				need=self.rng.choice(PHRASES["needs"]),
				channel=channel,
			)
		lead = {
			"lead_name": lead_name,
			"company_name": company_name,
			"job_title": title,
			"status": status,
			"lead_owner": owner,
			"owner_since": created if owner else None,
			"source_channel": channel,
			"industry": industry,
			"score": bant_score(answers, context.bant_weights),
			"mobile_no": mobile,
			"email_id": email,
			"wechat_id": self.wechat_id(mobile, lead_name) if self.chance(0.5) else None,
			"uscc": self.uscc(province, city, district) if company_name and self.chance(0.15) else None,
			"province": province,
			"city": city,
			"district": district,
			**{BANT_FIELDS[dimension]: answer for dimension, answer in answers.items()},
			"inquiry": inquiry,
			"creation": created,
			"interactions": interactions,
		}
		lead.update(follow_up_summary(interactions))
		last = lead["last_interaction_at"]
		lead["modified"] = max(created, last) if last else created
		return lead

	def lead_contact_times(self, created: datetime, status: str, recent: bool) -> list[datetime]:
		"""When the lead was called, messaged or visited: the owner's latest follow-up is usually within the pool
		return period, or the daily job would have taken the lead away."""
		now = self.context.now
		count = self.rng.randint(2, 4) if status == "Qualified" else self.rng.randint(1, 3)
		if recent:
			recent_start = max(created, now - timedelta(days=max(self.context.pool_return_days - 3, 1)))
			times = [self.between(recent_start, now)]
			times += [self.between(created, times[0]) for _ in range(count - 1)]
		else:
			end = max(created, now - timedelta(days=self.context.pool_return_days + 1))
			times = [self.between(created, end) for _ in range(count)]
		return sorted(times)

	@staticmethod
	def bant_choices(options: dict[str, tuple[str, ...]], weights: dict[tuple[str, str], int]) -> dict:
		"""Per dimension: (every answer, the deal breaker, the other answers best first by their points)."""
		choices = {}
		for dimension, answers in options.items():
			answers = tuple(answer for answer in answers if answer)
			if not answers:
				continue
			ranked = sorted(answers, key=lambda answer: -weights.get((dimension, answer), 0))
			breaker = LEADS["disqualifying"].get(dimension)
			if breaker not in answers:
				breaker = ranked[-1]
			choices[dimension] = (answers, breaker, [answer for answer in ranked if answer != breaker])
		return choices

	def bant_answers(self, status: str, authority: str) -> dict[str, str | None]:
		"""New leads are mostly unknown; qualified ones answered well; an unqualified one has a deal breaker."""
		answers = {}
		for dimension, (options, breaker, usable) in self.bant.items():
			if status == "New":
				answer = self.rng.choice(options) if self.chance(0.25) else None
			elif status == "Qualified":
				answer = (
					Weighted(zip(usable, repeat_last((60, 35, 5), len(usable)), strict=True)).pick(self.rng)
					if usable
					else None
				)
			elif status == "Contacted" and not self.chance(0.7):
				answer = None
			else:
				answer = self.rng.choice(usable if usable and self.chance(0.85) else options)
			if dimension == "Authority" and answer and status != "New" and self.chance(0.8):
				if authority in options and not (status == "Qualified" and authority == breaker):
					answer = authority
			answers[dimension] = answer
		if status == "Unqualified" and not any(answers[d] == self.bant[d][1] for d in answers):
			dimension = self.rng.choice(
				[d for d in ("Budget", "Need", "Timeline") if d in self.bant] or list(self.bant)
			)
			answers[dimension] = self.bant[dimension][1]
		return answers


def reference_no(rng: random.Random, method: str) -> str | None:
	"""The transaction number a payment by `method` comes with; cash has none."""
	digits = PIPELINE["reference_digits"].get(method)
	return "".join(str(rng.randrange(10)) for _ in range(digits)) if digits else None


def nice_quantity(wanted: float, product: Product) -> int:
	"""A quantity people order: whole units, rounder the more there are; big services come one at a time."""
	quantity = max(1, round(wanted))
	if product.product_type == SERVICE:  # a few projects, or a year of monthly or per-trip service at most
		return min(quantity, 3 if product.list_price >= 10000 else 12)
	for above, step in ((1000, 50), (100, 10), (20, 5)):
		if quantity > above:
			return int(round(quantity / step) * step)
	return quantity


def shipping_address(customer: dict) -> str:
	"""As crm_app.sales_pipeline.deals.shipping_address writes it: 省市区 and street, each part once."""
	parts = []
	for part in (customer["province"], customer["city"], customer["district"], customer["address_line"]):
		if part and part not in parts:
			parts.append(part)
	return "".join(parts)
