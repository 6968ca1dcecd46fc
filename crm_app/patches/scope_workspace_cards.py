"""The workspace's cards and funnel chart counted whatever each viewer could see, with no scope named; they are
replaced by cards for one's own records and, for managers, the team's."""

import frappe

REPLACED = {
	"Number Card": (
		"CRM Open Leads",
		"CRM Open Opportunities",
		"CRM Open Pipeline Value",
		"CRM Outstanding Receivables",
		"CRM Overdue Follow-ups",
	),
	"Dashboard Chart": ("CRM Open Opportunities by Stage",),
}


def execute():
	for doctype, names in REPLACED.items():
		for name in names:
			frappe.delete_doc_if_exists(doctype, name, force=True)
