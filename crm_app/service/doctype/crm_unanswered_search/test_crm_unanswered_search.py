"""CRM Unanswered Search: written by the search alone, read by service managers and admins."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_user


class TestCRMUnansweredSearch(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_nobody_writes_one_by_hand(self):
		frappe.set_user(make_user("CRM Admin"))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc({"doctype": "CRM Unanswered Search", "query": "打印机卡纸"}).insert()

	def test_service_managers_and_admins_read_them_and_agents_and_salespeople_do_not(self):
		for role, reads in (
			("CRM Service Manager", True),
			("CRM Admin", True),
			("CRM Service Agent", False),
			("CRM Sales User", False),
		):
			self.assertEqual(
				frappe.has_permission("CRM Unanswered Search", "read", user=make_user(role)), reads, role
			)
