"""数电发票 (fully digital e-invoices): the figures of an invoice, the request a provider receives and how it is
signed, what the provider's answer means, and when a failed request is tried again."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from crm_app.domain.errors import DomainError
from crm_app.domain.money import HUNDRED, to_fen
from crm_app.domain.uscc import normalize_uscc

ORDINARY, SPECIAL = "Electronic Ordinary", "Electronic Special"  # 数电普票, 数电专票
# how the generic provider names them
PROVIDER_INVOICE_TYPES = {ORDINARY: "ordinary", SPECIAL: "special"}

PENDING, REQUESTED, ISSUED, FAILED = "Pending", "Requested", "Issued", "Failed"
# a request the job picks up once its next_retry_at is due (or unset)
DUE_STATUSES = (PENDING, REQUESTED, FAILED)
# what finance may still change and send again; a request the provider is issuing, or has issued, is settled
EDITABLE_STATUSES = (PENDING, FAILED)

# the tries a request gets before it waits for finance, and the waits between them: 5, 10, 20, 40, 80 minutes…
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)
# how long an attempt holds its request: past this, a crashed attempt's request is due again
ATTEMPT_LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class Figures:
	total: Decimal  # 价税合计
	net: Decimal  # 金额 (without VAT)
	tax: Decimal  # 税额
	tax_rate: Decimal


@dataclass(frozen=True)
class Line:
	name: str
	qty: Decimal
	unit: str
	net: Decimal
	tax: Decimal


def split_total(total, tax_rate) -> Figures:
	"""A VAT-inclusive total split into amount and VAT to the fen, adding up to the total exactly.

	For an order priced as net + round(net × rate), the split gives back that net and VAT."""
	total, rate = to_fen(total), Decimal(str(tax_rate if tax_rate is not None else 0))
	if total <= 0:
		raise DomainError("The invoice amount must be greater than zero")
	if not 0 <= rate <= HUNDRED:
		raise DomainError("VAT rate must be between 0 and 100%")
	net = to_fen(total * HUNDRED / (HUNDRED + rate))
	return Figures(total, net, total - net, rate)


def invoice_lines(lines: list[tuple[str, object, str, object]], figures: Figures) -> list[Line]:
	"""The invoice's lines from the order's (name, qty, unit, amount excluding VAT). An order-wide discount (a
	coupon) that leaves the invoice's amount below the lines' is spread over them, and the VAT too, each in
	proportion to a line's amount, so that the lines add up to the invoice's amount and VAT to the fen."""
	if not lines:
		raise DomainError("The invoice has no lines")
	amounts = [to_fen(amount) for _name, _qty, _unit, amount in lines]
	if any(amount < 0 for amount in amounts) or sum(amounts, Decimal(0)) < figures.net:
		raise DomainError(
			"The lines add up to {0}, less than the invoice amount {1}", sum(amounts, Decimal(0)), figures.net
		)
	nets = share(figures.net, amounts)
	taxes = share(figures.tax, nets)
	return [
		Line(str(name), Decimal(str(qty)), unit or "", net, tax)
		for (name, qty, unit, _amount), net, tax in zip(lines, nets, taxes, strict=True)
	]


def share(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
	"""`total` in fen shares proportional to `weights` (adding up to more than zero), the rounding left on the
	largest share."""
	whole = sum(weights, Decimal(0))
	shares = [to_fen(total * weight / whole) for weight in weights]
	largest = max(range(len(weights)), key=lambda index: weights[index])
	shares[largest] += total - sum(shares, Decimal(0))
	return shares


def check_buyer(invoice_type: str, title: str | None, tax_id: str | None) -> str | None:
	"""The buyer's tax ID (统一社会信用代码) normalized; a special invoice needs one, an ordinary one may go to a
	person without."""
	if invoice_type not in PROVIDER_INVOICE_TYPES:
		raise DomainError("{0} is not an invoice type", invoice_type)
	if not (title or "").strip():
		raise DomainError("The buyer's invoice title is required")
	tax_id = normalize_uscc(tax_id)
	if invoice_type == SPECIAL and not tax_id:
		raise DomainError("A special VAT invoice needs the buyer's tax ID")
	return tax_id


def default_invoice_type(preferred: str | None, tax_id: str | None) -> str:
	"""The type an automatic request asks for: the preferred one, or ordinary for a buyer without a tax ID."""
	if preferred == SPECIAL and tax_id:
		return SPECIAL
	return ORDINARY


def build_payload(
	request_id: str,
	order: str,
	invoice_type: str,
	buyer: tuple[str, str | None],
	seller: tuple[str | None, str | None],
	figures: Figures,
	lines: list[Line],
) -> dict:
	"""What the provider is asked to issue. Amounts are strings to the fen, rates fractions ("0.13"); the
	request id is the provider's key for not issuing twice when a request is sent again."""
	return {
		"request_id": request_id,
		"order_no": order,
		"invoice_type": PROVIDER_INVOICE_TYPES[invoice_type],
		"buyer": {"name": buyer[0].strip(), "tax_id": buyer[1] or ""},
		"seller": {"name": seller[0] or "", "tax_id": seller[1] or ""},
		"total_amount": str(figures.total),
		"amount": str(figures.net),
		"tax_amount": str(figures.tax),
		"tax_rate": _fraction(figures.tax_rate),
		"items": [
			{
				"name": line.name,
				"quantity": _plain(line.qty),
				"unit": line.unit,
				"amount": str(line.net),
				"tax_rate": _fraction(figures.tax_rate),
				"tax_amount": str(line.tax),
			}
			for line in lines
		],
	}


def _plain(number: Decimal) -> str:
	text = format(number, "f")
	return text.rstrip("0").rstrip(".") if "." in text else text


def _fraction(percent: Decimal) -> str:
	return _plain(percent / HUNDRED)


def signature(
	secret: str, app_id: str, method: str, path: str, timestamp: str, nonce: str, body: bytes
) -> str:
	"""HMAC-SHA256, in hex, of the method, path, app id, timestamp, nonce and the body's SHA-256, one a line."""
	message = "\n".join(
		(method.upper(), path, app_id, timestamp, nonce, hashlib.sha256(body).hexdigest())
	).encode()
	return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
	secret: str, app_id: str, method: str, path: str, timestamp: str, nonce: str, body: bytes
) -> dict[str, str]:
	return {
		"Content-Type": "application/json; charset=utf-8",
		"X-App-Id": app_id,
		"X-Timestamp": timestamp,
		"X-Nonce": nonce,
		"X-Signature": signature(secret, app_id, method, path, timestamp, nonce, body),
	}


@dataclass(frozen=True)
class Outcome:
	status: str  # ISSUED, REQUESTED (the provider is issuing it) or FAILED
	invoice_no: str | None = None
	invoice_date: str | None = None
	error: str | None = None
	retry: bool = False  # whether trying again later may succeed


def read_answer(http_status: int | None, body) -> Outcome:
	"""The provider's answer: `http_status` None when it never answered. A refusal (4xx, or "failed") waits for
	finance to fix the request; a server error, no answer or an unreadable one is tried again later."""
	if http_status is None or http_status >= 500 or http_status in (408, 429):
		return Outcome(FAILED, error=_describe(http_status, body), retry=True)
	if not isinstance(body, dict):
		return Outcome(FAILED, error=_describe(http_status, body), retry=http_status < 300)
	if http_status >= 300:
		return Outcome(FAILED, error=_describe(http_status, body))
	status = body.get("status")
	if status == "issued":
		if not body.get("invoice_no") or not body.get("invoice_date"):
			return Outcome(FAILED, error=_describe(http_status, body), retry=True)
		return Outcome(ISSUED, invoice_no=str(body["invoice_no"]), invoice_date=str(body["invoice_date"]))
	if status == "processing":
		return Outcome(REQUESTED)
	if status == "failed":
		return Outcome(FAILED, error=_describe(http_status, body))
	return Outcome(FAILED, error=_describe(http_status, body), retry=True)


def _describe(http_status: int | None, body) -> str:
	message = body.get("message") if isinstance(body, dict) else body
	prefix = f"HTTP {http_status}" if http_status else ""
	return ": ".join(str(part) for part in (prefix, message) if part)[:1000] or "no answer"


def retry_delay(attempts: int, processing: bool = False) -> timedelta | None:
	"""The wait before the next try after `attempts` tries, doubling from FIRST_RETRY up to LONGEST_RETRY; None
	once MAX_ATTEMPTS are used up. A request the provider is still issuing is asked about on the same schedule."""
	if attempts < 1:
		raise DomainError("Attempts must be at least 1")
	if attempts >= MAX_ATTEMPTS and not processing:
		return None
	# the doubling stops once it passes the longest wait, so a request polled for months never overflows
	return min(FIRST_RETRY * 2 ** min(attempts - 1, 30), LONGEST_RETRY)
