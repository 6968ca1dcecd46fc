"""CRM Campaign: costs add up, templates are checked when saved, and starting queues one message per consented
address and one Skipped row per customer without consent, once however often it is pressed."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer
from crm_app.customers.doctype.crm_tag_rule.test_crm_tag_rule import make_tag
from crm_app.marketing import campaigns
from crm_app.marketing.doctype.crm_marketing_consent.test_crm_marketing_consent import grant, unique_e164
from crm_app.marketing.doctype.crm_segment.test_crm_segment import make_segment, tagged, with_tag


def make_campaign(**values):
	return frappe.get_doc(
		{
			"doctype": "CRM Campaign",
			"campaign_name": f"测试活动{frappe.generate_hash(length=8)}",
			"send_sms": 1,
			"sms_text": "{{ customer.customer_name }}，春季新品九折",
			**values,
		}
	).insert()


def messages_of(campaign: str) -> list:
	return frappe.get_all(
		"CRM Outbound Message",
		{"campaign": campaign},
		["customer", "address", "status", "skip_reason", "channel"],
		order_by="address",
	)


class TestCRMCampaign(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")

	def test_costs_add_up_and_bad_values_are_refused(self):
		campaign = make_campaign(
			budget=5000,
			costs=[
				{"cost_date": "2026-12-01", "item": "短信费", "amount": 300},
				{"cost_date": "2026-12-02", "item": "海报", "amount": 1200.5},
			],
		)
		self.assertEqual(campaign.total_cost, 1500.5)
		for values in (
			{"start_date": "2026-12-10", "end_date": "2026-12-01"},
			{"budget": -1},
			{"sms_text": "{{ customer.customer_name "},
			{"send_email": 1, "email_subject": "你好", "email_body": "{% if %}"},
			# a template reaches the customer's listed fields and nothing else: no Frappe, no database
			{"sms_text": "{{ frappe.db.sql('select name from tabUser') }}"},
			{"sms_text": "{{ customer.__class__ }}"},
			{"sms_text": "{{ customer.mobile_no }}"},
		):
			with self.assertRaises(frappe.ValidationError, msg=values):
				make_campaign(**values)

	def test_starting_queues_consented_addresses_once(self):
		tag = make_tag()
		mobile, contact_mobile = unique_e164(), unique_e164()
		consenting = make_customer(
			tags=tagged(tag),
			mobile_no=mobile,
			contacts=[{"contact_name": "赵敏", "mobile_no": contact_mobile}],
		)
		grant(consenting.name, "SMS", mobile)
		grant(consenting.name, "SMS", contact_mobile)
		silent = make_customer(tags=tagged(tag), mobile_no=unique_e164())
		withdrawn = make_customer(tags=tagged(tag), mobile_no=unique_e164())
		row = grant(withdrawn.name, "SMS", withdrawn.mobile_no)
		row.status = "Withdrawn"
		row.save()

		campaign = make_campaign(segment=make_segment([with_tag(tag)]).name)
		campaigns.start(campaign)
		campaigns.start(campaign.reload())
		expected = sorted(
			[
				(consenting.name, mobile, "Queued", None),
				(consenting.name, contact_mobile, "Queued", None),
				(silent.name, "", "Skipped", "No Consent"),
				(withdrawn.name, "", "Skipped", "No Consent"),
			],
			key=lambda row: (row[1], row[0]),
		)
		found = sorted(
			((m.customer, m.address, m.status, m.skip_reason) for m in messages_of(campaign.name)),
			key=lambda row: (row[1], row[0]),
		)
		self.assertEqual(found, expected)
		campaign.reload()
		self.assertEqual((campaign.status, campaign.recipients, campaign.skipped), ("Sending", 2, 2))
		self.assertEqual(frappe.db.get_value("CRM Audience", campaign.audience, "member_count"), 3)

		campaigns.set_status(campaign, campaigns.CANCELLED)
		self.assertEqual(
			{m.skip_reason for m in messages_of(campaign.name) if m.address}, {"Campaign Cancelled"}
		)
		with self.assertRaises(frappe.ValidationError):
			campaigns.set_status(campaign.reload(), campaigns.SENDING)

	def test_a_campaign_needs_a_segment_to_start(self):
		with self.assertRaises(frappe.ValidationError):
			campaigns.start(make_campaign())
