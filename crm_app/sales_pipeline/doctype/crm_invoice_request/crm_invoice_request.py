import json

import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.domain import einvoice as rules
from crm_app.domain.errors import DomainError
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import get_settings
from crm_app.sales_pipeline.einvoice import enqueue_attempt
from crm_app.validation import throw_domain_error

BUYER_FIELDS = ("invoice_type", "buyer_title", "buyer_tax_id")


class CRMInvoiceRequest(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		if self.is_new():
			self.take_from_order()
		if self.status in rules.EDITABLE_STATUSES:
			self.build_payload()
		elif any(self.has_value_changed(field) for field in BUYER_FIELDS):
			frappe.throw(_("An invoice request that is {0} cannot be changed").format(_(self.status)))

	def take_from_order(self):
		"""A new request is about a submitted order, has the order's customer, and is the order's only one."""
		order = frappe.db.get_value(
			"CRM Sales Order", self.sales_order, ["docstatus", "customer", "customer_name"], as_dict=True
		)
		if not order or order.docstatus != 1:
			frappe.throw(_("Only a submitted sales order can be invoiced"))
		if frappe.db.exists(self.doctype, {"sales_order": self.sales_order}):
			frappe.throw(_("Sales order {0} already has an invoice request").format(self.sales_order))
		self.customer = order.customer
		self.buyer_title = self.buyer_title or order.customer_name
		if not self.buyer_tax_id:
			self.buyer_tax_id = frappe.db.get_value("CRM Customer", order.customer, "uscc")
		if not self.invoice_type:
			self.invoice_type = rules.default_invoice_type(
				get_settings().einvoice_invoice_type, self.buyer_tax_id
			)
		self.status, self.attempts = rules.PENDING, 0

	def build_payload(self):
		"""The figures and the request the provider receives, from the order as it is now."""
		order = frappe.db.get_value(
			"CRM Sales Order", self.sales_order, ["grand_total", "tax_rate"], as_dict=True
		)
		lines = frappe.get_all(
			"CRM Deal Item",
			filters={"parent": self.sales_order, "parenttype": "CRM Sales Order"},
			fields=["product_name", "qty", "unit", "amount"],
			order_by="idx asc",
		)
		settings = get_settings()
		try:
			self.buyer_tax_id = rules.check_buyer(self.invoice_type, self.buyer_title, self.buyer_tax_id)
			figures = rules.split_total(order.grand_total, order.tax_rate)
			payload = rules.build_payload(
				self.name,
				self.sales_order,
				self.invoice_type,
				(self.buyer_title, self.buyer_tax_id),
				(settings.company_name, settings.company_uscc),
				figures,
				rules.invoice_lines(
					[(row.product_name, row.qty, row.unit, row.amount) for row in lines], figures
				),
			)
		except DomainError as error:
			throw_domain_error(error)
		self.total_amount, self.net_amount = figures.total, figures.net
		self.tax_rate, self.tax_amount = figures.tax_rate, figures.tax
		self.payload = json.dumps(payload, ensure_ascii=False, indent=1)

	def after_insert(self):
		enqueue_attempt(self.name)


def on_doctype_update():
	# the scheduler's pass reads the requests due for a try by status and time
	frappe.db.add_index("CRM Invoice Request", ["status", "next_retry_at"], "crm_invoice_requests_due")
