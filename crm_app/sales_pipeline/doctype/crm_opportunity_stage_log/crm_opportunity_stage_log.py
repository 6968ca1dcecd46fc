import frappe
from frappe.model.document import Document


class CRMOpportunityStageLog(Document):
	pass


def on_doctype_update():
	# the sales funnel reads each deal's passage through the stages, and the time it spent in each, from this
	# index alone
	frappe.db.add_index(
		"CRM Opportunity Stage Log",
		["parent", "parenttype", "from_stage", "to_stage", "time_in_previous_stage"],
		"crm_stage_log_passages",
	)
