import frappe

from crm_app.permissions import check_visible
from crm_app.sales_pipeline import einvoice


@frappe.whitelist(methods=["POST"])
def request_invoice(
	sales_order: str,
	invoice_type: str | None = None,
	buyer_title: str | None = None,
	buyer_tax_id: str | None = None,
) -> dict:
	"""Finance asks for a submitted order's e-invoice; asking again returns the request already made."""
	check_visible("CRM Sales Order", sales_order)
	frappe.has_permission("CRM Invoice Request", "create", throw=True)
	return einvoice.request_invoice(sales_order, invoice_type, buyer_title, buyer_tax_id).as_dict()


@frappe.whitelist(methods=["POST"])
def retry(invoice_request: str) -> dict:
	"""Send a failed invoice request to the provider again now."""
	check_visible("CRM Invoice Request", invoice_request)
	frappe.has_permission("CRM Invoice Request", "write", doc=invoice_request, throw=True)
	return einvoice.retry(invoice_request).as_dict()
