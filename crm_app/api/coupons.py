import frappe
from frappe import _

from crm_app.marketing import coupons
from crm_app.permissions import check_visible


@frappe.whitelist(methods=["POST"])
def issue(coupon_type: str, customer: str) -> dict:
	"""Issue one coupon of a type to one customer in reach, for those who maintain coupon types."""
	if not frappe.has_permission("CRM Coupon Type", "write"):
		frappe.throw(_("You cannot issue coupons"), frappe.PermissionError)
	check_visible("CRM Customer", customer)
	return {"code": coupons.issue_coupon(coupon_type, customer)}
