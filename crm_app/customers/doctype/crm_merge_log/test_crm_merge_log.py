"""CRM Merge Log, written by crm_app.customers.merge.merge_customers: who merged what, a snapshot of the merged
record and what moved; and the merge itself, which must lose nothing."""

import frappe
from frappe.desk.form import assign_to
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import (
	make_customer,
	make_user,
	unique_mobile,
	unique_uscc,
)
from crm_app.customers.merge import merge_customers
from crm_app.teams.doctype.crm_sales_team.test_crm_sales_team import make_team


def make_tag() -> str:
	return (
		frappe.get_doc({"doctype": "CRM Tag", "tag_name": f"测试标签{frappe.generate_hash(length=8)}"})
		.insert()
		.name
	)


def log_interaction(customer: str) -> str:
	return (
		frappe.get_doc({"doctype": "CRM Interaction", "customer": customer, "summary": "上门拜访"})
		.insert()
		.name
	)


class TestCRMMergeLog(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.manager = make_user("CRM Sales Manager")
		cls.sales = make_user("CRM Sales User")
		cls.stranger = make_user("CRM Sales User")
		make_team(cls.manager, (cls.sales,))

	def setUp(self):
		self.mobile, self.uscc = unique_mobile(), unique_uscc()
		self.kept_contact_mobile = unique_mobile()
		self.tag = make_tag()
		self.survivor = make_customer(
			sales_owner=self.sales,
			mobile_no=self.mobile,
			contacts=[{"contact_name": "王伟", "mobile_no": self.kept_contact_mobile, "is_primary": 1}],
		)
		self.duplicate = make_customer(
			sales_owner=self.sales,
			uscc=self.uscc,
			email_id=f"{self.mobile}@example.cn",
			wechat_id="xinye_wx",
			contacts=[
				{"contact_name": "赵敏", "decision_role": "Purchasing", "is_primary": 1},
				{"contact_name": "王伟（重复）", "mobile_no": self.kept_contact_mobile},
			],
			tags=[{"tag": self.tag}],
		)
		self.interactions = [log_interaction(self.duplicate.name) for _ in range(2)]

	def tearDown(self):
		frappe.set_user("Administrator")

	def merge(self) -> frappe._dict:
		return frappe.get_doc("CRM Merge Log", merge_customers(self.duplicate.name, self.survivor.name))

	def test_the_log_records_who_merged_what_and_a_snapshot(self):
		log = self.merge()
		self.assertEqual((log.survivor, log.merged_customer), (self.survivor.name, self.duplicate.name))
		self.assertEqual(log.merged_customer_name, self.duplicate.customer_name)
		self.assertEqual(log.merged_by, "Administrator")
		self.assertTrue(log.merged_at)
		snapshot = frappe.parse_json(log.snapshot)
		self.assertEqual((snapshot["name"], snapshot["uscc"]), (self.duplicate.name, self.uscc))
		self.assertEqual(len(snapshot["contacts"]), 2)

	def test_the_log_counts_the_moved_records(self):
		moved = {row.document_type: row.records for row in self.merge().moved_records}
		self.assertEqual(moved["CRM Interaction"], 2)
		self.assertEqual(moved["CRM Customer Contact"], 1)  # the contact with a known mobile stays behind
		self.assertEqual(moved["CRM Customer Tag"], 1)
		self.assertNotIn(0, moved.values())

	def test_the_survivor_keeps_its_values_and_gains_what_it_lacked(self):
		self.merge()
		merged = frappe.get_doc("CRM Customer", self.survivor.name)
		self.assertEqual(merged.mobile_no, f"+86{self.mobile}")
		self.assertEqual(
			(merged.uscc, merged.email_id, merged.wechat_id),
			(self.uscc, f"{self.mobile}@example.cn", "xinye_wx"),
		)
		self.assertEqual(sorted(c.contact_name for c in merged.contacts), ["王伟", "赵敏"])
		self.assertEqual([c.contact_name for c in merged.contacts if c.is_primary], ["王伟"])
		self.assertEqual([t.tag for t in merged.tags], [self.tag])

	def test_interactions_move_and_the_figures_follow(self):
		self.merge()
		self.assertEqual(
			set(frappe.get_all("CRM Interaction", {"name": ("in", self.interactions)}, pluck="customer")),
			{self.survivor.name},
		)
		self.assertEqual(frappe.db.get_value("CRM Customer", self.survivor.name, "interaction_count"), 2)

	def test_the_duplicate_is_deleted_but_kept_in_deleted_documents(self):
		log = self.merge()
		self.assertFalse(frappe.db.exists("CRM Customer", self.duplicate.name))
		self.assertTrue(
			frappe.db.exists(
				"Deleted Document", {"deleted_doctype": "CRM Customer", "deleted_name": self.duplicate.name}
			)
		)
		comments = frappe.get_all(
			"Comment",
			{"reference_doctype": "CRM Customer", "reference_name": self.survivor.name},
			pluck="content",
		)
		self.assertTrue(any(f"Merged into customer {self.survivor.name}" in text for text in comments))
		self.assertTrue(any(log.name in text for text in comments))

	def test_assignments_move_to_the_survivor(self):
		assign_to.add({"assign_to": [self.sales], "doctype": "CRM Customer", "name": self.duplicate.name})
		self.merge()
		self.assertEqual(
			frappe.get_all(
				"ToDo",
				{"reference_type": "CRM Customer", "reference_name": self.survivor.name, "status": "Open"},
				pluck="allocated_to",
			),
			[self.sales],
		)

	def test_the_manager_of_the_owner_merges(self):
		frappe.set_user(self.manager)
		log = self.merge()
		self.assertEqual(log.merged_by, self.manager)

	def test_sales_users_cannot_merge(self):
		frappe.set_user(self.sales)
		with self.assertRaises(frappe.PermissionError):
			self.merge()
		frappe.set_user("Administrator")
		self.assertTrue(frappe.db.exists("CRM Customer", self.duplicate.name))
		self.assertFalse(frappe.db.exists("CRM Merge Log", {"merged_customer": self.duplicate.name}))

	def test_a_manager_cannot_merge_customers_outside_the_team(self):
		outsider = make_customer(sales_owner=self.stranger)
		frappe.set_user(self.manager)
		with self.assertRaises(frappe.DoesNotExistError):
			merge_customers(outsider.name, self.survivor.name)

	def test_a_customer_cannot_be_merged_into_itself(self):
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be merged into itself"):
			merge_customers(self.survivor.name, self.survivor.name)
