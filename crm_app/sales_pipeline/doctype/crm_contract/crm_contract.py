import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from crm_app.permissions import validate_owner_change
from crm_app.sales_pipeline.deals import check_same_customer


class CRMContract(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		check_same_customer(self, "quotation", "opportunity")
		validate_owner_change(self, "sales_owner")
		self.validate_quotation()
		if (self.contract_amount or 0) < 0:
			frappe.throw(_("The contract amount cannot be negative"))
		if self.signing_status == "Signed" and not self.signed_date:
			frappe.throw(_("Please enter the date the contract was signed"))
		if self.start_date and self.end_date and getdate(self.end_date) < getdate(self.start_date):
			frappe.throw(_("The end date cannot be before the start date"))

	def validate_quotation(self):
		if not self.quotation:
			return
		quotation = frappe.db.get_value(
			"CRM Quotation", self.quotation, ["docstatus", "grand_total", "opportunity"], as_dict=True
		)
		if quotation.docstatus != 1:
			frappe.throw(_("Quotation {0} has not been approved").format(self.quotation))
		self.opportunity = self.opportunity or quotation.opportunity
		if not self.contract_amount:
			self.contract_amount = quotation.grand_total
