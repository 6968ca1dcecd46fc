"""The demo service desk: customers' tickets about the products they bought, routed, answered and resolved on the
service clock.

Pure Python, no frappe, like generator.py and pipeline.py: `ServiceGenerator` extends the pipeline generator and
draws from the same seeded random source, so a seed gives the same customers, pipeline and tickets. A ticket's
story is drawn whole in the working time of its service level's calendar (crm_app.domain.sla): opened mostly in
working hours, answered and resolved within the targets of its priority but now and then late, some of it spent
waiting on the customer. It is then read at the present: a story not over yet is an open ticket (New, In
Progress or Waiting on Customer). The loader reads each ticket's deadlines and SLA status off the app's clock.
"""

from datetime import datetime, timedelta
from html import escape

from crm_app.demo.catalogue import Product, read
from crm_app.demo.generator import Weighted
from crm_app.demo.pipeline import PipelineGenerator
from crm_app.domain.sla import Pause, ServiceLevel
from crm_app.domain.ticket_status import (
	CLOSED,
	IN_PROGRESS,
	NEW,
	RESOLVED,
	WAITING,
	WAITING_REASON,
)

TICKETS = read("tickets")
EMAIL, PHONE = "Email", "Phone"
# channels on which an agent takes the customer's call and opens the ticket in the desk
DESK_CHANNELS = ("Phone", "WeChat", "On Site")
DAY = timedelta(days=1)


def to_second(moment: datetime) -> datetime:
	return moment.replace(microsecond=0)


class ServiceGenerator(PipelineGenerator):
	def __init__(self, context, seed=None, taken=None):
		super().__init__(context, seed=seed, taken=taken)
		self.ticket_channels = {
			product_type: Weighted(weights.items()) for product_type, weights in TICKETS["channels"].items()
		}
		self.satisfaction = {
			kind: Weighted((int(score), weight) for score, weight in weights.items())
			for kind, weights in TICKETS["satisfaction"].items()
		}
		self._priorities: dict[str, Weighted] = {}
		self.tickets_made = 0
		self.products_by_code = {product.code: product for product in context.products}

	def customer(self) -> dict:
		"""A customer as the pipeline generator makes it, with its `tickets`."""
		customer = super().customer()
		customer["tickets"] = self.tickets(customer)
		return customer

	def tickets(self, customer: dict) -> list[dict]:
		"""About one ticket for every four customers; those who ordered from us raise more."""
		if not (self.context.service_levels and self.context.products):
			return []
		orders = [deal["order"] for deal in customer["opportunities"] if deal["order"]]
		if not self.chance(TICKETS["per_customer"]["with_orders" if orders else "without_orders"]):
			return []
		count = 1
		while count < TICKETS["max_per_customer"] and self.chance(TICKETS["another_ticket"]):
			count += 1
		tickets = [self.ticket(customer, orders) for _ in range(count)]
		return sorted((ticket for ticket in tickets if ticket), key=lambda ticket: ticket["opened_on"])

	def priorities(self, level_name: str, level: ServiceLevel) -> Weighted:
		if level_name not in self._priorities:
			self._priorities[level_name] = Weighted(
				(priority, weight)
				for priority, weight in TICKETS["priorities"].items()
				if priority in level.targets
			)
		return self._priorities[level_name]

	def ticket(self, customer: dict, orders: list[dict]) -> dict | None:
		"""A ticket about a product the customer ordered (perhaps not for the first time) or one their trade buys.
		Its time is drawn over the whole history, and the ticket dropped when that was before the customer was one
		(or no service level serves it): customers raise tickets at a steady rate for as long as they are ours.
		The first ticket, and every `backlog_every`th after it, is one of the desk's backlog: still open now.
		"""
		context, now = self.context, self.context.now
		product = self.ticket_product(customer, orders)
		channel = self.ticket_channels[product.product_type].pick(self.rng)
		contact, raised_by = self.ticket_contact(customer, channel)
		if channel == EMAIL and not raised_by:
			channel = PHONE  # no address to write from: they called
		team, level_name = context.ticket_routes.get((product.product_type, channel), (None, None))
		level = context.service_levels.get(level_name)
		if level is None:
			return None
		problem = self.problem(product)
		priority = problem["priority"]
		if priority not in level.targets or not self.chance(TICKETS["problem_priority_share"]):
			priority = self.priorities(level_name, level).pick(self.rng)
		backlog = self.tickets_made % TICKETS["backlog_every"] == 0
		days = TICKETS["backlog_days"] if backlog else TICKETS["history_days"]
		opened = self.opened_at(level, now - days * DAY, now)
		if opened < customer["creation"]:
			return None
		story = self.story(level, priority, opened)
		for _attempt in range(10):
			if not (backlog and story["resolved_on"]):
				break
			opened = self.opened_at(level, opened, now)
			story = self.story(level, priority, opened)
		if backlog and story["resolved_on"]:
			opened = now  # not even answered yet
			story = self.story(level, priority, opened)
		self.tickets_made += 1
		team_agents = context.team_agents.get(team, ()) if team else ()
		if team_agents:  # the team's assignment rule gave it to one of them as it came in
			agent = self.rng.choice(team_agents)
		elif story["status"] != NEW and context.queue_agents:  # someone took it from the queue
			agent = self.rng.choice(context.queue_agents)
		else:
			agent = None
		return {
			"subject": problem["subject"].format(product=product.name),
			"description": f"<p>{escape(problem['description'].format(product=product.name))}</p>",
			# what the agent did, written down as they resolved it
			"resolution": f"<p>{escape(problem['solution'].format(product=product.name))}</p>"
			if story["resolved_on"]
			else None,
			"customer_name": customer["customer_name"],
			"contact_name": contact["contact_name"] if contact else None,
			"raised_by": raised_by,
			"priority": priority,
			"channel": channel,
			"product": product.code,
			"product_type": product.product_type,
			"service_team": team,
			"agent": agent,
			"service_level": level_name,
			"owner": agent if agent and channel in DESK_CHANNELS else None,
			"creation": opened,
			**story,
		}

	def ticket_product(self, customer: dict, orders: list[dict]) -> Product:
		"""Machines break more often than services go wrong: each product type has its odds of being what a
		ticket is about."""
		bought = [line["product"] for order in orders for line in order["items"]]
		for _attempt in range(20):
			if bought and self.chance(TICKETS["ordered_product_share"]):
				product = self.products_by_code[self.rng.choice(bought)]
			else:
				product = self.products_for(customer["industry"]).pick(self.rng)
			if self.chance(TICKETS["product_type_odds"][product.product_type]):
				break
		return product

	def ticket_contact(self, customer: dict, channel: str) -> tuple[dict | None, str | None]:
		"""(the contact who raised it, the address they wrote from when it came by e-mail)."""
		contacts = customer["contacts"]
		if channel == EMAIL:
			writers = [contact for contact in contacts if contact["email_id"]]
			if writers:
				contact = self.rng.choice(writers)
				return contact, contact["email_id"]
			if customer["email_id"]:
				return contacts[0], customer["email_id"]
		return (contacts[0] if self.chance(0.6) else self.rng.choice(contacts)), None

	def problem(self, product: Product) -> dict:
		own = TICKETS["problems"].get(product.code)
		general = TICKETS["general"].get(product.product_type)
		if own and (not general or self.chance(TICKETS["product_problem_share"])):
			return self.rng.choice(own)
		return self.rng.choice(general or own)

	def opened_at(self, level: ServiceLevel, start: datetime, end: datetime) -> datetime:
		"""Mostly in working hours: customers call while someone is there to answer."""
		calendar = level.calendar
		if self.chance(TICKETS["office_hours_share"]):
			worked = calendar.minutes_between(start, end)
			if worked > 0:
				return max(start, to_second(calendar.add_minutes(start, self.rng.uniform(0, worked))))
		return to_second(start + (end - start) * self.rng.random())

	def share_of_target(self, shares: dict) -> float:
		low, high = shares["late"] if self.chance(shares["late_share"]) else shares["on_time"]
		return self.rng.uniform(low, high)

	def story(self, level: ServiceLevel, priority: str, opened: datetime) -> dict:
		"""The ticket as it stands now: status, first response, pauses, resolution, and the customer's rating."""
		now, calendar, targets = self.context.now, level.calendar, level.targets[priority]
		response = targets.response_minutes * self.share_of_target(TICKETS["response"])
		resolution = max(
			targets.resolution_minutes * self.share_of_target(TICKETS["resolution"]),
			response + self.rng.uniform(*TICKETS["work_minutes_after_response"]),
		)
		late = response > targets.response_minutes or resolution > targets.resolution_minutes
		responded = to_second(calendar.add_minutes(opened, response))
		wait = None
		if self.chance(TICKETS["waiting_share"]):
			paused = to_second(calendar.add_minutes(opened, self.rng.uniform(response, resolution - 5)))
			wait = (
				paused,
				to_second(calendar.add_minutes(paused, self.rng.uniform(*TICKETS["waiting_minutes"]))),
			)
		resolved = to_second(calendar.deadline(opened, resolution, [Pause(*wait)] if wait else []))

		story = {
			"opened_on": opened,
			"first_responded_on": responded,
			"resolved_on": None,
			"pauses": [],
			"satisfaction": None,
			"feedback": None,
		}
		if now < responded:
			return {**story, "status": NEW, "first_responded_on": None, "modified": opened}
		if wait and wait[0] <= now < wait[1]:
			return {**story, "status": WAITING, "pauses": [self.pause(wait[0], None)], "modified": wait[0]}
		pauses = [self.pause(*wait)] if wait and wait[1] <= now else []
		if now < resolved:
			return {
				**story,
				"status": IN_PROGRESS,
				"pauses": pauses,
				"modified": wait[1] if pauses else responded,
			}
		story.update(status=RESOLVED, resolved_on=resolved, pauses=pauses, modified=resolved)
		if resolved < now - TICKETS["closed_after_days"] * DAY and self.chance(TICKETS["closed_share"]):
			closed = resolved + self.rng.uniform(*TICKETS["closing_days"]) * DAY
			story.update(status=CLOSED, modified=to_second(min(now, closed)))
		if self.chance(TICKETS["rated_share"]):
			score = self.satisfaction["late" if late else "on_time"].pick(self.rng)
			story["satisfaction"] = score
			if self.chance(TICKETS["feedback_share"]):
				band = "high" if score >= 8 else "middle" if score >= 5 else "low"
				story["feedback"] = self.rng.choice(TICKETS["feedback"][band])
		return story

	@staticmethod
	def pause(paused_at: datetime, resumed_at: datetime | None) -> dict:
		return {"paused_at": paused_at, "resumed_at": resumed_at, "reason": WAITING_REASON}
