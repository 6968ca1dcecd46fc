import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

from crm_app.marketing import templates


class CRMJourney(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		if cint(self.inactive_days) < 0:
			frappe.throw(_("The number of days cannot be negative"))
		if self.coupon_type and not frappe.db.get_value("CRM Coupon Type", self.coupon_type, "enabled"):
			frappe.throw(_("Coupon type {0} is disabled").format(self.coupon_type))
		for field in templates.TEMPLATE_FIELDS:
			templates.check(self, field, with_coupon=bool(self.coupon_type))
