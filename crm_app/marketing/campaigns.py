"""A campaign's life: started (its segment taken as an audience and its messages queued), paused, resumed,
cancelled, and completed once nothing is left to send; its figures are counted from its messages' log."""

import frappe
from frappe import _
from frappe.utils.background_jobs import get_jobs

from crm_app.marketing import segments
from crm_app.marketing.sending import FAILED, MESSAGE, QUEUED, SENT, SKIPPED, deliver_due, queue_messages

CAMPAIGN = "CRM Campaign"
DRAFT, SENDING, PAUSED, COMPLETED, CANCELLED = "Draft", "Sending", "Paused", "Completed", "Cancelled"
CHANNEL_FIELDS = {"Email": "send_email", "SMS": "send_sms"}


def start(campaign) -> str:
	"""Queue the campaign's messages and start sending; pressing again while it sends changes nothing."""
	if campaign.status == SENDING:
		return _("The campaign is already sending.")
	if campaign.status != DRAFT:
		frappe.throw(_("Only a draft campaign can be started; this one is {0}").format(_(campaign.status)))
	if not campaign.segment:
		frappe.throw(_("Choose the segment the campaign goes to"))
	segment = frappe.get_doc("CRM Segment", campaign.segment)
	segment.check_permission("read")
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
	campaign.db_set("status", SENDING)
	refresh_counts([campaign.name])
	enqueue_delivery()
	return _("The campaign is sending to {0} addresses.").format(campaign.recipients)


def set_status(campaign, status: str) -> str:
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
		f"""update `tab{CAMPAIGN}` c join (
			select campaign,
				sum(status != '{SKIPPED}') as recipients, sum(status = '{SENT}') as sent,
				sum(status = '{FAILED}') as failed, sum(status = '{SKIPPED}' and skip_reason = 'No Consent') as skipped,
				sum(status = '{QUEUED}') as queued
			from `tab{MESSAGE}` where campaign in %(campaigns)s group by campaign
		) m on m.campaign = c.name
		set c.recipients = m.recipients, c.sent = m.sent, c.failed = m.failed, c.skipped = m.skipped,
			c.status = if(c.status = '{SENDING}' and m.queued = 0, '{COMPLETED}', c.status)""",
		{"campaigns": campaigns},
	)


def deliver() -> None:
	"""The scheduler's minute: send what is due, then update the figures of the campaigns that were sending."""
	sending = frappe.get_all(CAMPAIGN, filters={"status": SENDING}, pluck="name")
	deliver_due()
	refresh_counts(sending)


def enqueue_delivery() -> None:
	if "crm_deliver_messages" not in get_jobs(site=frappe.local.site, key="job_id").get(
		frappe.local.site, []
	):
		frappe.enqueue(
			"crm_app.marketing.campaigns.deliver",
			queue="long",
			job_id="crm_deliver_messages",
			deduplicate=True,
			enqueue_after_commit=True,
		)
