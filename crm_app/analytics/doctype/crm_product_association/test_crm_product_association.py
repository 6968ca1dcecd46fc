"""Purchase association counted in the database (crm_app/analytics/associations.py) agrees with the pure
measures (crm_app/domain/association.py), keeps only pairs that reach every minimum, and suggests to a customer
what buyers of their products also buy."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from crm_app.analytics.associations import analyse_associations, suggestions
from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer
from crm_app.domain.association import measures
from crm_app.sales_pipeline.doctype.crm_quotation.test_crm_quotation import make_product
from crm_app.sales_pipeline.doctype.crm_sales_order.test_crm_sales_order import make_sales_order


def buy(customer: str, products: list[str]) -> None:
	make_sales_order(customer, [{"product": product, "qty": 1} for product in products], tax_rate=0).submit()


class TestCRMProductAssociation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.milk = make_product(268, product_name="婴儿奶粉 3段").name
		cls.wipes = make_product(19.9, product_name="婴儿湿巾 80抽").name
		cls.toy = make_product(59, product_name="益智积木").name
		cls.milk_only = []
		for _ in range(8):
			buy(make_customer().name, [cls.milk, cls.wipes])
		for _ in range(2):
			customer = make_customer().name
			buy(customer, [cls.milk])
			cls.milk_only.append(customer)
		for _ in range(4):
			buy(make_customer().name, [cls.toy])
		cls.kept = analyse_associations(getdate())

	def rule(self, product: str, also: str):
		return frappe.db.get_value(
			"CRM Product Association",
			{"product": product, "also_product": also},
			["customers_both", "support", "confidence", "lift"],
			as_dict=True,
		)

	def test_the_pair_is_measured_as_the_domain_measures_it(self):
		customers = frappe.db.sql(
			"""select count(distinct customer) from `tabCRM Sales Order`
			where docstatus = 1 and transaction_date >= %s""",
			frappe.utils.add_days(getdate(), -frappe.get_cached_doc("CRM Settings").association_window_days),
		)[0][0]
		for product, also, with_x, with_y in ((self.milk, self.wipes, 10, 8), (self.wipes, self.milk, 8, 10)):
			expected = measures(customers, with_x, with_y, 8)
			found = self.rule(product, also)
			self.assertEqual(found.customers_both, 8)
			self.assertAlmostEqual(found.support, 100 * expected.support, places=4)
			self.assertAlmostEqual(found.confidence, 100 * expected.confidence, places=4)
			self.assertAlmostEqual(found.lift, expected.lift, places=4)
		self.assertGreaterEqual(self.kept, 2)

	def test_pairs_never_bought_together_are_not_kept(self):
		self.assertIsNone(self.rule(self.milk, self.toy))
		self.assertIsNone(self.rule(self.toy, self.wipes))

	def test_a_pair_below_a_minimum_is_not_kept(self):
		settings = frappe.get_single("CRM Settings")
		minimum = settings.association_min_customers
		settings.association_min_customers = 9
		settings.save()
		try:
			analyse_associations(getdate())
			self.assertIsNone(self.rule(self.milk, self.wipes))
		finally:
			settings.association_min_customers = minimum
			settings.save()
			analyse_associations(getdate())

	def test_a_customer_is_offered_what_buyers_of_their_products_also_buy(self):
		offered = suggestions(self.milk_only[0])
		self.assertEqual([row.product for row in offered], [self.wipes])
		self.assertEqual(offered[0].because_of, self.milk)
		self.assertEqual(suggestions(make_customer().name), [])
