"""Campaign and journey messages: queued set-based, one row per address that consented (and one Skipped row per
customer who did not), then delivered a batch a minute by the scheduler, each e-mail through Frappe's Email Queue
and each SMS through the gateway, failures tried again with backoff. Every row is the log of its send: who, what,
when, through which channel and how it went. Queuing twice adds nothing, and delivery picks up where it stopped.

The links that confirm a consent ticked on the inquiry page go out through the same senders."""

import time

import frappe
from frappe import _
from frappe.utils import add_to_date, escape_html, get_url, now_datetime
from frappe.utils.verified_command import get_secret

from crm_app.domain.errors import DomainError
from crm_app.domain.outreach import next_attempt, sms_text
from crm_app.domain.signing import key_matches, link_key
from crm_app.marketing import templates
from crm_app.marketing.consent import CONFIRMATION, CONFIRMATION_DAYS, GRANTED, PENDING, confirmation_url
from crm_app.marketing.sms import SmsGateway, SmsNotSent
from crm_app.notifications import outgoing_account_exists
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import get_settings, sending_limit

MESSAGE = "CRM Outbound Message"
QUEUED, SENT, FAILED, SKIPPED = "Queued", "Sent", "Failed", "Skipped"
# a batch stops after this long, well inside the minute and the job's timeout
BATCH_SECONDS = 45
# a batch's messages are not due again for this long, in case the worker dies mid-batch
LEASE_MINUTES = 10


def queue_messages(source_field: str, source: str, channel: str, recipients: str, params: dict) -> None:
	"""Queue `source`'s messages on `channel` to the customers `recipients` selects (columns customer, occasion
	and contact, the contact being null for all of the customer's addresses): one per address with granted
	consent, one Skipped row per customer with none."""
	params = {
		**params,
		"source": source,
		"channel": channel,
		"now": now_datetime(),
		"user": frappe.session.user,
		"granted": GRANTED,
	}
	columns = f"""(name, creation, modified, owner, modified_by, docstatus, idx, `{source_field}`, occasion,
		customer, contact, channel, address, status, skip_reason, attempts, next_attempt_at)"""
	frappe.db.sql(
		f"""insert ignore into `tab{MESSAGE}` {columns}
		select md5(concat_ws(char(31), %(source)s, r.occasion, %(channel)s, k.address)), %(now)s, %(now)s,
			%(user)s, %(user)s, 0, 0, %(source)s, r.occasion, r.customer, k.contact, %(channel)s, k.address,
			'{QUEUED}', null, 0, %(now)s
		from ({recipients}) r
		join `tabCRM Marketing Consent` k on k.customer = r.customer and k.channel = %(channel)s
			and k.status = %(granted)s and (r.contact is null or k.contact = r.contact)""",
		params,
	)
	frappe.db.sql(
		f"""insert ignore into `tab{MESSAGE}` {columns}
		select md5(concat_ws(char(31), %(source)s, r.occasion, %(channel)s, r.customer, ifnull(r.contact, ''))),
			%(now)s, %(now)s, %(user)s, %(user)s, 0, 0, %(source)s, r.occasion, r.customer, r.contact, %(channel)s,
			'', '{SKIPPED}', 'No Consent', 0, null
		from ({recipients}) r
		where not exists (select 1 from `tabCRM Marketing Consent` k where k.customer = r.customer
			and k.channel = %(channel)s and k.status = %(granted)s and (r.contact is null or k.contact = r.contact))""",
		params,
	)


def deliver_due() -> int:
	"""Send the messages that are due, at most the minute's allowance and for at most BATCH_SECONDS; the number
	handled. One run at a time per site. The batch is leased (its next attempt moved LEASE_MINUTES on) and each
	outcome committed as it comes, so a worker that dies mid-batch leaves what it sent recorded and the rest due
	again once the lease runs out: a message is never sent again every minute."""
	lock = f"crm_app_deliver_{frappe.conf.db_name}"
	if not frappe.db.sql("select get_lock(%s, 0)", lock)[0][0]:
		return 0
	try:
		return _deliver(_lease(_due_messages(sending_limit("messages_per_minute"))))
	finally:
		frappe.db.sql("select release_lock(%s)", lock)


def _due_messages(limit: int) -> list[dict]:
	return frappe.db.sql(
		f"""select m.name, m.channel, m.address, m.contact, m.customer, m.attempts, m.occasion, m.journey,
			coalesce(c.email_subject, j.email_subject) as subject,
			coalesce(c.email_body, j.email_body) as email_body,
			coalesce(c.sms_text, j.sms_text) as sms_body,
			(select k.status from `tabCRM Marketing Consent` k where k.customer = m.customer
				and k.channel = m.channel and k.address = m.address) as consent
		from `tab{MESSAGE}` m
		left join `tabCRM Campaign` c on c.name = m.campaign
		left join `tabCRM Journey` j on j.name = m.journey
		where m.status = '{QUEUED}' and m.next_attempt_at <= %(now)s
			and (m.campaign is null or c.status = 'Sending') and (m.journey is null or j.enabled = 1)
		order by m.next_attempt_at limit %(limit)s""",
		{"now": now_datetime(), "limit": limit},
		as_dict=True,
	)


def _lease(messages: list[dict]) -> list[dict]:
	if messages:
		frappe.db.sql(
			f"update `tab{MESSAGE}` set next_attempt_at = %(until)s where name in %(names)s",
			{
				"until": add_to_date(now_datetime(), minutes=LEASE_MINUTES),
				"names": [message.name for message in messages],
			},
		)
		frappe.db.commit()
	return messages


def _deliver(messages: list[dict]) -> int:
	if not messages:
		return 0
	customers = {
		row.name: row
		for row in frappe.get_all(
			"CRM Customer",
			filters={"name": ("in", {message.customer for message in messages})},
			fields=list(templates.CUSTOMER_FIELDS),
		)
	}
	coupons = journey_coupons(messages)
	senders = {"Email": EmailSender(), "SMS": SmsSender()}
	deadline = time.monotonic() + BATCH_SECONDS
	handled = 0
	for message in messages:
		if time.monotonic() > deadline:
			break  # the rest are due again when their lease runs out
		handled += 1
		if message.consent != GRANTED:
			record(message.name, status=SKIPPED, skip_reason="No Consent")
			continue
		values = templates.context(
			customers.get(message.customer), message.contact, coupons.get((message.customer, message.journey))
		)
		try:
			outcome = senders[message.channel].send(message, values)
		except (SmsNotSent, MessageNotSent, templates.TemplateNotFilled) as error:
			failed(message, str(error))
			continue
		except Exception as error:
			frappe.db.rollback()
			frappe.log_error(title=f"{MESSAGE} {message.name}")
			failed(message, repr(error))
			continue
		record(
			message.name, status=SENT, sent_at=now_datetime(), attempts=(message.attempts or 0) + 1, **outcome
		)
	return handled


def record(name: str, **values) -> None:
	"""Write a message's outcome and commit it at once: the message has left, whatever happens next."""
	frappe.db.set_value(MESSAGE, name, {"last_error": None, **values}, update_modified=True)
	frappe.db.commit()


def journey_coupons(messages: list[dict]) -> dict[tuple[str, str], dict]:
	"""The newest coupon each journey gave each customer, for its message to show."""
	journeys = {message.journey for message in messages if message.journey}
	if not journeys:
		return {}
	rows = frappe.get_all(
		"CRM Coupon",
		filters={
			"customer": ("in", {message.customer for message in messages}),
			"occasion": ("in", journeys),
		},
		fields=["customer", "occasion", "code", "valid_until", "amount", "percentage", "min_spend"],
		order_by="issued_at asc",
	)
	return {(row.customer, row.occasion): row for row in rows}


class MessageNotSent(Exception):
	pass


def failed(message, error: str) -> None:
	"""Record a failed try, and when the next one is due or that there will be none."""
	attempts = (message.attempts or 0) + 1
	now = now_datetime()
	retry = next_attempt(attempts, now, sending_limit("max_send_attempts"))
	frappe.db.set_value(
		MESSAGE,
		message.name,
		{
			"attempts": attempts,
			"last_error": error[:1000],
			"status": QUEUED if retry else FAILED,
			"next_attempt_at": retry,
		},
		update_modified=True,
	)
	frappe.db.commit()


class EmailSender:
	def __init__(self):
		self.ready = outgoing_account_exists()

	def send(self, message, context) -> dict:
		self.check_ready()
		subject = templates.render(message.subject, context)
		body = templates.render(message.email_body, context, html=True)
		# the app's own link, which names only the message: Frappe's would name the DocType too, and a request that
		# names a record the visitor cannot see is refused before the page opens
		footer = _("Do not want these e-mails? {0}").format(
			f'<a href="{escape_html(unsubscribe_url(message.name))}">{_("Unsubscribe")}</a>'
		)
		queue = frappe.sendmail(
			recipients=[message.address],
			subject=subject,
			message=f'{body}<p class="crm-unsubscribe" style="color:#888;font-size:12px">{footer}</p>',
			reference_doctype=MESSAGE,
			reference_name=message.name,
			add_unsubscribe_link=0,
		)
		return {"email_queue": queue.name if queue else None, "subject": subject, "body": body}

	def send_confirmation(self, confirmation) -> None:
		self.check_ready()
		link = f'<a href="{escape_html(confirmation_url(confirmation.name))}">{_("Confirm")}</a>'
		lines = (
			_(
				"You ticked on our website that you would like our offers and news by e-mail. Please confirm "
				"within {0} days: {1}"
			).format(CONFIRMATION_DAYS, link),
			_("If it was not you, ignore this e-mail: without your confirmation we send you nothing."),
		)
		frappe.sendmail(
			recipients=[confirmation.address],
			subject=_("Please confirm: our offers and news by e-mail"),
			message="".join(f"<p>{line}</p>" for line in lines),
			reference_doctype=CONFIRMATION,
			reference_name=confirmation.name,
			add_unsubscribe_link=0,
		)

	def check_ready(self) -> None:
		if not self.ready:
			raise MessageNotSent(_("No outgoing e-mail account is set up"))


class SmsSender:
	def __init__(self):
		self.gateway, self.error = None, None
		try:
			self.gateway = SmsGateway()
		except SmsNotSent as error:
			self.error = str(error)
		self.signature = get_settings().sms_signature

	def send(self, message, context) -> dict:
		return self.send_text(message.address, templates.render(message.sms_body, context))

	def send_confirmation(self, confirmation) -> None:
		text = _(
			"You asked on our website for our offers and news by SMS. Confirm within {0} days: {1} Not you? "
			"Ignore this message."
		)
		self.send_text(
			confirmation.address, text.format(CONFIRMATION_DAYS, confirmation_url(confirmation.name))
		)

	def send_text(self, number: str, body: str) -> dict:
		if not self.gateway:
			raise MessageNotSent(self.error)
		try:
			text = sms_text(body, self.signature)
		except DomainError as error:
			raise MessageNotSent(_(error.message).format(*error.args_)) from None
		return {"provider_reference": self.gateway.send(number, text), "body": text}


def send_confirmations(names: list[str], lang: str) -> None:
	"""Send the links that confirm a consent ticked on the inquiry page (crm_app/marketing/consent.py), in the
	visitor's language, one try each: a visitor whose link did not come ticks again another day."""
	frappe.local.lang = lang
	senders = {"Email": EmailSender(), "SMS": SmsSender()}
	for confirmation in frappe.get_all(
		CONFIRMATION,
		filters={"name": ("in", names), "status": PENDING},
		fields=["name", "channel", "address"],
	):
		try:
			senders[confirmation.channel].send_confirmation(confirmation)
		except (SmsNotSent, MessageNotSent) as error:
			outcome = {"status": FAILED, "error": str(error)[:1000]}
		else:
			outcome = {"status": SENT}
		frappe.db.set_value(CONFIRMATION, confirmation.name, outcome)
		# the message has left, whatever happens to the next
		frappe.db.commit()


def unsubscribe_key(message: str) -> str:
	return link_key(get_secret(), "unsubscribe", message)


def unsubscribe_url(message: str) -> str:
	return get_url(f"/unsubscribe?message={message}&key={unsubscribe_key(message)}")


def unsubscribed_address(message: str, key: str) -> str:
	"""The e-mail address an unsubscribe link was made for, or a refusal that says the same of a wrong key and of
	a message that does not exist."""
	address = None
	if isinstance(message, str) and key_matches(get_secret(), key, "unsubscribe", message):
		address = frappe.db.get_value(MESSAGE, {"name": message, "channel": "Email"}, "address")
	if not address:
		frappe.throw(_("This link is not valid, or has expired"), frappe.PermissionError)
	return address
