"""CRM Handover (离职交接): on submit, everything the leaving salesperson owns and their open CRM follow-ups move
to the successor, with a change record for each moved document; managers hand over only within their team."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime, today

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user, unique_mobile
from crm_app.sales_pipeline.doctype.crm_sales_stage.crm_sales_stage import first_stage
from crm_app.teams.doctype.crm_sales_team.test_crm_sales_team import make_team
from crm_app.teams.handover import count_what_moves, search_people


def new_handover(from_user: str, to_user: str):
	return frappe.get_doc(
		{"doctype": "CRM Handover", "from_user": from_user, "to_user": to_user, "reason": "离职"}
	)


def make_todo(user: str, doctype: str, name: str, **values):
	return frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": user,
			"reference_type": doctype,
			"reference_name": name,
			"description": "跟进",
			"date": add_days(today(), 2),
			**values,
		}
	).insert()


class TestCRMHandover(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.manager = make_user("CRM Sales Manager")

	def setUp(self):
		frappe.set_user("Administrator")
		self.leaving = make_user("CRM Sales User")
		self.successor = make_user("CRM Sales User")

	def tearDown(self):
		frappe.set_user("Administrator")

	def book_of(self, user: str) -> dict:
		customers = [make_customer(sales_owner=user).name for _ in range(2)]
		lead = frappe.get_doc(
			{"doctype": "CRM Lead", "lead_name": "陈先生", "mobile_no": unique_mobile(), "lead_owner": user}
		).insert()
		opportunity = frappe.get_doc(
			{
				"doctype": "CRM Opportunity",
				"opportunity_name": "年度采购",
				"customer": customers[0],
				"opportunity_owner": user,
				"stage": first_stage(),
			}
		).insert()
		return {"CRM Customer": customers, "CRM Lead": [lead.name], "CRM Opportunity": [opportunity.name]}

	def test_the_successor_must_be_someone_else(self):
		with self.assertRaisesRegex(frappe.ValidationError, "someone other than the leaving salesperson"):
			new_handover(self.leaving, self.leaving).insert()

	def test_the_successor_must_be_enabled(self):
		disabled = make_user("CRM Sales User", enabled=0)
		with self.assertRaisesRegex(frappe.ValidationError, "is disabled"):
			new_handover(self.leaving, disabled).insert()

	def test_submitting_moves_every_owned_record(self):
		book = self.book_of(self.leaving)
		kept = make_customer(sales_owner=self.manager).name
		handover = new_handover(self.leaving, self.successor).insert()
		handover.submit()
		for doctype, field in (
			("CRM Customer", "sales_owner"),
			("CRM Lead", "lead_owner"),
			("CRM Opportunity", "opportunity_owner"),
		):
			with self.subTest(doctype=doctype):
				owners = frappe.get_all(doctype, {"name": ("in", book[doctype])}, pluck=field)
				self.assertEqual(owners, [self.successor] * len(book[doctype]))
				self.assertFalse(frappe.db.exists(doctype, {field: self.leaving}))
		self.assertEqual(frappe.db.get_value("CRM Customer", kept, "sales_owner"), self.manager)

	def test_the_handover_lists_what_moved_and_when(self):
		self.book_of(self.leaving)
		handover = new_handover(self.leaving, self.successor).insert()
		handover.submit()
		moved = {row.document_type: row.records for row in handover.moved_records}
		self.assertEqual(moved, {"CRM Customer": 2, "CRM Lead": 1, "CRM Opportunity": 1})
		self.assertTrue(handover.handed_over_at)

	def test_each_moved_record_gets_a_change_record(self):
		customers = self.book_of(self.leaving)["CRM Customer"]
		new_handover(self.leaving, self.successor).insert().submit()
		for customer in customers:
			versions = frappe.get_all(
				"Version", {"ref_doctype": "CRM Customer", "docname": customer}, pluck="data"
			)
			changes = [change for data in versions for change in frappe.parse_json(data)["changed"]]
			self.assertIn(["sales_owner", self.leaving, self.successor], changes)

	def test_open_crm_follow_ups_move_and_the_rest_stay(self):
		customer = make_customer(sales_owner=self.leaving).name
		open_todo = make_todo(self.leaving, "CRM Customer", customer)
		closed_todo = make_todo(self.leaving, "CRM Customer", customer, status="Closed")
		personal = make_todo(self.leaving, None, None, description="个人待办")
		handover = new_handover(self.leaving, self.successor).insert()
		handover.submit()
		self.assertEqual(frappe.db.get_value("ToDo", open_todo.name, "allocated_to"), self.successor)
		self.assertEqual(frappe.db.get_value("ToDo", closed_todo.name, "allocated_to"), self.leaving)
		self.assertEqual(frappe.db.get_value("ToDo", personal.name, "allocated_to"), self.leaving)
		self.assertEqual({row.document_type: row.records for row in handover.moved_records}["ToDo"], 1)
		assigned = frappe.parse_json(frappe.db.get_value("CRM Customer", customer, "_assign"))
		self.assertEqual(assigned, [self.successor])

	def test_a_manager_hands_over_within_the_team(self):
		make_team(self.manager, (self.leaving, self.successor))
		customer = make_customer(sales_owner=self.leaving).name
		frappe.set_user(self.manager)
		new_handover(self.leaving, self.successor).insert().submit()
		self.assertEqual(frappe.db.get_value("CRM Customer", customer, "sales_owner"), self.successor)

	def test_a_manager_cannot_hand_over_to_someone_outside_the_team(self):
		make_team(self.manager, (self.leaving,))
		customer = make_customer(sales_owner=self.leaving).name
		frappe.set_user(self.manager)
		with self.assertRaisesRegex(frappe.PermissionError, "is not in your team"):
			new_handover(self.leaving, self.successor).insert()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("CRM Customer", customer, "sales_owner"), self.leaving)

	def test_a_handover_with_nothing_to_move_records_nothing(self):
		handover = new_handover(self.leaving, self.successor).insert()
		handover.submit()
		self.assertEqual(handover.moved_records, [])
		self.assertEqual(handover.docstatus, 1)

	def test_the_preview_counts_what_the_submit_then_moves(self):
		customers = self.book_of(self.leaving)["CRM Customer"]
		make_todo(self.leaving, "CRM Customer", customers[0])
		preview = count_what_moves(self.leaving)
		self.assertEqual(preview, {"CRM Customer": 2, "CRM Lead": 1, "CRM Opportunity": 1, "ToDo": 1})
		handover = new_handover(self.leaving, self.successor).insert()
		handover.submit()
		self.assertEqual({row.document_type: row.records for row in handover.moved_records}, preview)
		self.assertEqual(count_what_moves(self.leaving), {})

	def test_the_successor_owns_the_records_from_the_hand_over_on(self):
		customer = make_customer(sales_owner=self.leaving).name
		frappe.db.set_value("CRM Customer", customer, "owner_since", add_days(today(), -90))
		handover = new_handover(self.leaving, self.successor).insert()
		before = now_datetime()
		handover.submit()
		self.assertGreaterEqual(frappe.db.get_value("CRM Customer", customer, "owner_since"), before)

	def test_the_pickers_offer_the_managers_people_and_the_successor_only_among_the_active(self):
		manager, gone, outsider = (
			make_user("CRM Sales Manager"),
			make_user("CRM Sales User", enabled=0),
			make_user("CRM Sales User"),
		)
		make_team(manager, (self.leaving, self.successor, gone))
		frappe.set_user(manager)
		offered = {row[0] for row in search_people("", 0, 100, enabled_only=False)}
		self.assertEqual(offered, {manager, self.leaving, self.successor, gone})
		active = {row[0] for row in search_people("", 0, 100, enabled_only=True)}
		self.assertEqual(active, {manager, self.leaving, self.successor})
		frappe.set_user("Administrator")
		everyone = {row[0] for row in search_people("crm-unit", 0, 10000, enabled_only=False)}
		self.assertLessEqual({manager, gone, outsider}, everyone)
