import frappe
from frappe.model.document import Document


class CRMCoupon(Document):
	# begin: auto-generated types
	# end: auto-generated types
	pass


def on_doctype_update():
	# the limit per customer counts a customer's coupons of a type; the daily expiry finds issued coupons by date
	frappe.db.add_index("CRM Coupon", ["coupon_type", "customer"], "crm_coupons_by_type_and_customer")
	frappe.db.add_index("CRM Coupon", ["status", "valid_until"], "crm_coupons_by_status_and_date")
