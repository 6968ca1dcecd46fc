"""CRM Journey Entry: one row per journey, customer, occasion and contact, whatever the number of runs."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer
from crm_app.marketing import journeys
from crm_app.marketing.doctype.crm_journey.test_crm_journey import make_journey


class TestCRMJourneyEntry(FrappeTestCase):
	def test_entering_twice_adds_nothing(self):
		frappe.set_user("Administrator")
		journey = make_journey("Welcome", enabled=0)
		make_customer()
		self.assertGreaterEqual(journeys.enter(journey, now_datetime()), 1)
		self.assertEqual(journeys.enter(journey, now_datetime()), 0)
