import frappe

from crm_app.permissions import check_visible
from crm_app.sales_pipeline import deals


@frappe.whitelist(methods=["POST"])
def make_contract(quotation: str) -> dict:
	"""A draft contract from an approved quotation."""
	check_visible("CRM Quotation", quotation)
	return deals.contract_from_quotation(quotation).as_dict()


@frappe.whitelist(methods=["POST"])
def make_sales_order(quotation: str | None = None, contract: str | None = None) -> dict:
	"""A draft sales order from a signed contract or an approved quotation."""
	if contract:
		check_visible("CRM Contract", contract)
		return deals.sales_order_from_contract(contract).as_dict()
	check_visible("CRM Quotation", quotation)
	return deals.sales_order_from_quotation(quotation).as_dict()
