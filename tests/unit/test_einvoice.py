"""数电发票 rules: the VAT split, lines that add up, the buyer, the payload, its signature, the provider's answer
and the backoff between tries."""

import hashlib
import hmac
from datetime import timedelta
from decimal import Decimal

import pytest

from crm_app.domain import einvoice as rules
from crm_app.domain.errors import DomainError
from crm_app.domain.money import price_deal
from crm_app.domain.uscc import check_character

USCC = "91330106" + "MA2ABCDE1"
USCC += check_character(USCC)


@pytest.mark.parametrize(
	"items, rate",
	[
		([(3, "398", 5), (7, "33.33", 0)], 13),
		([(1, "100.01", 0)], 13),
		([(1, "0.07", 0)], 6),
		([(2, "999.99", 0), (1, "0.01", 0)], 9),
		([(1, "1000", 0)], 0),
	],
)
def test_the_split_of_an_orders_total_gives_back_its_amount_and_vat(items, rate):
	totals = price_deal(items, rate)
	figures = rules.split_total(totals.grand_total, rate)
	assert (figures.total, figures.net, figures.tax) == (
		totals.grand_total,
		totals.net_total,
		totals.tax_amount,
	)


def test_the_split_adds_up_to_the_fen():
	figures = rules.split_total("100.00", 13)
	assert (figures.net, figures.tax) == (Decimal("88.50"), Decimal("11.50"))
	assert figures.net + figures.tax == Decimal("100.00")


@pytest.mark.parametrize("total, rate", [(0, 13), (-1, 13), ("100", -1), ("100", 101)])
def test_impossible_figures_are_refused(total, rate):
	with pytest.raises(DomainError):
		rules.split_total(total, rate)


def test_lines_share_the_vat_and_add_up_exactly():
	figures = rules.split_total("3.39", 13)  # 3.00 + 0.39: three lines of 1.00 round to 0.13 each
	lines = rules.invoice_lines(
		[("茶", 1, "件", "1.00"), ("杯", 1, "件", "1.00"), ("盘", 1, "件", "1.00")], figures
	)
	assert [line.tax for line in lines] == [Decimal("0.13")] * 3
	figures = rules.split_total("3.40", 13)  # 3.01 + 0.39
	lines = rules.invoice_lines(
		[("茶", 1, "件", "1.01"), ("杯", 1, "件", "1.00"), ("盘", 1, "件", "1.00")], figures
	)
	assert sum(line.net for line in lines) == figures.net
	assert sum(line.tax for line in lines) == figures.tax


def test_an_order_wide_discount_is_spread_over_the_lines():
	figures = rules.split_total("113.00", 13)  # 100.00 net after a 50.00 coupon off 150.00 of goods
	lines = rules.invoice_lines([("茶", 2, "件", "100.00"), ("杯", 1, "个", "50.00")], figures)
	assert [line.net for line in lines] == [Decimal("66.67"), Decimal("33.33")]
	assert sum(line.net for line in lines) == Decimal("100.00")
	assert sum(line.tax for line in lines) == Decimal("13.00")
	assert lines[1].unit == "个" and lines[0].qty == 2


def test_lines_worth_less_than_the_invoice_or_none_are_refused():
	figures = rules.split_total("113.00", 13)
	with pytest.raises(DomainError, match="less than the invoice amount"):
		rules.invoice_lines([("茶", 1, "件", "99.99")], figures)
	with pytest.raises(DomainError, match="no lines"):
		rules.invoice_lines([], figures)


def test_the_buyer():
	assert rules.check_buyer(rules.SPECIAL, "杭州茶业有限公司", USCC.lower()) == USCC
	assert rules.check_buyer(rules.ORDINARY, "王伟", None) is None
	with pytest.raises(DomainError, match="needs the buyer's tax ID"):
		rules.check_buyer(rules.SPECIAL, "杭州茶业有限公司", "")
	with pytest.raises(DomainError, match="title is required"):
		rules.check_buyer(rules.ORDINARY, "  ", None)
	with pytest.raises(DomainError, match="check character"):
		rules.check_buyer(rules.ORDINARY, "杭州茶业有限公司", USCC[:-1] + ("0" if USCC[-1] != "0" else "1"))
	with pytest.raises(DomainError, match="not an invoice type"):
		rules.check_buyer("Paper", "杭州茶业有限公司", None)


def test_an_automatic_request_asks_for_a_special_invoice_only_with_a_tax_id():
	assert rules.default_invoice_type(rules.SPECIAL, USCC) == rules.SPECIAL
	assert rules.default_invoice_type(rules.SPECIAL, None) == rules.ORDINARY
	assert rules.default_invoice_type(None, USCC) == rules.ORDINARY


def test_the_payload():
	figures = rules.split_total("1545.40", 13)
	lines = rules.invoice_lines(
		[("西湖龙井 250g", 3, "件", "1134.30"), ("青瓷茶杯", Decimal("7.5"), "个", "233.31")], figures
	)
	payload = rules.build_payload(
		"INV-REQ-2026-00001",
		"SO-2026-00001",
		rules.SPECIAL,
		(" 杭州茶业有限公司 ", USCC),
		("上海示例科技有限公司", None),
		figures,
		lines,
	)
	assert payload["request_id"] == "INV-REQ-2026-00001" and payload["order_no"] == "SO-2026-00001"
	assert payload["invoice_type"] == "special"
	assert payload["buyer"] == {"name": "杭州茶业有限公司", "tax_id": USCC}
	assert payload["seller"] == {"name": "上海示例科技有限公司", "tax_id": ""}
	assert (payload["total_amount"], payload["amount"], payload["tax_amount"], payload["tax_rate"]) == (
		"1545.40",
		"1367.61",
		"177.79",
		"0.13",
	)
	assert [item["quantity"] for item in payload["items"]] == ["3", "7.5"]
	assert sum(Decimal(item["amount"]) for item in payload["items"]) == Decimal("1367.61")
	assert sum(Decimal(item["tax_amount"]) for item in payload["items"]) == Decimal("177.79")


def test_the_signature_covers_every_part_of_the_request():
	parts = ("secret", "app-1", "post", "/invoices", "1700000000", "abc", b'{"a":1}')
	expected = hmac.new(
		b"secret",
		"\n".join(
			("POST", "/invoices", "app-1", "1700000000", "abc", hashlib.sha256(b'{"a":1}').hexdigest())
		).encode(),
		hashlib.sha256,
	).hexdigest()
	assert rules.signature(*parts) == expected
	for index in range(len(parts)):
		changed = list(parts)
		changed[index] = changed[index] + (b"x" if isinstance(changed[index], bytes) else "x")
		assert rules.signature(*changed) != expected, index
	headers = rules.signed_headers(*parts)
	assert headers["X-Signature"] == expected
	assert (headers["X-App-Id"], headers["X-Timestamp"], headers["X-Nonce"]) == ("app-1", "1700000000", "abc")


@pytest.mark.parametrize(
	"status, body, expected",
	[
		(
			200,
			{"status": "issued", "invoice_no": "2633", "invoice_date": "2026-12-07"},
			(rules.ISSUED, False),
		),
		(200, {"status": "processing"}, (rules.REQUESTED, False)),
		(200, {"status": "failed", "message": "税号不存在"}, (rules.FAILED, False)),
		(400, {"message": "签名错误"}, (rules.FAILED, False)),
		(500, {"message": "busy"}, (rules.FAILED, True)),
		(503, "<html>", (rules.FAILED, True)),
		(429, {}, (rules.FAILED, True)),
		(None, "ConnectTimeout", (rules.FAILED, True)),
		(200, "not json", (rules.FAILED, True)),
		(200, {"status": "issued"}, (rules.FAILED, True)),
		(200, {"status": "what"}, (rules.FAILED, True)),
	],
)
def test_the_providers_answer(status, body, expected):
	outcome = rules.read_answer(status, body)
	assert (outcome.status, outcome.retry) == expected
	if outcome.status == rules.FAILED:
		assert outcome.error
	if outcome.status == rules.ISSUED:
		assert (outcome.invoice_no, outcome.invoice_date) == ("2633", "2026-12-07")


def test_an_answer_says_what_went_wrong():
	assert rules.read_answer(400, {"message": "签名错误"}).error == "HTTP 400: 签名错误"
	assert rules.read_answer(None, "ConnectTimeout").error == "ConnectTimeout"
	assert len(rules.read_answer(500, "x" * 5000).error) <= 1000


def test_backoff_doubles_up_to_a_limit_then_waits_for_finance():
	delays = [rules.retry_delay(attempt) for attempt in range(1, rules.MAX_ATTEMPTS + 1)]
	assert delays[:-1] == [timedelta(minutes=minutes) for minutes in (5, 10, 20, 40, 80)]
	assert delays[-1] is None
	assert rules.retry_delay(30, processing=True) == rules.LONGEST_RETRY
	with pytest.raises(DomainError):
		rules.retry_delay(0)
