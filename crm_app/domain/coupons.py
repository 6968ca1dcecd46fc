"""Coupons (优惠券): their codes, what they take off an order, and how long they last.

A coupon keeps the terms of its type as they were when it was issued: changing a type changes only the coupons
issued after, never a promise already made to a customer.
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from crm_app.domain.errors import DomainError
from crm_app.domain.money import HUNDRED, to_fen

FIXED_AMOUNT = "Fixed Amount"
PERCENTAGE = "Percentage"
DISCOUNT_TYPES = (FIXED_AMOUNT, PERCENTAGE)

ISSUED, REDEEMED, EXPIRED = "Issued", "Redeemed", "Expired"

# Read aloud or typed from a phone screen: no 0/O, 1/I/L, 2/Z, 5/S or 8/B to confuse.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 4  # 12 characters of 25 kinds: 2^55 codes, not guessable


def new_code() -> str:
	"""A random coupon code such as "K7QF-3MXC-9HTA", from the operating system's secure source."""
	return "-".join(
		"".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH)) for _ in range(CODE_GROUPS)
	)


@dataclass(frozen=True)
class Terms:
	"""What a coupon is worth: a fixed amount or a percentage (capped at max_discount when that is set) off an
	order whose items come to at least min_spend."""

	discount_type: str
	amount: Decimal = Decimal(0)
	percentage: Decimal = Decimal(0)
	max_discount: Decimal = Decimal(0)
	min_spend: Decimal = Decimal(0)

	@classmethod
	def of(cls, discount_type, amount=0, percentage=0, max_discount=0, min_spend=0) -> "Terms":
		"""Checked terms, money to the fen: what a coupon type may promise."""
		terms = cls(
			discount_type,
			to_fen(amount),
			Decimal(str(percentage or 0)),
			to_fen(max_discount),
			to_fen(min_spend),
		)
		if discount_type not in DISCOUNT_TYPES:
			raise DomainError("The discount must be a fixed amount or a percentage")
		if discount_type == FIXED_AMOUNT and terms.amount <= 0:
			raise DomainError("The coupon's amount must be greater than zero")
		if discount_type == PERCENTAGE and not 0 < terms.percentage <= HUNDRED:
			raise DomainError("The coupon's percentage must be greater than 0 and at most 100%")
		if terms.max_discount < 0 or terms.min_spend < 0:
			raise DomainError("The maximum discount and the minimum spend cannot be negative")
		return terms

	def discount_on(self, subtotal) -> Decimal:
		"""The discount on an order whose items come to `subtotal` (after line discounts, before VAT): never more
		than the subtotal, so an order never goes below zero."""
		subtotal = to_fen(subtotal)
		if subtotal < self.min_spend:
			raise DomainError(
				"This coupon needs a spend of at least {0}; the order's items come to {1}",
				self.min_spend,
				subtotal,
			)
		if self.discount_type == FIXED_AMOUNT:
			return min(self.amount, subtotal)
		discount = to_fen(subtotal * self.percentage / HUNDRED)
		if self.max_discount > 0:
			discount = min(discount, self.max_discount)
		return discount


def check_validity_rules(days_valid, limit_per_customer) -> None:
	if not isinstance(days_valid, int) or days_valid < 1:
		raise DomainError("A coupon must be valid for at least one day")
	if not isinstance(limit_per_customer, int) or limit_per_customer < 1:
		raise DomainError("The limit per customer must be at least 1")


def valid_until(issued_on: date, days_valid: int) -> date:
	"""The last day a coupon can be used: valid for `days_valid` days, the day it is issued being the first."""
	return issued_on + timedelta(days=days_valid - 1)


def check_redeemable(code: str, status: str, last_day: date, today: date) -> None:
	"""Only an issued coupon within its validity can be used."""
	if status == REDEEMED:
		raise DomainError("Coupon {0} has already been used", code)
	if status == EXPIRED or last_day < today:
		raise DomainError("Coupon {0} expired on {1}", code, last_day.isoformat())


def customers_to_issue(customers, held: dict[str, int], limit: int) -> list[str]:
	"""Each customer once, in the order given, leaving out those already holding `limit` coupons of the type."""
	return [customer for customer in dict.fromkeys(customers) if held.get(customer, 0) < limit]
