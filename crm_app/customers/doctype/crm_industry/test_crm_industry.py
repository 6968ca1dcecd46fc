"""CRM Industry: the seeded industries, unique names, and customers and leads only use a known industry."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user, unique_mobile
from crm_app.defaults import INDUSTRIES


def new_industry():
	return frappe.get_doc(
		{"doctype": "CRM Industry", "industry_name": f"行业{frappe.generate_hash(length=8)}"}
	)


class TestCRMIndustry(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_seeded_industries_exist(self):
		self.assertLessEqual(set(INDUSTRIES), set(frappe.get_all("CRM Industry", pluck="name")))

	def test_an_industry_is_named_after_itself_and_names_are_unique(self):
		industry = new_industry().insert()
		self.assertEqual(industry.name, industry.industry_name)
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc({"doctype": "CRM Industry", "industry_name": industry.industry_name}).insert()

	def test_customers_and_leads_only_use_known_industries(self):
		unknown = f"不存在{frappe.generate_hash(length=6)}"
		with self.assertRaises(frappe.LinkValidationError):
			make_customer(industry=unknown)
		with self.assertRaises(frappe.LinkValidationError):
			frappe.get_doc(
				{
					"doctype": "CRM Lead",
					"lead_name": "陈先生",
					"mobile_no": unique_mobile(),
					"industry": unknown,
				}
			).insert()

	def test_an_industry_in_use_cannot_be_deleted(self):
		industry = new_industry().insert()
		make_customer(industry=industry.name)
		with self.assertRaises(frappe.LinkExistsError):
			frappe.delete_doc("CRM Industry", industry.name)

	def test_managers_may_add_industries_and_sales_users_may_not(self):
		manager, sales = make_user("CRM Sales Manager"), make_user("CRM Sales User")
		frappe.set_user(manager)
		self.assertTrue(new_industry().insert().name)
		frappe.set_user(sales)
		with self.assertRaises(frappe.PermissionError):
			new_industry().insert()
