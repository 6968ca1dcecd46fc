"""CRM Knowledge Category: the seeded categories, unique names, and who may add one."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_user
from crm_app.defaults import KNOWLEDGE_CATEGORIES


def new_category():
	return frappe.get_doc(
		{"doctype": "CRM Knowledge Category", "category_name": f"分类{frappe.generate_hash(length=8)}"}
	)


class TestCRMKnowledgeCategory(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_seeded_categories_exist(self):
		existing = set(frappe.get_all("CRM Knowledge Category", pluck="name"))
		self.assertLessEqual(set(KNOWLEDGE_CATEGORIES), existing)

	def test_a_category_is_named_after_itself_and_names_are_unique(self):
		category = new_category().insert()
		self.assertEqual(category.name, category.category_name)
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc(
				{"doctype": "CRM Knowledge Category", "category_name": category.category_name}
			).insert()

	def test_service_managers_add_categories_and_agents_do_not(self):
		frappe.set_user(make_user("CRM Service Manager"))
		new_category().insert()
		frappe.set_user(make_user("CRM Service Agent"))
		with self.assertRaises(frappe.PermissionError):
			new_category().insert()
