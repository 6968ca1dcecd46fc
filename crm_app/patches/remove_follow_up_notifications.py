"""The follow-up reminders moved from two Notification records to crm_app.follow_ups.remind_follow_ups."""

import frappe


def execute():
	for name in ("CRM Follow-up Due", "CRM Follow-up Due Email"):
		frappe.delete_doc_if_exists("Notification", name, force=True)
