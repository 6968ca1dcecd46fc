import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.domain.money import check_payment
from crm_app.sales_pipeline.doctype.crm_sales_order.crm_sales_order import submitted_payments
from crm_app.validation import normalized


class CRMPayment(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		order = frappe.db.get_value(
			"CRM Sales Order", self.sales_order, ["docstatus", "grand_total"], as_dict=True, for_update=True
		)
		if order.docstatus != 1:
			frappe.throw(_("Payments can only be recorded against a submitted sales order"))
		already_paid, _deposit = submitted_payments(self.sales_order, exclude=self.name)
		self.amount = normalized(
			lambda amount: check_payment(amount, already_paid, order.grand_total), self.amount
		)

	def on_submit(self):
		self.refresh_order()

	def on_cancel(self):
		self.refresh_order()

	def refresh_order(self):
		frappe.get_doc("CRM Sales Order", self.sales_order).refresh_payments()
