import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from crm_app.permissions import validate_owner_change
from crm_app.sales_pipeline.deals import apply_pricing, check_same_customer
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import get_settings


class CRMQuotation(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		check_same_customer(self, "opportunity")
		validate_owner_change(self, "sales_owner")
		totals = apply_pricing(self)
		self.max_discount_percent = totals.max_discount_percent
		self.needs_approval = int(totals.max_discount_percent > get_settings().quotation_discount_threshold)
		if self.valid_till and getdate(self.valid_till) < getdate(self.transaction_date):
			frappe.throw(_("Valid Till cannot be before the quotation date"))

	def before_submit(self):
		# The approval workflow decides who may approve; this guards the rule even if the workflow is edited.
		if self.needs_approval and not set(frappe.get_roles()) & {
			"CRM Sales Manager",
			"CRM Admin",
			"System Manager",
		}:
			frappe.throw(
				_("A discount of {0}% needs a sales manager's approval").format(self.max_discount_percent),
				frappe.PermissionError,
			)
