"""The e-invoice hand-off (数电发票): one CRM Invoice Request per sales order, made when the order is fully paid
or when finance asks, and sent by a background job to the provider set up in CRM Settings, tried again with
backoff while it fails. The rules are in crm_app/domain/einvoice.py; providers sit behind `Provider`."""

import json
import secrets
import time
from typing import Protocol
from urllib.parse import urlsplit

import frappe
import requests
from frappe import _
from frappe.utils import now_datetime

from crm_app.background import enqueue_once
from crm_app.domain import einvoice as rules
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import get_settings

DOCTYPE = "CRM Invoice Request"
# requests one scheduler pass sends; the rest wait for the next pass, five minutes on
BATCH = 50
TIMEOUT_SECONDS = 15


class Provider(Protocol):
	def issue(self, payload: dict) -> rules.Outcome:
		"""Ask for the invoice; the payload's request_id keeps a repeated request from issuing twice."""

	def query(self, request_id: str) -> rules.Outcome:
		"""Ask what became of a request the provider was still issuing."""


class HttpJsonProvider:
	"""A provider taking signed JSON: POST <url>/invoices issues, POST <url>/invoices/query reports on one.

	Each request carries X-App-Id, X-Timestamp, X-Nonce and X-Signature (crm_app.domain.einvoice.signature)."""

	def __init__(self, url: str, app_id: str, secret: str):
		self.url, self.app_id, self.secret = url.rstrip("/"), app_id, secret

	def issue(self, payload: dict) -> rules.Outcome:
		return self.post("/invoices", payload)

	def query(self, request_id: str) -> rules.Outcome:
		return self.post("/invoices/query", {"request_id": request_id})

	def post(self, path: str, data: dict) -> rules.Outcome:
		url = self.url + path
		body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
		headers = rules.signed_headers(
			self.secret,
			self.app_id,
			"POST",
			urlsplit(url).path,
			str(int(time.time())),
			secrets.token_hex(8),
			body,
		)
		try:
			response = requests.post(url, data=body, headers=headers, timeout=TIMEOUT_SECONDS)
		except requests.RequestException as error:
			return rules.read_answer(None, type(error).__name__)
		try:
			answer = response.json()
		except ValueError:
			answer = response.text[:500]
		return rules.read_answer(response.status_code, answer)


PROVIDERS = {"HTTP JSON": HttpJsonProvider}


def configured_provider() -> Provider | None:
	settings = get_settings()
	secret = settings.get_password("einvoice_secret", raise_exception=False)
	if not (settings.einvoice_provider and settings.einvoice_url and settings.einvoice_app_id and secret):
		return None
	return PROVIDERS[settings.einvoice_provider](settings.einvoice_url, settings.einvoice_app_id, secret)


def request_invoice(
	sales_order: str,
	invoice_type: str | None = None,
	buyer_title: str | None = None,
	buyer_tax_id: str | None = None,
	for_system: bool = False,
):
	"""The order's invoice request, made and sent if it has none yet; asking again returns the same one.

	`for_system`: made by the app itself (the order was paid), not by a user with the right to make one."""
	if existing := open_request(sales_order):
		return frappe.get_doc(DOCTYPE, existing)
	request = frappe.get_doc(
		{
			"doctype": DOCTYPE,
			"sales_order": sales_order,
			"invoice_type": invoice_type,
			"buyer_title": buyer_title,
			"buyer_tax_id": buyer_tax_id,
		}
	)
	frappe.db.savepoint("invoice_request")
	try:
		return request.insert(ignore_permissions=for_system)
	except frappe.UniqueValidationError:
		# another request for the order was made at the same moment and committed first
		frappe.db.rollback(save_point="invoice_request")
		frappe.clear_last_message()
		return frappe.get_doc(DOCTYPE, open_request(sales_order, locking=True), for_update=True)


def open_request(sales_order: str, locking: bool = False) -> str | None:
	"""`locking`: a locking read, which sees a request committed after this transaction began. Not the first
	look: on a missing row it would lock the gap, and two requests for one order would deadlock inserting."""
	return frappe.db.get_value(DOCTYPE, {"sales_order": sales_order}, for_update=locking)


def request_when_paid(payment, method=None) -> None:
	"""CRM Payment on_submit, after it refreshed its order: a fully paid order asks for its invoice."""
	if not get_settings().einvoice_on_full_payment:
		return
	if frappe.db.get_value("CRM Sales Order", payment.sales_order, "payment_status") == "Paid":
		request_invoice(payment.sales_order, for_system=True)


def retry(name: str):
	"""Send a failed request again now, with its tries counted afresh (finance, from the request's form)."""
	request = frappe.get_doc(DOCTYPE, name, for_update=True)
	if request.status != rules.FAILED:
		frappe.throw(_("Only a failed invoice request can be tried again"))
	request.update({"status": rules.PENDING, "attempts": 0, "next_retry_at": None})
	request.flags.computed_fields_set = True
	request.save()
	enqueue_attempt(name)
	return request


def enqueue_attempt(name: str) -> None:
	enqueue_once(
		"crm_app.sales_pipeline.einvoice.attempt",
		f"crm-einvoice::{name}",
		queue="short",
		enqueue_after_commit=True,
		request=name,
	)


def send_due_requests() -> None:
	"""The scheduler's pass: each request whose next try is due, oldest first, one provider call each."""
	due = frappe.db.sql(
		f"""select name from `tab{DOCTYPE}` where status in %(statuses)s
		and (next_retry_at is null or next_retry_at <= %(now)s) order by next_retry_at limit {BATCH}""",
		{"statuses": rules.DUE_STATUSES, "now": now_datetime()},
		pluck=True,
	)
	for name in due:
		attempt(name)


def attempt(request: str) -> None:
	"""One try of one request, if it is due and no other worker holds it: ask the provider, record the answer."""
	claimed = claim(request)
	if not claimed:
		return
	provider = configured_provider()
	if not provider:
		outcome = rules.Outcome(rules.FAILED, error=_("E-invoicing is not set up in CRM Settings"))
	elif claimed.status == rules.REQUESTED:
		outcome = provider.query(claimed.name)
	else:
		outcome = provider.issue(json.loads(claimed.payload))
	record(claimed, outcome)
	frappe.db.commit()


def claim(name: str):
	"""Count the try and hold the request for ATTEMPT_LEASE, committed before the provider is called, so that a
	pass meanwhile skips it, and a try that dies with its worker is made again once the lease is over."""
	now = now_datetime()
	rows = frappe.db.sql(
		f"""select name, status, attempts, payload, sales_order from `tab{DOCTYPE}`
		where name = %(name)s and status in %(statuses)s
		and (next_retry_at is null or next_retry_at <= %(now)s) for update""",
		{"name": name, "statuses": rules.DUE_STATUSES, "now": now},
		as_dict=True,
	)
	if not rows:
		frappe.db.rollback()
		return None
	claimed = rows[0]
	claimed.attempts += 1
	frappe.db.set_value(
		DOCTYPE,
		name,
		{"attempts": claimed.attempts, "next_retry_at": now + rules.ATTEMPT_LEASE},
		update_modified=False,
	)
	frappe.db.commit()
	return claimed


def record(claimed, outcome: rules.Outcome) -> None:
	now = now_datetime()
	values = {"status": outcome.status, "last_error": outcome.error, "next_retry_at": None}
	if outcome.status == rules.ISSUED:
		values.update(invoice_no=outcome.invoice_no, invoice_date=outcome.invoice_date)
		frappe.db.set_value(
			"CRM Sales Order", claimed.sales_order, "invoice_no", outcome.invoice_no, update_modified=False
		)
	elif outcome.status == rules.REQUESTED or (claimed.status == rules.REQUESTED and outcome.retry):
		# the provider is issuing it, or could not say how far it got: ask again later
		values.update(
			status=rules.REQUESTED, next_retry_at=now + rules.retry_delay(claimed.attempts, processing=True)
		)
	elif outcome.retry and (delay := rules.retry_delay(claimed.attempts)):
		values["next_retry_at"] = now + delay
	frappe.db.set_value(DOCTYPE, claimed.name, values)
