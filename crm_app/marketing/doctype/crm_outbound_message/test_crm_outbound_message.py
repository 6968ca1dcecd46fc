"""CRM Outbound Message: delivery honours consent withdrawn after queuing, and a send that fails is tried again
with backoff until it has used up its tries."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer
from crm_app.customers.doctype.crm_tag_rule.test_crm_tag_rule import make_tag
from crm_app.marketing import campaigns, consent, sending
from crm_app.marketing.doctype.crm_campaign.test_crm_campaign import make_campaign, messages_of
from crm_app.marketing.doctype.crm_marketing_consent.test_crm_marketing_consent import grant, unique_e164
from crm_app.marketing.doctype.crm_segment.test_crm_segment import make_segment, tagged, with_tag
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import sending_limit


class TestCRMOutboundMessage(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		# no gateway: every SMS fails, as when the provider is down
		frappe.db.set_single_value("SMS Settings", "sms_gateway_url", "")
		frappe.clear_document_cache("SMS Settings", "SMS Settings")
		tag = make_tag()
		self.kept, self.dropped = unique_e164(), unique_e164()
		for mobile in (self.kept, self.dropped):
			grant(make_customer(tags=tagged(tag), mobile_no=mobile).name, "SMS", mobile)
		self.campaign = make_campaign(segment=make_segment([with_tag(tag)]).name)
		campaigns.start(self.campaign)

	def deliver_now(self) -> None:
		frappe.db.sql(
			"update `tabCRM Outbound Message` set next_attempt_at = %s where campaign = %s",
			(now_datetime(), self.campaign.name),
		)
		sending.deliver_due()

	def test_consent_withdrawn_after_queuing_stops_the_send(self):
		consent.withdraw("SMS", self.dropped, "SMS Reply")
		self.deliver_now()
		found = {m.address: (m.status, m.skip_reason) for m in messages_of(self.campaign.name)}
		self.assertEqual(found[self.dropped], ("Skipped", "No Consent"))
		self.assertEqual(found[self.kept][0], "Queued")

	def test_failures_are_tried_again_with_backoff_then_given_up(self):
		before = now_datetime()
		self.deliver_now()
		row = frappe.get_all(
			"CRM Outbound Message",
			{"campaign": self.campaign.name, "address": self.kept},
			["status", "attempts", "next_attempt_at", "last_error"],
		)[0]
		self.assertEqual((row.status, row.attempts), ("Queued", 1))
		self.assertGreaterEqual(row.next_attempt_at, add_to_date(before, minutes=1))
		self.assertIn("SMS", row.last_error)
		for _try in range(sending_limit("max_send_attempts") - 1):
			self.deliver_now()
		row = frappe.get_all(
			"CRM Outbound Message",
			{"campaign": self.campaign.name, "address": self.kept},
			["status", "attempts", "next_attempt_at"],
		)[0]
		self.assertEqual(
			(row.status, row.attempts, row.next_attempt_at),
			("Failed", sending_limit("max_send_attempts"), None),
		)
		campaigns.refresh_counts([self.campaign.name])
		self.campaign.reload()
		self.assertEqual((self.campaign.status, self.campaign.failed), ("Completed", 2))
