"""CRM Sales Stage: consistent won/lost flags, probability and gate rows; the funnel kanban board follows the
stages; a stage in use cannot be deleted; the first open stage is where new deals start."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer
from crm_app.defaults import SALES_STAGES
from crm_app.domain.stages import Requirement
from crm_app.sales_pipeline.doctype.crm_sales_stage.crm_sales_stage import (
	KANBAN_BOARD,
	first_stage,
	ordered_stages,
)


def new_stage(order: int | None = None, **values):
	if order is None:
		order = max(stage.stage_order for stage in ordered_stages()) + 1
	return frappe.get_doc(
		{
			"doctype": "CRM Sales Stage",
			"stage_name": f"测试阶段{frappe.generate_hash(length=8)}",
			"stage_order": order,
			"probability": 40,
			**values,
		}
	)


def board_columns() -> dict[str, str]:
	board = frappe.get_doc("Kanban Board", KANBAN_BOARD)
	return {column.column_name: column.indicator for column in board.columns}


class TestCRMSalesStage(FrappeTestCase):
	def test_the_default_funnel_is_seeded(self):
		stages = {stage.name: stage for stage in ordered_stages()}
		for name, _order, _probability, _idle, won, lost, _requirements in SALES_STAGES:
			with self.subTest(stage=name):
				self.assertIn(name, stages)
				self.assertEqual((stages[name].is_won, stages[name].is_lost), (won, lost))

	def test_a_stage_cannot_be_both_won_and_lost(self):
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be both won and lost"):
			new_stage(is_won=1, is_lost=1).insert()

	def test_probability_and_idle_days_are_checked(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Probability must be between 0 and 100%"):
			new_stage(probability=120).insert()
		with self.assertRaisesRegex(frappe.ValidationError, "Stall alert days cannot be negative"):
			new_stage(max_idle_days=-1).insert()

	def test_gate_rows_must_say_what_is_required(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Row 1: choose the field that must be filled"):
			new_stage(requirements=[{"requirement_type": "Field"}]).insert()
		with self.assertRaisesRegex(frappe.ValidationError, "Row 2: choose the document that must exist"):
			new_stage(
				requirements=[
					{"requirement_type": "Attachment"},
					{"requirement_type": "Linked Document"},
				]
			).insert()

	def test_requirements_become_gate_rules(self):
		stage = new_stage(
			requirements=[
				{"requirement_type": "Field", "fieldname": "amount"},
				{
					"requirement_type": "Linked Document",
					"document_type": "CRM Quotation",
					"submitted_only": 1,
				},
				{"requirement_type": "Attachment"},
			]
		).insert()
		self.assertEqual(
			[
				(r.kind, r.fieldname or None, r.document_type or None, r.submitted_only)
				for r in stage.as_requirements()
			],
			[
				("Field", "amount", None, False),
				("Linked Document", None, "CRM Quotation", True),
				("Attachment", None, None, False),
			],
		)
		self.assertIsInstance(stage.as_requirements()[0], Requirement)

	def test_the_funnel_board_has_a_column_per_stage_in_order(self):
		last = new_stage(is_won=1).insert()
		names = [stage.name for stage in ordered_stages()]
		self.assertEqual(list(board_columns()), names)
		self.assertEqual(names[-1], last.name)
		self.assertEqual(board_columns()[last.name], "Green")
		lost = new_stage(is_lost=1).insert()
		self.assertEqual(board_columns()[lost.name], "Red")
		open_stage = new_stage().insert()
		self.assertEqual(board_columns()[open_stage.name], "Blue")

	def test_reordering_a_stage_moves_its_column(self):
		stage = new_stage().insert()
		stage.stage_order = min(s.stage_order for s in ordered_stages()) - 1
		stage.save()
		self.assertEqual(next(iter(board_columns())), stage.name)

	def test_deleting_a_stage_removes_its_column(self):
		stage = new_stage().insert()
		frappe.delete_doc("CRM Sales Stage", stage.name)
		self.assertNotIn(stage.name, board_columns())

	def test_a_stage_in_use_cannot_be_deleted(self):
		stage = new_stage().insert()
		frappe.get_doc(
			{
				"doctype": "CRM Opportunity",
				"opportunity_name": "年度采购",
				"customer": make_customer().name,
				"stage": stage.name,
			}
		).insert()
		with self.assertRaisesRegex(frappe.ValidationError, "is used by opportunities"):
			frappe.delete_doc("CRM Sales Stage", stage.name)
		self.assertIn(stage.name, board_columns())

	def test_new_deals_start_in_the_first_open_stage(self):
		lowest = min(stage.stage_order for stage in ordered_stages())
		new_stage(order=lowest - 2, is_lost=1).insert()
		opening = new_stage(order=lowest - 1).insert()
		self.assertEqual(first_stage(), opening.name)
