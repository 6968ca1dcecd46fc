import frappe
from frappe.model.document import Document


class CRMAudienceMember(Document):
	pass


def on_doctype_update():
	frappe.db.add_index("CRM Audience Member", ["audience", "customer"], "crm_members_of_audience")
