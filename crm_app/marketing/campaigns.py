"""A campaign's life: started (its segment taken as an audience and its messages queued), paused, resumed,
cancelled, and completed once nothing is left to send; its figures are counted from its messages' log."""

import frappe
from frappe import _

from crm_app.background import enqueue_once
from crm_app.marketing import segments
from crm_app.marketing.sending import FAILED, MESSAGE, QUEUED, SENT, SKIPPED, deliver_due, queue_messages
from crm_app.permissions import check_people_in_reach

CAMPAIGN = "CRM Campaign"
DRAFT, SENDING, PAUSED, COMPLETED, CANCELLED = "Draft", "Sending", "Paused", "Completed", "Cancelled"
CHANNEL_FIELDS = {"Email": "send_email", "SMS": "send_sms"}


def start(campaign) -> str:
	"""Queue the campaign's messages and start sending; pressing again while it sends changes nothing."""
	check_people_in_reach([campaign.owner])
	if campaign.status == SENDING:
		return _("The campaign is already sending.")
	if campaign.status != DRAFT:
		frappe.throw(_("Only a draft campaign can be started; this one is {0}").format(_(campaign.status)))
	if not campaign.segment:
		frappe.throw(_("Choose the segment the campaign goes to"))
	segment = frappe.get_doc("CRM Segment", campaign.segment)
	segment.check_permission("read")
	# of two presses at the same moment, one starts the campaign and the other finds it started
	frappe.db.sql(
		f"update `tab{CAMPAIGN}` set status = %s where name = %s and status = %s",
		(SENDING, campaign.name, DRAFT),
	)
	if not frappe.db.sql("select row_count()")[0][0]:
		return _("The campaign is already sending.")
	campaign.db_set("audience", segments.take_audience(segment, frappe.session.user))
	for channel, field in CHANNEL_FIELDS.items():
		if campaign.get(field):
			queue_messages(
				"campaign",
				campaign.name,
				channel,
				"select customer, '' as occasion, null as contact from `tabCRM Audience Member`"
				" where audience = %(audience)s",
				{"audience": campaign.audience},
			)
	refresh_counts([campaign.name])
	enqueue_delivery()
	recipients = frappe.db.get_value(CAMPAIGN, campaign.name, "recipients")
	return _("The campaign is sending to {0} addresses.").format(recipients)


def set_status(campaign, status: str) -> str:
	check_people_in_reach([campaign.owner])
	allowed = {PAUSED: (SENDING,), SENDING: (PAUSED,), CANCELLED: (DRAFT, SENDING, PAUSED)}
	if campaign.status not in allowed[status]:
		frappe.throw(_("A campaign that is {0} cannot be {1}").format(_(campaign.status), _(status).lower()))
	campaign.db_set("status", status)
	if status == CANCELLED:
		frappe.db.sql(
			f"""update `tab{MESSAGE}` set status = '{SKIPPED}', skip_reason = 'Campaign Cancelled'
			where campaign = %s and status = '{QUEUED}'""",
			campaign.name,
		)
	refresh_counts([campaign.name])
	if status == SENDING:
		enqueue_delivery()
	return _("The campaign is now {0}.").format(_(status))


def refresh_counts(campaigns: list[str]) -> None:
	"""Count each campaign's messages by outcome in one statement, and complete those with nothing left."""
	if not campaigns:
		return
	frappe.db.sql(
		f"""update `tab{CAMPAIGN}` c left join (
			select campaign,
				sum(status != '{SKIPPED}') as recipients, sum(status = '{SENT}') as sent,
				sum(status = '{FAILED}') as failed, sum(status = '{SKIPPED}' and skip_reason = 'No Consent') as skipped,
				sum(status = '{QUEUED}') as queued
			from `tab{MESSAGE}` where campaign in %(campaigns)s group by campaign
		) m on m.campaign = c.name
		set c.recipients = ifnull(m.recipients, 0), c.sent = ifnull(m.sent, 0), c.failed = ifnull(m.failed, 0),
			c.skipped = ifnull(m.skipped, 0),
			c.status = if(c.status = '{SENDING}' and ifnull(m.queued, 0) = 0, '{COMPLETED}', c.status)
		where c.name in %(campaigns)s""",
		{"campaigns": campaigns},
	)


def deliver() -> None:
	"""The scheduler's minute: send what is due, then update the figures of the campaigns that were sending."""
	sending = frappe.get_all(CAMPAIGN, filters={"status": SENDING}, pluck="name")
	deliver_due()
	refresh_counts(sending)


def enqueue_delivery() -> None:
	enqueue_once(
		"crm_app.marketing.campaigns.deliver",
		"crm_deliver_messages",
		queue="long",
		enqueue_after_commit=True,
	)
