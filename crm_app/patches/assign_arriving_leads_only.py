"""The default lead rule dealt out any unowned new lead whenever it was saved, so a lead given back to the public
pool went to the next salesperson as soon as anyone edited it."""

import frappe

from crm_app.sales_pipeline.pool import LEAD_ASSIGNMENT_CONDITION, LEAD_ASSIGNMENT_RULE

FIRST_CONDITION = 'status == "New" and not lead_owner'


def execute():
	if frappe.db.get_value("Assignment Rule", LEAD_ASSIGNMENT_RULE, "assign_condition") == FIRST_CONDITION:
		frappe.db.set_value(
			"Assignment Rule", LEAD_ASSIGNMENT_RULE, "assign_condition", LEAD_ASSIGNMENT_CONDITION
		)
