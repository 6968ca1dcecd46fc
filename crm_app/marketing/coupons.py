"""Coupons (优惠券): issued to many customers in a few statements (the journeys' welcome, birthday and win-back
coupons) or to one by a manager; redeemed by exactly one submitted sales order, even when two orders are
submitted at the same moment; given back when that order is cancelled; expired by a daily job.

A cancelled order gives its coupon back, as a shop refunding an order returns the coupon to the customer's wallet
(淘宝/京东 退款退券): Issued again while it is still valid, Expired once its last day has passed.
"""

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, nowdate

from crm_app.bulk import CHUNK, insert_values
from crm_app.domain.coupons import (
	EXPIRED,
	ISSUED,
	REDEEMED,
	Terms,
	check_redeemable,
	customers_to_issue,
	new_code,
	valid_until,
)
from crm_app.domain.errors import DomainError
from crm_app.permissions import throw_link_not_found
from crm_app.validation import throw_domain_error

COUPON = "CRM Coupon"
COUPON_TYPE = "CRM Coupon Type"
TERM_FIELDS = ("discount_type", "amount", "percentage", "max_discount", "min_spend")


def issue_coupons(coupon_type: str, customers: list[str], occasion: str | None = None) -> int:
	"""Issue a coupon of `coupon_type` to each of `customers` (names of CRM Customer) that exists and holds fewer
	coupons of the type than its limit per customer; return how many were issued.

	Set-based: a statement per CHUNK customers to count what they hold and one to insert their coupons. It checks
	no permission: the caller (a journey, or the desk endpoint) decides who may issue."""
	return len(_issue(coupon_type, customers, occasion))


def issue_coupon(coupon_type: str, customer: str) -> str:
	"""One coupon of `coupon_type` for `customer`, by hand; its code."""
	codes = _issue(coupon_type, [customer], None)
	if not codes:
		frappe.throw(
			_("{0} already holds as many coupons of type {1} as a customer can be issued").format(
				customer, coupon_type
			)
		)
	return codes[0]


def _issue(coupon_type: str, customers: list[str], occasion: str | None) -> list[str]:
	# the type's row lock serializes issuing of the type, so concurrent runs cannot exceed the limit together
	found = frappe.db.sql(
		f"""select enabled, days_valid, limit_per_customer, {", ".join(TERM_FIELDS)}
		from `tabCRM Coupon Type` where name = %s for update""",
		(coupon_type,),
		as_dict=True,
	)
	if not found:
		frappe.throw(_("{0} {1} not found").format(_(COUPON_TYPE), coupon_type), frappe.DoesNotExistError)
	kind = found[0]
	if not kind.enabled:
		frappe.throw(_("Coupon type {0} is disabled").format(coupon_type))
	now = now_datetime()
	last_day = valid_until(now.date(), kind.days_valid)
	terms = [kind[field] for field in TERM_FIELDS]
	customers = list(dict.fromkeys(customers))
	rows = []
	for start in range(0, len(customers), CHUNK):
		chunk = customers[start : start + CHUNK]
		held = frappe.db.sql(
			"""select customer.name, customer.customer_name, (select count(*) from `tabCRM Coupon` coupon
				where coupon.coupon_type = %(type)s and coupon.customer = customer.name)
			from `tabCRM Customer` customer where customer.name in %(customers)s""",
			{"type": coupon_type, "customers": chunk},
		)
		names = {name: customer_name for name, customer_name, _count in held}
		counts = {name: count for name, _customer_name, count in held}
		rows += [
			(customer, names[customer])
			for customer in customers_to_issue(chunk, counts, kind.limit_per_customer)
			if customer in names
		]
	codes = unused_codes(len(rows))
	user = frappe.session.user
	insert_values(
		COUPON,
		(
			"name",
			"code",
			"creation",
			"modified",
			"owner",
			"modified_by",
			"docstatus",
			"customer",
			"customer_name",
			"coupon_type",
			"occasion",
			"status",
			"issued_at",
			"valid_until",
			*TERM_FIELDS,
		),
		[
			(
				code,
				code,
				now,
				now,
				user,
				user,
				0,
				customer,
				name,
				coupon_type,
				occasion,
				ISSUED,
				now,
				last_day,
				*terms,
			)
			for code, (customer, name) in zip(codes, rows, strict=True)
		],
	)
	return codes


def unused_codes(count: int) -> list[str]:
	"""`count` new codes, none of them a coupon's already: a clash is astronomically rare, but never an error."""
	codes: set[str] = set()
	while len(codes) < count:
		fresh = {new_code() for _ in range(count - len(codes))} - codes
		taken = set(
			frappe.db.sql_list("select name from `tabCRM Coupon` where name in %s", [list(fresh)])
			if fresh
			else []
		)
		codes |= fresh - taken
	return list(codes)


def order_terms(order) -> Terms | None:
	"""The terms of the coupon on a sales order being saved or submitted: the order's customer's, still issued and
	within its validity."""
	if not order.coupon:
		return None
	coupon = frappe.db.get_value(
		COUPON, order.coupon, ["customer", "status", "valid_until", *TERM_FIELDS], as_dict=True
	)
	if not coupon:
		throw_link_not_found(_("Coupon"), order.coupon)
	if coupon.customer != order.customer:
		frappe.throw(_("Coupon {0} belongs to another customer").format(order.coupon))
	try:
		check_redeemable(order.coupon, coupon.status, getdate(coupon.valid_until), getdate(nowdate()))
		return Terms.of(*(coupon[field] for field in TERM_FIELDS))
	except DomainError as error:
		throw_domain_error(error)


def redeem(order) -> None:
	"""Mark the order's coupon redeemed by it, in the submit's transaction: a conditional update that only an
	issued, valid coupon of the customer passes, so of two orders submitted at once exactly one gets it; the
	other waits for the first to commit, finds it used and is refused, and nothing of it is saved."""
	if not order.coupon:
		return
	now = now_datetime()
	frappe.db.sql(
		"""update `tabCRM Coupon` set status = %(redeemed)s, sales_order = %(order)s, redeemed_at = %(now)s,
			modified = %(now)s, modified_by = %(user)s
		where name = %(coupon)s and customer = %(customer)s and status = %(issued)s and valid_until >= %(today)s""",
		{
			"redeemed": REDEEMED,
			"issued": ISSUED,
			"order": order.name,
			"now": now,
			"user": frappe.session.user,
			"coupon": order.coupon,
			"customer": order.customer,
			"today": now.date(),
		},
	)
	if frappe.db._cursor.rowcount == 1:
		return
	# a locking read sees what the order that won committed, where this transaction's snapshot would not
	status, last_day = frappe.db.sql(
		"select status, valid_until from `tabCRM Coupon` where name = %s for update", (order.coupon,)
	)[0]
	try:
		check_redeemable(order.coupon, status, getdate(last_day), now.date())
	except DomainError as error:
		throw_domain_error(error)
	frappe.throw(_("Coupon {0} cannot be used for this order").format(order.coupon))


def give_back(order) -> None:
	"""A cancelled order's coupon is the customer's again: Issued while still valid, Expired after."""
	if not order.coupon:
		return
	frappe.db.sql(
		"""update `tabCRM Coupon` set status = if(valid_until >= %(today)s, %(issued)s, %(expired)s),
			sales_order = null, redeemed_at = null, modified = %(now)s, modified_by = %(user)s
		where name = %(coupon)s and sales_order = %(order)s and status = %(redeemed)s""",
		{
			"today": getdate(nowdate()),
			"issued": ISSUED,
			"expired": EXPIRED,
			"redeemed": REDEEMED,
			"now": now_datetime(),
			"user": frappe.session.user,
			"coupon": order.coupon,
			"order": order.name,
		},
	)


def expire_coupons() -> int:
	"""Every issued coupon whose last day has passed becomes Expired, in one statement; how many did."""
	frappe.db.sql(
		"""update `tabCRM Coupon` set status = %(expired)s, modified = %(now)s
		where status = %(issued)s and valid_until < %(today)s""",
		{"expired": EXPIRED, "issued": ISSUED, "now": now_datetime(), "today": getdate(nowdate())},
	)
	return frappe.db._cursor.rowcount
