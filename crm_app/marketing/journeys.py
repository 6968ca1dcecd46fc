"""Journeys: automations an admin configures (welcome, birthday, win-back, thank-you). Each run enters the
customers whose occasion has come, at most once per customer and occasion, all in a few statements; then it gives
them the journey's coupon, queues its messages (which honour consent) and, for a win-back, a follow-up for the
owner."""

from datetime import datetime, timedelta

import frappe
from frappe import _
from frappe.utils import add_days, get_datetime, getdate, now_datetime

from crm_app.domain.outreach import birthday_occasion, birthdays_today
from crm_app.follow_ups import plan_follow_ups
from crm_app.marketing.campaigns import CHANNEL_FIELDS, enqueue_delivery
from crm_app.marketing.coupons import issue_coupons
from crm_app.marketing.sending import queue_messages

JOURNEY, ENTRY = "CRM Journey", "CRM Journey Entry"
# an occasion that is an event (a new customer, a deal won, an order paid) is acted on if it happened after the
# journey was set up and within this many days of the run: runs that were missed catch up, and no run reads all
# history again
CATCH_UP_DAYS = 7


def run(now: datetime | None = None) -> None:
	now = now or now_datetime()
	for journey in frappe.get_all(JOURNEY, filters={"enabled": 1}, pluck="name", order_by="name"):
		# one journey that fails (its coupon type switched off, say) is logged and leaves the others to run
		frappe.db.savepoint("crm_journey")
		try:
			enter(frappe.get_doc(JOURNEY, journey), now)
		except Exception:
			frappe.db.rollback(save_point="crm_journey")
			frappe.log_error(title=_("Journey {0} failed").format(journey))


def enter(journey, now: datetime) -> int:
	"""Enter the customers whose occasion has come and act on them; the number entered."""
	recipients, params = OCCASIONS[journey.occasion](journey, now)
	batch = frappe.generate_hash(length=12)
	params = {**params, "journey": journey.name, "batch": batch, "now": now, "user": frappe.session.user}
	frappe.db.sql(
		f"""insert ignore into `tab{ENTRY}`
			(name, creation, modified, owner, modified_by, docstatus, idx, journey, customer, contact, occasion,
			entered_at, batch)
		select md5(concat_ws(char(31), %(journey)s, r.customer, r.occasion, ifnull(r.contact, ''))),
			%(now)s, %(now)s, %(user)s, %(user)s, 0, 0, %(journey)s, r.customer, r.contact, r.occasion, %(now)s,
			%(batch)s
		from ({recipients}) r""",
		params,
	)
	entered = frappe.db.sql("select row_count()")[0][0]
	if not entered:
		return 0
	entries = f"select customer, occasion, contact from `tab{ENTRY}` where journey = %(journey)s and batch = %(batch)s"
	if journey.coupon_type:
		issue_coupons(
			journey.coupon_type,
			frappe.db.sql_list(
				f"select distinct customer from `tab{ENTRY}` where journey = %(journey)s and batch = %(batch)s",
				params,
			),
			occasion=journey.name,
		)
	for channel, field in CHANNEL_FIELDS.items():
		if journey.get(field):
			queue_messages(
				"journey", journey.name, channel, entries, {"journey": journey.name, "batch": batch}
			)
	if journey.follow_up_owner:
		follow_up_owners(journey, batch, now)
	enqueue_delivery()
	return entered


def welcome(journey, now: datetime) -> tuple[str, dict]:
	"""Customers who arrived since the journey was set up."""
	return (
		"select name as customer, 'welcome' as occasion, null as contact from `tabCRM Customer`"
		" where creation >= %(since)s",
		{"since": since(journey, now)},
	)


def birthday(journey, now: datetime) -> tuple[str, dict]:
	"""Individual customers and contacts born on this day (29 February counts as 28 February in other years),
	once a year each."""
	today = now.date()
	month, days = birthdays_today(today)
	born = "month({0}.birthday) = %(month)s and day({0}.birthday) in %(days)s"
	return (
		f"""select c.name as customer, %(occasion)s as occasion, null as contact from `tabCRM Customer` c
			where c.customer_type = 'Individual' and {born.format("c")}
		union all
		select k.parent, %(occasion)s, k.contact_name from `tabCRM Customer Contact` k
			where k.parenttype = 'CRM Customer' and {born.format("k")}""",
		{"month": month, "days": days, "occasion": birthday_occasion(today)},
	)


def win_back(journey, now: datetime) -> tuple[str, dict]:
	"""Customers flagged as churn risks, and those who have not ordered for the journey's number of days: once per
	lapse, as each lapse starts from a different last order."""
	lapsed = "churn_risk = 1"
	params = {}
	if journey.inactive_days:
		lapsed += " or last_order_date <= %(cutoff)s"
		params["cutoff"] = add_days(getdate(now), -journey.inactive_days)
	return (
		f"""select name as customer, concat('win-back-', last_order_date) as occasion, null as contact
		from `tabCRM Customer` where last_order_date is not null and ({lapsed})""",
		params,
	)


def thank_you(journey, now: datetime) -> tuple[str, dict]:
	"""Deals won and orders paid in full since the journey was set up, each thanked once."""
	return (
		"""select customer, concat('won-', name) as occasion, null as contact from `tabCRM Opportunity`
			where status = 'Won' and customer is not null and modified >= %(since)s
		union all
		select customer, concat('paid-', name), null from `tabCRM Sales Order`
			where docstatus = 1 and payment_status = 'Paid' and modified >= %(since)s""",
		{"since": since(journey, now)},
	)


def since(journey, now: datetime) -> datetime:
	return max(get_datetime(journey.creation), now - timedelta(days=CATCH_UP_DAYS))


OCCASIONS = {"Welcome": welcome, "Birthday": birthday, "Win-back": win_back, "Thank-you": thank_you}


def follow_up_owners(journey, batch: str, now: datetime) -> None:
	rows = frappe.db.sql(
		f"""select c.sales_owner as allocated_to, e.customer as reference_name from `tab{ENTRY}` e
		join `tabCRM Customer` c on c.name = e.customer
		where e.journey = %(journey)s and e.batch = %(batch)s and c.sales_owner is not null""",
		{"journey": journey.name, "batch": batch},
		as_dict=True,
	)
	description = _("{0}: get in touch with the customer").format(journey.journey_name)
	plan_follow_ups(
		"CRM Customer",
		[{**row, "date": getdate(now), "description": description} for row in rows],
	)
