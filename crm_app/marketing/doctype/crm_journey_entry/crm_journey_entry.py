import frappe
from frappe.model.document import Document


class CRMJourneyEntry(Document):
	pass


def on_doctype_update():
	frappe.db.add_index("CRM Journey Entry", ["journey", "batch"], "crm_entries_of_batch")
