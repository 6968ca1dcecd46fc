"""CRM Marketing Consent: given for an address the customer or a contact really has, stamped when given and when
withdrawn, and withdrawn for an address everywhere at once."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, unique_mobile
from crm_app.marketing import consent


def unique_e164() -> str:
	"""A new mobile number as customers store it."""
	return f"+86{unique_mobile()}"


def grant(customer: str, channel: str, address: str, source: str = "In Person"):
	return frappe.get_doc(
		{
			"doctype": "CRM Marketing Consent",
			"customer": customer,
			"channel": channel,
			"address": address,
			"source": source,
		}
	).insert()


class TestCRMMarketingConsent(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.digits = unique_mobile()
		self.customer = make_customer(
			mobile_no=self.digits,
			contacts=[{"contact_name": "李静", "mobile_no": unique_mobile()}],
		)
		# as stored: E.164
		self.mobile, self.contact_mobile = self.customer.mobile_no, self.customer.contacts[0].mobile_no

	def test_the_address_is_normalized_and_must_be_the_customers_or_a_contacts(self):
		digits = self.digits
		own = grant(self.customer.name, "SMS", f"+86 {digits[:3]}-{digits[3:7]}-{digits[7:]}")
		self.assertEqual((own.address, own.contact, own.status), (self.mobile, None, "Granted"))
		self.assertTrue(own.granted_at)
		theirs = grant(self.customer.name, "SMS", self.contact_mobile)
		self.assertEqual(theirs.contact, "李静")
		with self.assertRaises(frappe.ValidationError):
			grant(self.customer.name, "SMS", unique_mobile())
		with self.assertRaises(frappe.ValidationError):
			grant(self.customer.name, "Email", "not an address")

	def test_one_consent_per_customer_channel_and_address(self):
		grant(self.customer.name, "SMS", self.mobile)
		with self.assertRaises(frappe.UniqueValidationError):
			grant(self.customer.name, "SMS", self.mobile)

	def test_withdrawing_stamps_when_and_how(self):
		row = grant(self.customer.name, "SMS", self.mobile)
		row.status = "Withdrawn"
		row.save()
		self.assertEqual(row.withdrawn_via, "By Staff")
		self.assertTrue(row.withdrawn_at)
		row.status = "Granted"
		row.save()
		self.assertFalse(row.withdrawn_at)

	def test_an_address_is_withdrawn_for_every_customer_that_gave_it(self):
		other = make_customer(contacts=[{"contact_name": "李静", "mobile_no": self.mobile}])
		grant(self.customer.name, "SMS", self.mobile)
		grant(other.name, "SMS", self.mobile)
		self.assertEqual(consent.withdraw("SMS", self.mobile, "SMS Reply"), 2)
		rows = frappe.get_all(
			"CRM Marketing Consent", {"address": self.mobile}, ["status", "withdrawn_via", "withdrawn_at"]
		)
		self.assertEqual({(row.status, row.withdrawn_via) for row in rows}, {("Withdrawn", "SMS Reply")})
		self.assertEqual(consent.withdraw("SMS", self.mobile, "SMS Reply"), 0)
