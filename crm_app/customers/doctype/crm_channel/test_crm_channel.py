"""CRM Channel: the seeded source channels, unique names, and customers only come from a known channel."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.defaults import SOURCE_CHANNELS
from crm_app.sales_pipeline.inquiry import WEBSITE_CHANNEL


def new_channel():
	return frappe.get_doc({"doctype": "CRM Channel", "channel_name": f"渠道{frappe.generate_hash(length=8)}"})


class TestCRMChannel(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_seeded_channels_exist(self):
		existing = set(frappe.get_all("CRM Channel", pluck="name"))
		self.assertLessEqual(set(SOURCE_CHANNELS), existing)
		# website inquiries are filed under a seeded channel
		self.assertIn(WEBSITE_CHANNEL, existing)

	def test_a_channel_is_named_after_itself_and_names_are_unique(self):
		channel = new_channel().insert()
		self.assertEqual(channel.name, channel.channel_name)
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc({"doctype": "CRM Channel", "channel_name": channel.channel_name}).insert()

	def test_a_customer_source_must_be_a_known_channel(self):
		channel = new_channel().insert()
		self.assertEqual(make_customer(source_channel=channel.name).source_channel, channel.name)
		with self.assertRaises(frappe.LinkValidationError):
			make_customer(source_channel=f"不存在{frappe.generate_hash(length=6)}")

	def test_a_channel_in_use_cannot_be_deleted(self):
		channel = new_channel().insert()
		make_customer(source_channel=channel.name)
		with self.assertRaises(frappe.LinkExistsError):
			frappe.delete_doc("CRM Channel", channel.name)

	def test_sales_users_cannot_add_channels(self):
		frappe.set_user(make_user("CRM Sales User"))
		with self.assertRaises(frappe.PermissionError):
			new_channel().insert()
