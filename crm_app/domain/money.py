"""Amounts in CNY to the fen: Decimal arithmetic, half-up rounding at each line, never below zero."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from crm_app.domain.errors import DomainError

FEN = Decimal("0.01")
HUNDRED = Decimal(100)


def to_fen(value) -> Decimal:
	return Decimal(str(value or 0)).quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
	qty: Decimal
	list_price: Decimal
	discount_percent: Decimal
	rate: Decimal
	amount: Decimal
	list_amount: Decimal


@dataclass(frozen=True)
class Totals:
	lines: tuple[Line, ...]
	total: Decimal
	discount_amount: Decimal
	net_total: Decimal
	tax_amount: Decimal
	grand_total: Decimal
	max_discount_percent: Decimal
	coupon_discount: Decimal = Decimal(0)


def price_line(qty, list_price, discount_percent) -> Line:
	qty, list_price, discount = (
		Decimal(str(qty or 0)),
		to_fen(list_price),
		Decimal(str(discount_percent or 0)),
	)
	if qty <= 0:
		raise DomainError("Quantity must be greater than zero")
	if list_price < 0:
		raise DomainError("Price cannot be negative")
	if not 0 <= discount <= HUNDRED:
		raise DomainError("Discount must be between 0 and 100%")
	rate = to_fen(list_price * (HUNDRED - discount) / HUNDRED)
	return Line(qty, list_price, discount, rate, to_fen(rate * qty), to_fen(list_price * qty))


def price_deal(items: list[tuple], tax_rate, coupon=None) -> Totals:
	"""`items` are (qty, list_price, discount_percent); VAT is charged on the net total.

	A `coupon` (domain.coupons.Terms) takes its discount off the items' amount, before VAT, as a discount shown
	on a 发票 lowers the taxable amount; the order's discount is then the lines' and the coupon's together."""
	tax = Decimal(str(tax_rate or 0))
	if not 0 <= tax <= HUNDRED:
		raise DomainError("VAT rate must be between 0 and 100%")
	lines = tuple(price_line(*item) for item in items)
	total = sum((line.list_amount for line in lines), Decimal(0))
	items_amount = sum((line.amount for line in lines), Decimal(0))
	coupon_discount = coupon.discount_on(items_amount) if coupon else Decimal(0)
	net_total = items_amount - coupon_discount
	tax_amount = to_fen(net_total * tax / HUNDRED)
	return Totals(
		lines=lines,
		total=total,
		discount_amount=total - net_total,
		net_total=net_total,
		tax_amount=tax_amount,
		grand_total=net_total + tax_amount,
		max_discount_percent=max((line.discount_percent for line in lines), default=Decimal(0)),
		coupon_discount=coupon_discount,
	)


def payment_status(grand_total, paid, deposit_paid: bool) -> str:
	grand_total, paid = to_fen(grand_total), to_fen(paid)
	if paid <= 0:
		return "Unpaid"
	if paid >= grand_total:
		return "Paid"
	return "Deposit Paid" if deposit_paid else "Partly Paid"


def check_payment(amount, already_paid, grand_total) -> Decimal:
	"""Return the amount in fen; refuse zero, negative and anything beyond what is still owed."""
	amount = to_fen(amount)
	if amount <= 0:
		raise DomainError("The payment amount must be greater than zero")
	outstanding = to_fen(grand_total) - to_fen(already_paid)
	if amount > outstanding:
		raise DomainError(
			"The payment of {0} is more than the {1} still owed on this order", amount, outstanding
		)
	return amount


def check_plan(plan_amounts: list, grand_total) -> None:
	"""A payment plan, when there is one, must add up to the order total exactly."""
	if not plan_amounts:
		return
	amounts = [to_fen(amount) for amount in plan_amounts]
	if any(amount <= 0 for amount in amounts):
		raise DomainError("Every payment plan line needs an amount greater than zero")
	if sum(amounts, Decimal(0)) != to_fen(grand_total):
		raise DomainError(
			"The payment plan adds up to {0}, not the order total {1}",
			sum(amounts, Decimal(0)),
			to_fen(grand_total),
		)


DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
BIG_UNITS = ("", "万", "亿", "万亿")


def _four_digits(number: int) -> str:
	text, pending_zero = "", False
	for position in range(3, -1, -1):
		digit = number // 10**position % 10
		if digit == 0:
			pending_zero = bool(text)
			continue
		if pending_zero:
			text += "零"
			pending_zero = False
		text += DIGITS[digit] + SMALL_UNITS[position]
	return text


def _integer_uppercase(number: int) -> str:
	groups = []
	while number:
		number, group = divmod(number, 10000)
		groups.append(group)
	text, pending_zero = "", False
	for index in range(len(groups) - 1, -1, -1):
		group = groups[index]
		if group == 0:
			pending_zero = bool(text)
			continue
		if text and (pending_zero or group < 1000):
			text += "零"
		text += _four_digits(group) + BIG_UNITS[index]
		pending_zero = False
	return text


def rmb_uppercase(amount) -> str:
	"""人民币大写, as written on Chinese quotations, contracts and invoices: 1545.40 → 壹仟伍佰肆拾伍元肆角整."""
	value = to_fen(amount)
	if value < 0:
		return "负" + rmb_uppercase(-value)
	yuan = int(value)
	jiao, fen = divmod(int((value - yuan) * 100), 10)
	text = _integer_uppercase(yuan) + "元" if yuan else ""
	if not jiao and not fen:
		return (text or "零元") + "整"
	if jiao:
		text += DIGITS[jiao] + "角"
	elif yuan:
		text += "零"
	return text + (DIGITS[fen] + "分" if fen else "整")
