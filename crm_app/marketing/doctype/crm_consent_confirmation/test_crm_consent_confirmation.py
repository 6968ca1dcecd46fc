"""CRM Consent Confirmation: one link per address and day, and a confirmation grants the consent on every
customer that holds the address, again where the customer had withdrawn it."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, unique_mobile
from crm_app.marketing import consent


class TestCRMConsentConfirmation(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.customer = make_customer(
			contacts=[{"contact_name": "王芳", "mobile_no": unique_mobile()}],
		)
		self.mobile = self.customer.contacts[0].mobile_no
		self.visitor = frappe._dict(mobile_no=self.mobile, email_id=None)

	def requested(self) -> list[str]:
		return frappe.get_all(
			consent.CONFIRMATION, filters={"channel": "SMS", "address": self.mobile}, pluck="name"
		)

	def test_one_link_per_address_and_day(self):
		consent.request_confirmations(self.visitor)
		consent.request_confirmations(self.visitor)
		self.assertEqual(len(self.requested()), 1)

	def test_confirming_grants_on_the_contacts_customer_even_after_a_withdrawal(self):
		consent.request_confirmations(self.visitor)
		[name] = self.requested()
		self.assertEqual(consent.confirm(name, consent.confirmation_key(name)), self.mobile)
		given = frappe.get_doc(
			consent.CONSENT, {"customer": self.customer.name, "channel": "SMS", "address": self.mobile}
		)
		self.assertEqual((given.status, given.contact, given.source), ("Granted", "王芳", "Inquiry Page"))
		with self.assertRaises(frappe.LinkExpired):
			consent.confirm(name, consent.confirmation_key(name))

		consent.withdraw("SMS", self.mobile, "SMS Reply")
		frappe.db.set_value(consent.CONFIRMATION, name, {"status": "Sent", "requested_on": "2000-01-01"})
		consent.request_confirmations(self.visitor)
		[again] = [row for row in self.requested() if row != name]
		consent.confirm(again, consent.confirmation_key(again))
		given.reload()
		self.assertEqual(given.status, "Granted")

	def test_a_wrong_key_is_refused(self):
		consent.request_confirmations(self.visitor)
		[name] = self.requested()
		with self.assertRaises(frappe.PermissionError):
			consent.confirm(name, "0" * 64)
