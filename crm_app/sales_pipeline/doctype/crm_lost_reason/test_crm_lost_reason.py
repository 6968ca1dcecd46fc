"""CRM Lost Reason: the seeded reasons, unique names, a lost deal must name a known reason, and a reason that
was used cannot be deleted."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.defaults import LOST_REASONS
from crm_app.sales_pipeline.doctype.crm_sales_stage.crm_sales_stage import ordered_stages


def new_reason():
	return frappe.get_doc(
		{"doctype": "CRM Lost Reason", "reason_name": f"原因{frappe.generate_hash(length=8)}"}
	)


def lose_a_deal(reason: str):
	lost_stage = next(stage.name for stage in ordered_stages() if stage.is_lost)
	return frappe.get_doc(
		{
			"doctype": "CRM Opportunity",
			"opportunity_name": "年度采购",
			"customer": make_customer().name,
			"stage": lost_stage,
			"lost_reason": reason,
		}
	).insert()


class TestCRMLostReason(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_seeded_reasons_exist(self):
		self.assertLessEqual(set(LOST_REASONS), set(frappe.get_all("CRM Lost Reason", pluck="name")))

	def test_a_reason_is_named_after_itself_and_names_are_unique(self):
		reason = new_reason().insert()
		self.assertEqual(reason.name, reason.reason_name)
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc({"doctype": "CRM Lost Reason", "reason_name": reason.reason_name}).insert()

	def test_a_lost_deal_records_a_known_reason(self):
		reason = new_reason().insert()
		self.assertEqual(lose_a_deal(reason.name).status, "Lost")
		with self.assertRaises(frappe.LinkValidationError):
			lose_a_deal(f"不存在{frappe.generate_hash(length=6)}")

	def test_a_reason_that_was_used_cannot_be_deleted(self):
		reason = new_reason().insert()
		lose_a_deal(reason.name)
		with self.assertRaises(frappe.LinkExistsError):
			frappe.delete_doc("CRM Lost Reason", reason.name)

	def test_only_admins_add_reasons(self):
		frappe.set_user(make_user("CRM Sales Manager"))
		with self.assertRaises(frappe.PermissionError):
			new_reason().insert()
