"""CRM Settings: limits that must be positive, an approval threshold that is a percentage, BANT weights that are
unique and add up to at most 100, and readers of the cached settings see a change at once."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_user
from crm_app.defaults import BANT_WEIGHTS
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import bant_weights, get_settings


class TestCRMSettings(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.settings = frappe.get_doc("CRM Settings")

	def tearDown(self):
		frappe.set_user("Administrator")

	def assertRefused(self, message: str):
		with self.assertRaisesRegex(frappe.ValidationError, message):
			self.settings.save()

	def test_the_default_bant_answers_are_weighted(self):
		self.assertLessEqual({(d, a) for d, a, _points in BANT_WEIGHTS}, set(bant_weights()))

	def test_limits_must_be_at_least_one(self):
		for fieldname in ("pool_return_days", "pool_daily_claim_limit", "default_max_idle_days"):
			with self.subTest(fieldname=fieldname):
				self.settings.reload()
				self.settings.set(fieldname, 0)
				self.assertRefused("must be at least 1")
		self.assertGreaterEqual(get_settings().pool_return_days, 1)

	def test_approval_threshold_is_a_percentage(self):
		for threshold in (-1, 100.5):
			with self.subTest(threshold=threshold):
				self.settings.reload()
				self.settings.quotation_discount_threshold = threshold
				self.assertRefused("between 0 and 100%")

	def test_the_default_vat_rate_is_a_percentage(self):
		for rate in (-1, 150):
			with self.subTest(rate=rate):
				self.settings.reload()
				self.settings.default_tax_rate = rate
				self.assertRefused("between 0 and 100%")

	def test_an_answer_is_weighted_once(self):
		self.settings.set(
			"bant_weights",
			[
				{"dimension": "Budget", "answer": "Approved", "points": 20},
				{"dimension": "Budget", "answer": "Approved", "points": 10},
			],
		)
		self.assertRefused("Row 2: Budget / Approved is listed twice")

	def test_the_best_answers_add_up_to_at_most_100(self):
		self.settings.set(
			"bant_weights",
			[
				{"dimension": dimension, "answer": "Best", "points": 26}
				for dimension in ("Budget", "Authority", "Need", "Timeline")
			],
		)
		self.assertRefused("add up to more than 100 points")
		# a weaker second answer in one dimension does not count towards the best score
		self.settings.set(
			"bant_weights",
			[
				{"dimension": "Budget", "answer": "Approved", "points": 40},
				{"dimension": "Budget", "answer": "Planned", "points": 30},
				{"dimension": "Need", "answer": "Definite", "points": 60},
			],
		)
		self.settings.validate()

	def test_a_saved_change_is_seen_by_readers_of_the_cached_settings(self):
		original = get_settings().quotation_discount_threshold

		def restore():
			settings = frappe.get_doc("CRM Settings")
			settings.quotation_discount_threshold = original
			settings.save()

		self.addCleanup(restore)
		self.settings.quotation_discount_threshold = 37
		self.settings.save()
		self.assertEqual(get_settings().quotation_discount_threshold, 37)

	def test_only_admins_change_settings(self):
		frappe.set_user(make_user("CRM Sales Manager"))
		settings = frappe.get_doc("CRM Settings")
		settings.pool_daily_claim_limit = 1000
		with self.assertRaises(frappe.PermissionError):
			settings.save()
