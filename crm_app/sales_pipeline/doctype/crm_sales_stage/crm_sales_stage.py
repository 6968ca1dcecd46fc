import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.domain.stages import Requirement, furthest

KANBAN_BOARD = "CRM Opportunity Funnel"
KANBAN_CARD_FIELDS = ["customer_name", "amount", "expected_close_date", "opportunity_owner"]


class CRMSalesStage(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		if self.is_won and self.is_lost:
			frappe.throw(_("A stage cannot be both won and lost"))
		if not 0 <= (self.probability or 0) <= 100:
			frappe.throw(_("Probability must be between 0 and 100%"))
		if (self.max_idle_days or 0) < 0:
			frappe.throw(_("Stall alert days cannot be negative"))
		for row in self.requirements:
			if row.requirement_type == "Field" and not row.fieldname:
				frappe.throw(_("Row {0}: choose the field that must be filled").format(row.idx))
			if row.requirement_type == "Linked Document" and not row.document_type:
				frappe.throw(_("Row {0}: choose the document that must exist").format(row.idx))

	def on_update(self):
		sync_kanban_columns()
		if self.get_doc_before_save() and (
			self.has_value_changed("stage_order") or self.has_value_changed("is_lost")
		):
			frappe.enqueue(
				"crm_app.sales_pipeline.doctype.crm_sales_stage.crm_sales_stage.record_furthest_stages",
				queue="long",
				enqueue_after_commit=True,
			)

	def on_trash(self):
		if frappe.db.exists("CRM Opportunity", {"stage": self.name}):
			frappe.throw(_("Stage {0} is used by opportunities and cannot be deleted").format(self.name))

	def after_delete(self):
		sync_kanban_columns()

	def as_requirements(self) -> list[Requirement]:
		return [
			Requirement(row.requirement_type, row.fieldname, row.document_type, bool(row.submitted_only))
			for row in self.requirements
		]


def ordered_stages() -> list[dict]:
	return frappe.get_all(
		"CRM Sales Stage",
		fields=["name", "stage_order", "probability", "is_won", "is_lost", "max_idle_days"],
		order_by="stage_order asc",
	)


def furthest_of(*names: str | None) -> str | None:
	"""The furthest of the stages named, in the funnel's order; lost and deleted stages count for none."""
	return furthest({stage.name: stage.stage_order for stage in ordered_stages() if not stage.is_lost}, names)


def record_furthest_stages() -> None:
	"""Each deal's furthest stage, in one statement, from its stage and every stage its history passed through:
	for sites that had deals before the field, and after the stages are put in another order."""
	frappe.db.sql(
		"""
		update `tabCRM Opportunity` deal
		left join (
			select reached.deal, max(stage.stage_order) as furthest
			from (
				select name as deal, stage from `tabCRM Opportunity`
				union all
				select parent, to_stage from `tabCRM Opportunity Stage Log` where parenttype = 'CRM Opportunity'
				union all
				select parent, from_stage from `tabCRM Opportunity Stage Log` where parenttype = 'CRM Opportunity'
			) reached
			join `tabCRM Sales Stage` stage on stage.name = reached.stage and stage.is_lost = 0
			group by reached.deal
		) found on found.deal = deal.name
		set deal.furthest_stage = (
			select max(stage.name) from `tabCRM Sales Stage` stage
			where stage.is_lost = 0 and stage.stage_order = found.furthest
		)
		"""
	)


def first_stage() -> str:
	open_stages = [stage.name for stage in ordered_stages() if not (stage.is_won or stage.is_lost)]
	if not open_stages:
		frappe.throw(_("Please set up the sales stages first"))
	return open_stages[0]


def sync_kanban_columns():
	"""The desk's funnel board shows one column per stage, in stage order."""
	board = (
		frappe.get_doc("Kanban Board", KANBAN_BOARD)
		if frappe.db.exists("Kanban Board", KANBAN_BOARD)
		else frappe.get_doc(
			{
				"doctype": "Kanban Board",
				"kanban_board_name": KANBAN_BOARD,
				"reference_doctype": "CRM Opportunity",
				"field_name": "stage",
				"private": 0,
				"show_labels": 1,
			}
		)
	)
	board.fields = frappe.as_json(KANBAN_CARD_FIELDS)
	colours = {True: "Green", False: "Blue"}
	board.set(
		"columns",
		[
			{
				"column_name": stage.name,
				"status": "Active",
				"indicator": "Red" if stage.is_lost else colours[bool(stage.is_won)],
			}
			for stage in ordered_stages()
		],
	)
	board.save(ignore_permissions=True)
