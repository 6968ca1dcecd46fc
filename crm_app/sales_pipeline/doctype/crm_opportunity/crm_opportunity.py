import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime, time_diff_in_seconds

from crm_app.domain.stages import Facts, gate_applies, unmet_requirements
from crm_app.follow_ups import close_follow_ups
from crm_app.notifications import notify_each
from crm_app.permissions import validate_owner_change
from crm_app.sales_pipeline.doctype.crm_sales_stage.crm_sales_stage import furthest_of
from crm_app.teams.doctype.crm_sales_team.crm_sales_team import managers_of

# Documents that count towards a stage gate, and what makes one "approved or submitted".
GATE_DOCUMENTS = {
	"CRM Quotation": {"docstatus": 1},
	"CRM Contract": {"signing_status": "Signed"},
	"CRM Sales Order": {"docstatus": 1},
}


class CRMOpportunity(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		self.opportunity_name = (self.opportunity_name or "").strip()
		validate_owner_change(self, "opportunity_owner")
		if (self.amount or 0) < 0:
			frappe.throw(_("The amount cannot be negative"))
		if self.is_new() or self.has_value_changed("stage"):
			self.enter_stage()
		if self.status == "Lost" and not self.lost_reason:
			frappe.throw(_("Please give the reason the deal was lost"))

	def on_update(self):
		if self.status != "Open" and self.has_value_changed("status"):
			close_follow_ups(self.doctype, [self.name])

	def enter_stage(self):
		stage = frappe.get_cached_doc("CRM Sales Stage", self.stage)
		before = self.get_doc_before_save()
		previous = frappe.get_cached_doc("CRM Sales Stage", before.stage) if before else None
		if gate_applies(previous.stage_order if previous else None, stage.stage_order, stage.is_won):
			self.check_stage_gate(stage)
		now = now_datetime()
		self.append(
			"stage_history",
			{
				"from_stage": previous.name if previous else None,
				"to_stage": stage.name,
				"changed_at": now,
				"changed_by": frappe.session.user,
				"time_in_previous_stage": time_diff_in_seconds(
					now, before.stage_changed_at or before.creation
				)
				if before
				else 0,
			},
		)
		self.stage_changed_at = now
		self.furthest_stage = furthest_of(self.furthest_stage, stage.name)
		self.stall_alerted_at = None
		self.status = "Won" if stage.is_won else "Lost" if stage.is_lost else "Open"
		self.probability = stage.probability

	def check_stage_gate(self, stage):
		unmet = unmet_requirements(stage.as_requirements(), self.gate_facts())
		if unmet:
			frappe.throw(
				_("Cannot move to {0} yet. Missing: {1}").format(
					_(stage.name), ", ".join(self.describe(requirement) for requirement in unmet)
				),
				title=_("Stage requirements not met"),
			)

	def gate_facts(self) -> Facts:
		facts = Facts(filled_fields={df.fieldname for df in self.meta.fields if self.get(df.fieldname)})
		if self.is_new():
			return facts
		for doctype, submitted in GATE_DOCUMENTS.items():
			filters = {"opportunity": self.name, "docstatus": ("<", 2)}
			facts.documents[doctype] = frappe.db.count(doctype, filters)
			facts.submitted_documents[doctype] = frappe.db.count(doctype, {**filters, **submitted})
		facts.attachments = frappe.db.count(
			"File", {"attached_to_doctype": self.doctype, "attached_to_name": self.name}
		)
		return facts

	def describe(self, requirement) -> str:
		if requirement.kind == "Field":
			return _(self.meta.get_label(requirement.fieldname))
		if requirement.kind == "Linked Document":
			template = _("an approved {0}") if requirement.submitted_only else _("a {0}")
			return template.format(_(requirement.document_type))
		return _("an attachment")


def stalled_opportunities() -> list[dict]:
	"""Open deals with no interaction or stage change for longer than their stage allows, not yet alerted."""
	default_days = frappe.db.get_single_value("CRM Settings", "default_max_idle_days") or 7
	return frappe.db.sql(
		"""
		select o.name, o.opportunity_name, o.opportunity_owner, o.stage,
			greatest(ifnull(o.last_activity_at, o.stage_changed_at), o.stage_changed_at) as quiet_since,
			if(s.max_idle_days > 0, s.max_idle_days, %(default_days)s) as max_idle_days
		from `tabCRM Opportunity` o
		join `tabCRM Sales Stage` s on s.name = o.stage
		where o.status = 'Open'
			and o.stall_alerted_at is null
			and greatest(ifnull(o.last_activity_at, o.stage_changed_at), o.stage_changed_at)
				< date_sub(%(now)s, interval if(s.max_idle_days > 0, s.max_idle_days, %(default_days)s) day)
		""",
		{"now": now_datetime(), "default_days": default_days},
		as_dict=True,
	)


def alert_stalled_opportunities() -> int:
	"""Tell each stalled deal's owner and their managers, once per stall (a new activity starts a new one)."""
	stalled = stalled_opportunities()
	managers = {owner: managers_of(owner) for owner in {deal.opportunity_owner for deal in stalled}}
	notify_each(
		[
			(
				{deal.opportunity_owner, *managers[deal.opportunity_owner]},
				"CRM Opportunity",
				deal.name,
				_("Opportunity {0} ({1}) has had no activity for more than {2} days in stage {3}").format(
					deal.name, deal.opportunity_name, int(deal.max_idle_days), _(deal.stage)
				),
			)
			for deal in stalled
		]
	)
	if stalled:
		table = frappe.qb.DocType("CRM Opportunity")
		frappe.qb.update(table).set(table.stall_alerted_at, now_datetime()).where(
			table.name.isin([deal.name for deal in stalled])
		).run()
	return len(stalled)
