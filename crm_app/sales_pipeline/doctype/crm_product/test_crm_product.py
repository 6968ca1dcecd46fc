"""CRM Product: named by its code, a list price is required, replacement days are never negative, deal lines take
name, unit and price from it, and a product that was sold cannot be deleted."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.sales_pipeline.doctype.crm_quotation.test_crm_quotation import make_product
from crm_app.sales_pipeline.doctype.crm_sales_order.test_crm_sales_order import make_sales_order


class TestCRMProduct(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_a_product_is_named_by_its_code_with_sensible_defaults(self):
		product = make_product(398)
		self.assertEqual(product.name, product.product_code)
		self.assertEqual((product.product_type, product.unit, product.disabled), ("Goods", "件", 0))

	def test_no_replacement_cycle_by_default_a_week_of_notice_and_no_negative_days(self):
		product = make_product()
		product.reload()
		self.assertEqual((product.replacement_cycle_days, product.remind_days_before), (0, 7))
		for field in ("replacement_cycle_days", "remind_days_before"):
			with self.assertRaises(frappe.NonNegativeError):
				make_product(**{field: -1})

	def test_product_codes_are_unique(self):
		product = make_product()
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc(
				{
					"doctype": "CRM Product",
					"product_code": product.product_code,
					"product_name": "另一个",
					"list_price": 1,
				}
			).insert()

	def test_a_list_price_is_required(self):
		with self.assertRaises(frappe.MandatoryError):
			frappe.get_doc(
				{
					"doctype": "CRM Product",
					"product_code": f"T-{frappe.generate_hash(length=8)}",
					"product_name": "x",
				}
			).insert()

	def test_a_deal_line_takes_name_unit_and_price_from_the_product(self):
		product = make_product("59.90", product_name="青瓷茶杯", unit="套")
		order = make_sales_order(make_customer().name, [{"product": product.name, "qty": 2}], tax_rate=0)
		line = order.items[0]
		self.assertEqual((line.product_name, line.unit, line.list_price), ("青瓷茶杯", "套", 59.90))
		self.assertEqual(order.grand_total, 119.80)

	def test_a_negotiated_line_price_overrides_the_list_price(self):
		product = make_product(100)
		order = make_sales_order(
			make_customer().name, [{"product": product.name, "qty": 1, "list_price": 80}], tax_rate=0
		)
		self.assertEqual(order.grand_total, 80)

	def test_a_product_that_was_sold_cannot_be_deleted(self):
		product = make_product()
		make_sales_order(make_customer().name, [{"product": product.name, "qty": 1}])
		with self.assertRaises(frappe.LinkExistsError):
			frappe.delete_doc("CRM Product", product.name)

	def test_managers_maintain_products_and_sales_users_only_read_them(self):
		manager, sales = make_user("CRM Sales Manager"), make_user("CRM Sales User")
		frappe.set_user(manager)
		product = make_product(10)
		frappe.set_user(sales)
		self.assertTrue(frappe.has_permission("CRM Product", "read", doc=product.name))
		with self.assertRaises(frappe.PermissionError):
			make_product(10)
