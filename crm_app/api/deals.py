import frappe

from crm_app.permissions import check_visible
from crm_app.sales_pipeline import deals


@frappe.whitelist(methods=["POST"])
def make_contract(quotation: str) -> dict:
	"""A draft contract from an approved quotation."""
	check_visible("CRM Quotation", quotation)
	return deals.contract_from_quotation(quotation).as_dict()


@frappe.whitelist(methods=["POST"])
def set_delivery_status(sales_order: str, status: str) -> dict:
	"""Mark a submitted order shipped (warehouse) or received (salesperson, once the customer confirms)."""
	check_visible("CRM Sales Order", sales_order)
	order = frappe.get_doc("CRM Sales Order", sales_order)
	order.set_delivery_status(status)
	return order.as_dict()


@frappe.whitelist(methods=["POST"])
def make_sales_order(quotation: str | None = None, contract: str | None = None) -> dict:
	"""A draft sales order from a signed contract or an approved quotation."""
	if contract:
		check_visible("CRM Contract", contract)
		return deals.sales_order_from_contract(contract).as_dict()
	check_visible("CRM Quotation", quotation)
	return deals.sales_order_from_quotation(quotation).as_dict()
