"""CRM Tag: the seeded tags, unique names, who may create them, and tags in use cannot be deleted."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.defaults import TAG_RULES, TAGS


def new_tag(**values):
	return frappe.get_doc(
		{"doctype": "CRM Tag", "tag_name": f"测试标签{frappe.generate_hash(length=8)}", **values}
	)


class TestCRMTag(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_seeded_tags_exist_with_their_colours(self):
		for tag, color, _description in TAGS:
			with self.subTest(tag=tag):
				self.assertEqual(frappe.db.get_value("CRM Tag", tag, "color"), color)

	def test_seeded_tag_rules_point_at_seeded_tags(self):
		for rule, tag, _conditions in TAG_RULES:
			with self.subTest(rule=rule):
				self.assertEqual(frappe.db.get_value("CRM Tag Rule", rule, "tag"), tag)

	def test_a_tag_is_named_after_itself_and_names_are_unique(self):
		tag = new_tag(color="#123456").insert()
		self.assertEqual(tag.name, tag.tag_name)
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc({"doctype": "CRM Tag", "tag_name": tag.tag_name}).insert()

	def test_a_tag_in_use_cannot_be_deleted(self):
		tag = new_tag().insert()
		make_customer(tags=[{"tag": tag.name}])
		with self.assertRaises(frappe.LinkExistsError):
			frappe.delete_doc("CRM Tag", tag.name)
		unused = new_tag().insert()
		frappe.delete_doc("CRM Tag", unused.name)
		self.assertFalse(frappe.db.exists("CRM Tag", unused.name))

	def test_managers_create_tags_and_sales_users_only_use_them(self):
		manager, sales = make_user("CRM Sales Manager"), make_user("CRM Sales User")
		frappe.set_user(manager)
		self.assertTrue(new_tag().insert().name)
		frappe.set_user(sales)
		with self.assertRaises(frappe.PermissionError):
			new_tag().insert()
		customer = make_customer(tags=[{"tag": TAGS[0][0]}])
		self.assertEqual([row.tag for row in customer.tags], [TAGS[0][0]])
