import frappe
from frappe.model.document import Document


class CRMDealItem(Document):
	pass


def on_doctype_update():
	# the nightly purchase association reads which products each order holds from this index alone
	frappe.db.add_index("CRM Deal Item", ["parent", "parenttype", "product"], "crm_products_of_parent")
