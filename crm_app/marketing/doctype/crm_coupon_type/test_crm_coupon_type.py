"""CRM Coupon Type: the terms a shop owner sets, checked, and only those of the type's kind kept."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_user


def make_coupon_type(**values):
	return frappe.get_doc(
		{
			"doctype": "CRM Coupon Type",
			"coupon_type_name": f"测试券{frappe.generate_hash(length=8)}",
			"discount_type": "Fixed Amount",
			"amount": 20,
			"days_valid": 30,
			"limit_per_customer": 1,
			**values,
		}
	).insert()


class TestCRMCouponType(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_a_type_keeps_only_the_terms_of_its_kind(self):
		fixed = make_coupon_type(amount=20, percentage=15, max_discount=50, min_spend=200)
		self.assertEqual((fixed.amount, fixed.percentage, fixed.max_discount), (20, 0, 0))
		share = make_coupon_type(discount_type="Percentage", amount=20, percentage=15, max_discount=50)
		self.assertEqual((share.amount, share.percentage, share.max_discount), (0, 15, 50))

	def test_impossible_terms_are_refused_with_a_clear_message(self):
		for values, message in (
			({"amount": 0}, "amount must be greater than zero"),
			({"discount_type": "Percentage", "percentage": 120}, "at most 100%"),
			({"min_spend": -1}, "cannot be negative"),
			({"days_valid": 0}, "at least one day"),
			({"limit_per_customer": 0}, "at least 1"),
		):
			with self.subTest(values=values), self.assertRaisesRegex(frappe.ValidationError, message):
				make_coupon_type(**values)

	def test_managers_maintain_types_and_salespeople_read_them(self):
		coupon_type = make_coupon_type().name
		frappe.set_user(make_user("CRM Sales Manager"))
		make_coupon_type()
		frappe.set_user(make_user("CRM Sales User"))
		self.assertTrue(frappe.has_permission("CRM Coupon Type", "read", doc=coupon_type))
		with self.assertRaises(frappe.PermissionError):
			make_coupon_type()
