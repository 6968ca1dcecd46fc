"""CRM Opportunity: stage gates on forward moves, the stage log, status and probability from the stage, the lost
reason, and stall alerts to the owner and their manager.

The tests build their own funnel after the seeded stages, so an admin's edits to the real funnel cannot break them.
"""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, now_datetime, today

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.sales_pipeline.doctype.crm_opportunity.crm_opportunity import (
	alert_stalled_opportunities,
	stalled_opportunities,
)
from crm_app.sales_pipeline.doctype.crm_quotation.test_crm_quotation import (
	approve,
	make_quotation,
	without_workflow_emails,
)
from crm_app.sales_pipeline.doctype.crm_sales_stage.crm_sales_stage import ordered_stages
from crm_app.teams.doctype.crm_sales_team.test_crm_sales_team import make_team


def make_stage(order: int, probability: int, requirements=(), **values) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "CRM Sales Stage",
				"stage_name": f"测试阶段{frappe.generate_hash(length=8)}",
				"stage_order": order,
				"probability": probability,
				"max_idle_days": 7,
				"requirements": list(requirements),
				**values,
			}
		)
		.insert()
		.name
	)


def stalled_names() -> set[str]:
	return {row.name for row in stalled_opportunities()}


class TestCRMOpportunity(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		without_workflow_emails(cls)
		frappe.set_user("Administrator")
		base = max(stage.stage_order for stage in ordered_stages()) + 1000
		cls.contact = make_stage(base + 1, 10)
		cls.qualified = make_stage(
			base + 2,
			30,
			[
				{"requirement_type": "Field", "fieldname": "amount"},
				{"requirement_type": "Field", "fieldname": "expected_close_date"},
			],
		)
		cls.negotiation = make_stage(
			base + 3,
			70,
			[{"requirement_type": "Linked Document", "document_type": "CRM Quotation", "submitted_only": 1}],
		)
		cls.signing = make_stage(base + 4, 80, [{"requirement_type": "Attachment"}])
		cls.won = make_stage(
			base + 5,
			100,
			[{"requirement_type": "Linked Document", "document_type": "CRM Contract"}],
			is_won=1,
		)
		cls.lost = make_stage(base + 6, 0, is_lost=1)
		cls.manager = make_user("CRM Sales Manager", "CRM Sales User")
		cls.sales = make_user("CRM Sales User")
		make_team(cls.manager, (cls.sales,))

	def setUp(self):
		frappe.set_user("Administrator")
		self.customer = make_customer(sales_owner=self.sales).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def make_opportunity(self, stage=None, **values):
		return frappe.get_doc(
			{
				"doctype": "CRM Opportunity",
				"opportunity_name": "年度采购",
				"customer": self.customer,
				"opportunity_owner": self.sales,
				"stage": stage or self.contact,
				**values,
			}
		).insert()

	def move(self, opportunity, stage, **values):
		opportunity.reload()
		opportunity.update({"stage": stage, **values})
		opportunity.save()
		return opportunity

	def test_a_new_deal_enters_its_stage(self):
		opportunity = self.make_opportunity()
		self.assertEqual((opportunity.status, opportunity.probability), ("Open", 10))
		self.assertTrue(opportunity.stage_changed_at)
		log = opportunity.stage_history
		self.assertEqual([(row.from_stage, row.to_stage) for row in log], [(None, self.contact)])
		self.assertEqual((log[0].changed_by, log[0].time_in_previous_stage), ("Administrator", 0))

	def test_the_gate_lists_every_missing_field(self):
		opportunity = self.make_opportunity()
		with self.assertRaises(frappe.ValidationError) as refused:
			self.move(opportunity, self.qualified)
		self.assertIn("Amount", str(refused.exception))
		self.assertIn("Expected Close Date", str(refused.exception))
		self.assertEqual(frappe.db.get_value("CRM Opportunity", opportunity.name, "stage"), self.contact)

	def test_a_deal_moves_on_once_the_gate_is_met_and_the_move_is_logged(self):
		opportunity = self.make_opportunity()
		frappe.db.set_value(
			"CRM Opportunity", opportunity.name, "stage_changed_at", add_to_date(now_datetime(), hours=-2)
		)
		self.move(opportunity, self.qualified, amount=88000, expected_close_date=add_days(today(), 30))
		self.assertEqual((opportunity.status, opportunity.probability), ("Open", 30))
		log = [(row.from_stage, row.to_stage) for row in opportunity.stage_history]
		self.assertEqual(log, [(None, self.contact), (self.contact, self.qualified)])
		self.assertGreaterEqual(opportunity.stage_history[1].time_in_previous_stage, 2 * 3600)

	def test_a_new_deal_must_meet_the_gate_of_its_first_stage(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Cannot move to"):
			self.make_opportunity(stage=self.qualified)
		self.assertEqual(
			self.make_opportunity(
				stage=self.qualified, amount=1000, expected_close_date=add_days(today(), 5)
			).probability,
			30,
		)

	def test_stepping_back_needs_nothing(self):
		opportunity = self.make_opportunity(
			stage=self.qualified, amount=1000, expected_close_date=add_days(today(), 5)
		)
		self.move(opportunity, self.contact, amount=0, expected_close_date=None)
		self.assertEqual((opportunity.stage, opportunity.probability), (self.contact, 10))
		with self.assertRaisesRegex(frappe.ValidationError, "Amount"):
			self.move(opportunity, self.qualified)

	def test_a_linked_document_gate_wants_an_approved_quotation(self):
		opportunity = self.make_opportunity()
		quotation = make_quotation(self.customer, opportunity=opportunity.name)
		with self.assertRaisesRegex(frappe.ValidationError, "an approved CRM Quotation"):
			self.move(opportunity, self.negotiation)
		approve(quotation)
		self.assertEqual(self.move(opportunity, self.negotiation).probability, 70)

	def test_an_attachment_gate_wants_a_file(self):
		opportunity = self.make_opportunity()
		with self.assertRaisesRegex(frappe.ValidationError, "an attachment"):
			self.move(opportunity, self.signing)
		frappe.get_doc(
			{
				"doctype": "File",
				"file_url": "https://example.com/signed-offer.pdf",
				"attached_to_doctype": "CRM Opportunity",
				"attached_to_name": opportunity.name,
			}
		).insert()
		self.assertEqual(self.move(opportunity, self.signing).stage, self.signing)

	def test_a_won_deal_needs_a_contract(self):
		opportunity = self.make_opportunity()
		with self.assertRaisesRegex(frappe.ValidationError, "a CRM Contract"):
			self.move(opportunity, self.won)
		frappe.get_doc(
			{
				"doctype": "CRM Contract",
				"contract_title": "年度采购合同",
				"customer": self.customer,
				"opportunity": opportunity.name,
			}
		).insert()
		self.move(opportunity, self.won)
		self.assertEqual((opportunity.status, opportunity.probability), ("Won", 100))

	def test_a_lost_deal_needs_a_reason(self):
		opportunity = self.make_opportunity()
		with self.assertRaisesRegex(frappe.ValidationError, "reason the deal was lost"):
			self.move(opportunity, self.lost)
		reason = frappe.get_all("CRM Lost Reason", pluck="name", limit=1)[0]
		self.move(opportunity, self.lost, lost_reason=reason)
		self.assertEqual((opportunity.status, opportunity.probability), ("Lost", 0))

	def test_the_amount_cannot_be_negative(self):
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be negative"):
			self.make_opportunity(amount=-1)

	def test_a_salesperson_owns_the_deals_they_create(self):
		frappe.set_user(self.sales)
		opportunity = frappe.get_doc(
			{
				"doctype": "CRM Opportunity",
				"opportunity_name": "续约",
				"customer": self.customer,
				"stage": self.contact,
			}
		).insert()
		self.assertEqual(opportunity.opportunity_owner, self.sales)
		with self.assertRaisesRegex(frappe.ValidationError, "You cannot make .* the owner"):
			self.make_opportunity(opportunity_owner=self.manager)

	def test_a_quiet_deal_is_alerted_to_its_owner_and_manager_once(self):
		quiet = self.make_opportunity()
		busy = self.make_opportunity()
		for name in (quiet.name, busy.name):
			frappe.db.set_value("CRM Opportunity", name, "stage_changed_at", add_days(now_datetime(), -10))
		frappe.db.set_value("CRM Opportunity", busy.name, "last_activity_at", add_days(now_datetime(), -1))
		self.assertIn(quiet.name, stalled_names())
		self.assertNotIn(busy.name, stalled_names())

		self.assertGreaterEqual(alert_stalled_opportunities(), 1)
		recipients = frappe.get_all(
			"Notification Log",
			{"document_type": "CRM Opportunity", "document_name": quiet.name},
			pluck="for_user",
		)
		self.assertEqual(sorted(recipients), sorted([self.sales, self.manager]))
		self.assertTrue(frappe.db.get_value("CRM Opportunity", quiet.name, "stall_alerted_at"))
		self.assertNotIn(quiet.name, stalled_names())  # once per stall

	def test_a_new_stage_starts_a_new_stall(self):
		opportunity = self.make_opportunity()
		frappe.db.set_value(
			"CRM Opportunity",
			opportunity.name,
			{
				"stage_changed_at": add_days(now_datetime(), -10),
				"stall_alerted_at": add_days(now_datetime(), -2),
			},
		)
		self.assertNotIn(opportunity.name, stalled_names())
		self.move(opportunity, self.qualified, amount=1, expected_close_date=add_days(today(), 3))
		self.assertIsNone(frappe.db.get_value("CRM Opportunity", opportunity.name, "stall_alerted_at"))

	def test_closed_deals_never_stall(self):
		reason = frappe.get_all("CRM Lost Reason", pluck="name", limit=1)[0]
		opportunity = self.make_opportunity(stage=self.lost, lost_reason=reason)
		frappe.db.set_value(
			"CRM Opportunity", opportunity.name, "stage_changed_at", add_days(now_datetime(), -100)
		)
		self.assertNotIn(opportunity.name, stalled_names())
