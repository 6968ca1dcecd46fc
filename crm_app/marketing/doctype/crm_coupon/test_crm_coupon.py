"""CRM Coupon: issued in bulk within each customer's limit, redeemed by one submitted order at most, given back
by its cancellation, expired by the daily job."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.marketing.coupons import expire_coupons, issue_coupon, issue_coupons
from crm_app.marketing.doctype.crm_coupon_type.test_crm_coupon_type import make_coupon_type
from crm_app.sales_pipeline.doctype.crm_quotation.test_crm_quotation import make_product
from crm_app.sales_pipeline.doctype.crm_sales_order.test_crm_sales_order import make_sales_order


def coupon_of(customer: str, coupon_type: str) -> str:
	return frappe.db.get_value("CRM Coupon", {"customer": customer, "coupon_type": coupon_type})


class TestCRMCoupon(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.sales = make_user("CRM Sales User")
		cls.product = make_product(150).name

	def setUp(self):
		frappe.set_user("Administrator")
		self.customer = make_customer(sales_owner=self.sales).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def order(self, coupon: str | None, customer: str | None = None, qty: int = 2):
		return make_sales_order(
			customer or self.customer, [{"product": self.product, "qty": qty}], tax_rate=13, coupon=coupon
		)

	def test_issuing_honours_the_limit_per_customer_and_skips_unknown_customers(self):
		coupon_type = make_coupon_type(limit_per_customer=2, days_valid=7).name
		other = make_customer().name
		customers = [self.customer, other, self.customer, "CUST-NOBODY"]
		self.assertEqual(issue_coupons(coupon_type, customers, "welcome"), 2)
		self.assertEqual(issue_coupons(coupon_type, [self.customer, other]), 2)
		self.assertEqual(issue_coupons(coupon_type, [self.customer, other]), 0)
		coupons = frappe.get_all(
			"CRM Coupon",
			filters={"coupon_type": coupon_type},
			fields=["name", "code", "customer", "status", "valid_until", "amount", "occasion"],
		)
		self.assertEqual(len(coupons), 4)
		for coupon in coupons:
			self.assertEqual((coupon.name, coupon.status, coupon.amount), (coupon.code, "Issued", 20))
			self.assertEqual(str(coupon.valid_until), add_days(today(), 6))
		self.assertEqual(sorted(c.occasion or "" for c in coupons), ["", "", "welcome", "welcome"])
		with self.assertRaisesRegex(frappe.ValidationError, "already holds"):
			issue_coupon(coupon_type, other)

	def test_a_disabled_type_issues_nothing(self):
		coupon_type = make_coupon_type(enabled=0).name
		with self.assertRaisesRegex(frappe.ValidationError, "disabled"):
			issue_coupons(coupon_type, [self.customer])

	def test_a_coupon_is_redeemed_once_on_submit_and_given_back_on_cancel(self):
		coupon_type = make_coupon_type(discount_type="Percentage", percentage=10, max_discount=25).name
		code = issue_coupon(coupon_type, self.customer)
		order = self.order(code)
		# 300 of items, 10% = 30 capped at 25; VAT 13% on 275
		self.assertEqual((order.coupon_discount, order.net_total, order.grand_total), (25, 275, 310.75))
		self.assertEqual(frappe.db.get_value("CRM Coupon", code, "status"), "Issued")
		order.submit()
		redeemed = frappe.db.get_value(
			"CRM Coupon", code, ["status", "sales_order", "redeemed_at"], as_dict=True
		)
		self.assertEqual((redeemed.status, redeemed.sales_order), ("Redeemed", order.name))
		self.assertTrue(redeemed.redeemed_at)
		second = self.order(None)
		second.coupon = code
		with self.assertRaisesRegex(frappe.ValidationError, "already been used"):
			second.save()
		order.cancel()
		given_back = frappe.db.get_value("CRM Coupon", code, ["status", "sales_order"], as_dict=True)
		self.assertEqual((given_back.status, given_back.sales_order), ("Issued", None))

	def test_the_submit_refuses_a_coupon_another_order_redeemed_meanwhile(self):
		code = issue_coupon(make_coupon_type().name, self.customer)
		first, second = self.order(code), self.order(code)
		first.submit()
		with self.assertRaisesRegex(frappe.ValidationError, "already been used"):
			second.submit()

	def test_only_the_customers_own_valid_coupon_within_its_minimum_spend(self):
		coupon_type = make_coupon_type(min_spend=400).name
		code = issue_coupon(coupon_type, self.customer)
		with self.assertRaisesRegex(frappe.ValidationError, "belongs to another customer"):
			self.order(code, customer=make_customer().name)
		with self.assertRaisesRegex(frappe.ValidationError, "a spend of at least 400"):
			self.order(code, qty=2)
		self.assertEqual(self.order(code, qty=3).coupon_discount, 20)
		frappe.db.set_value("CRM Coupon", code, "valid_until", add_days(today(), -1))
		with self.assertRaisesRegex(frappe.ValidationError, "expired on"):
			self.order(code, qty=3)

	def test_the_daily_job_expires_issued_coupons_past_their_last_day_only(self):
		coupon_type = make_coupon_type(limit_per_customer=3).name
		issue_coupons(coupon_type, [self.customer])
		issue_coupons(coupon_type, [self.customer])
		past, current = frappe.get_all("CRM Coupon", {"coupon_type": coupon_type}, pluck="name")
		frappe.db.set_value("CRM Coupon", past, "valid_until", add_days(today(), -1))
		expire_coupons()
		self.assertEqual(frappe.db.get_value("CRM Coupon", past, "status"), "Expired")
		self.assertEqual(frappe.db.get_value("CRM Coupon", current, "status"), "Issued")

	def test_a_salesperson_sees_the_coupons_of_their_customers_only(self):
		coupon_type = make_coupon_type().name
		theirs = issue_coupon(coupon_type, self.customer)
		others = issue_coupon(coupon_type, make_customer(sales_owner=make_user("CRM Sales User")).name)
		frappe.set_user(self.sales)
		visible = frappe.get_list("CRM Coupon", filters={"coupon_type": coupon_type}, pluck="name")
		self.assertEqual(visible, [theirs])
		self.assertFalse(frappe.has_permission("CRM Coupon", "read", doc=others))
