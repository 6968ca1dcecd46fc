"""CRM Product Sales agrees with the orders it adds up: a customer's month is recounted after an order is submitted
or cancelled, and the nightly pass recounts the months of orders changed behind the events' back."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from crm_app.analytics import product_sales
from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer
from crm_app.sales_pipeline.doctype.crm_quotation.test_crm_quotation import make_product
from crm_app.sales_pipeline.doctype.crm_sales_order.test_crm_sales_order import make_sales_order

MONTH = getdate("2026-03-01")


def rows(customer: str) -> list[tuple]:
	return list(
		frappe.get_all(
			"CRM Product Sales",
			filters={"customer": customer},
			fields=["month", "product", "qty", "amount", "orders"],
			order_by="month, product",
			as_list=True,
		)
	)


class TestCRMProductSales(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.milk = make_product(200, product_name="婴儿奶粉 1段").name
		cls.wipes = make_product(20, product_name="婴儿湿巾").name

	def order(self, customer: str, day, lines: list[tuple[str, int]]):
		order = make_sales_order(
			customer,
			[{"product": product, "qty": qty} for product, qty in lines],
			tax_rate=0,
			transaction_date=day,
		)
		order.submit()
		return order

	def test_a_month_adds_up_each_products_orders(self):
		customer = make_customer().name
		self.order(customer, MONTH, [(self.milk, 1), (self.wipes, 3)])
		self.order(customer, add_days(MONTH, 20), [(self.milk, 2)])
		self.order(customer, add_days(MONTH, 40), [(self.milk, 1)])
		for month in (MONTH, getdate("2026-04-01")):
			product_sales.recount_month(customer, month)
		self.assertEqual(
			rows(customer),
			sorted(
				[
					(MONTH, self.milk, 3.0, 600.0, 2),
					(MONTH, self.wipes, 3.0, 60.0, 1),
					(getdate("2026-04-01"), self.milk, 1.0, 200.0, 1),
				]
			),
		)

	def test_a_cancelled_order_leaves_its_month(self):
		customer = make_customer().name
		kept = self.order(customer, MONTH, [(self.milk, 1)])
		cancelled = self.order(customer, add_days(MONTH, 1), [(self.milk, 5)])
		cancelled.cancel()
		product_sales.recount_month(customer, MONTH)
		self.assertEqual(rows(customer), [(MONTH, self.milk, 1.0, 200.0, 1)])
		kept.cancel()
		product_sales.recount_month(customer, MONTH)
		self.assertEqual(rows(customer), [])

	def test_the_nightly_pass_recounts_orders_changed_since_the_last(self):
		customer = make_customer().name
		order = self.order(customer, MONTH, [(self.wipes, 2)])
		product_sales.recount_month(customer, MONTH)
		frappe.db.set_default(product_sales.WATERMARK, "2026-01-01 00:00:00")
		# a change that raises no order event, as a hand-over's set-based update
		frappe.db.set_value("CRM Sales Order", order.name, "sales_owner", "Administrator")
		product_sales.recount_changed()
		self.assertEqual(
			frappe.get_all("CRM Product Sales", {"customer": customer}, pluck="sales_owner"),
			["Administrator"],
		)
		self.assertGreater(getdate(frappe.db.get_default(product_sales.WATERMARK)), getdate("2026-01-01"))

	def test_the_demo_loaders_customers_are_counted_with_every_month(self):
		customer = make_customer().name
		self.order(customer, MONTH, [(self.milk, 1)])
		self.order(customer, add_days(MONTH, 100), [(self.milk, 1)])
		product_sales.recount_customers([customer])
		self.assertEqual([row[0] for row in rows(customer)], [MONTH, getdate("2026-06-01")])

	def test_the_first_night_counts_every_order(self):
		customer = make_customer().name
		self.order(customer, MONTH, [(self.milk, 2), (self.wipes, 1)])
		frappe.defaults.clear_default(product_sales.WATERMARK)
		product_sales.recount_changed()
		self.assertEqual(
			rows(customer), sorted([(MONTH, self.milk, 2.0, 400.0, 1), (MONTH, self.wipes, 1.0, 20.0, 1)])
		)
		self.assertTrue(frappe.db.get_default(product_sales.WATERMARK))
