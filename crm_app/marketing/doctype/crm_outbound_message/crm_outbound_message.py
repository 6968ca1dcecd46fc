import frappe
from frappe.model.document import Document


class CRMOutboundMessage(Document):
	pass


def on_doctype_update():
	# the minute's batch: due messages in the order they fell due
	frappe.db.add_index("CRM Outbound Message", ["status", "next_attempt_at"], "crm_due_messages")
	frappe.db.add_index("CRM Outbound Message", ["campaign", "status"], "crm_messages_of_campaign")
