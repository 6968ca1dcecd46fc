"""What quotations, contracts and orders share: pricing to the fen, and belonging to one customer's deal."""

import frappe
from frappe import _
from frappe.model.mapper import get_mapped_doc

from crm_app.domain.errors import DomainError
from crm_app.domain.money import Totals, price_deal
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import get_settings
from crm_app.validation import throw_domain_error


def apply_pricing(doc, coupon=None) -> Totals:
	"""Price every line and the totals with Decimal arithmetic; refuse negative or impossible figures. A coupon's
	terms (domain.coupons.Terms) take their discount off the order."""
	if not doc.items:
		frappe.throw(_("Please add at least one item"))
	if doc.tax_rate is None:
		doc.tax_rate = get_settings().default_tax_rate
	try:
		totals = price_deal(
			[(row.qty, row.list_price, row.discount_percent) for row in doc.items], doc.tax_rate, coupon
		)
	except DomainError as error:
		throw_domain_error(error)
	if doc.meta.has_field("coupon_discount"):
		doc.coupon_discount = totals.coupon_discount
	for row, line in zip(doc.items, totals.lines, strict=True):
		row.rate, row.amount = line.rate, line.amount
	doc.total = totals.total
	doc.discount_amount = totals.discount_amount
	doc.net_total = totals.net_total
	doc.tax_amount = totals.tax_amount
	doc.grand_total = totals.grand_total
	return totals


def check_same_customer(doc, *links: str) -> None:
	"""Documents of one deal belong to one customer; the customer is taken from them when missing."""
	for field in links:
		if not doc.get(field):
			continue
		customer = frappe.db.get_value(
			frappe.get_meta(doc.doctype).get_field(field).options, doc.get(field), "customer"
		)
		if not doc.customer:
			doc.customer = customer
		elif customer != doc.customer:
			frappe.throw(
				_("{0} {1} belongs to another customer").format(_(doc.meta.get_label(field)), doc.get(field))
			)


def contract_from_quotation(quotation: str):
	"""A draft contract for an approved quotation."""
	contract = get_mapped_doc(
		"CRM Quotation",
		quotation,
		{
			"CRM Quotation": {
				"doctype": "CRM Contract",
				"field_map": {"name": "quotation", "grand_total": "contract_amount"},
				"validation": {"docstatus": ["=", 1]},
			}
		},
	)
	contract.contract_title = _("Contract for {0}").format(contract.customer_name or contract.customer)
	return contract.insert()


def sales_order_from_quotation(quotation: str, contract: str | None = None):
	"""A draft sales order with the approved quotation's lines, optionally under a contract."""
	order = get_mapped_doc(
		"CRM Quotation",
		quotation,
		{
			"CRM Quotation": {
				"doctype": "CRM Sales Order",
				"field_map": {"name": "quotation"},
				"field_no_map": ["transaction_date", "workflow_state"],
				"validation": {"docstatus": ["=", 1]},
			},
			"CRM Deal Item": {"doctype": "CRM Deal Item"},
		},
	)
	order.contract = contract
	order.shipping_address = shipping_address(order.customer)
	return order.insert()


def sales_order_from_contract(contract: str):
	quotation = frappe.db.get_value("CRM Contract", contract, "quotation")
	if not quotation:
		frappe.throw(_("Contract {0} has no quotation to take the items from").format(contract))
	return sales_order_from_quotation(quotation, contract)


def shipping_address(customer: str) -> str:
	"""省市区 and street as one line; a municipality's name is written once (北京市朝阳区, not 北京市北京市朝阳区)."""
	parts = (
		frappe.db.get_value("CRM Customer", customer, ["province", "city", "district", "address_line"]) or ()
	)
	seen = []
	for part in parts:
		if part and part not in seen:
			seen.append(part)
	return "".join(seen)


CHAIN = {
	"CRM Opportunity": ["name", "opportunity_name", "stage", "status", "amount"],
	"CRM Quotation": ["name", "opportunity", "workflow_state", "grand_total", "docstatus"],
	"CRM Contract": ["name", "opportunity", "quotation", "signing_status", "contract_amount"],
	"CRM Sales Order": [
		"name",
		"opportunity",
		"quotation",
		"contract",
		"grand_total",
		"delivery_status",
		"payment_status",
		"paid_amount",
		"outstanding_amount",
		"docstatus",
	],
	"CRM Payment": ["name", "sales_order", "amount", "payment_date", "is_deposit", "docstatus"],
}


def deal_chain(customer: str) -> dict[str, list[dict]]:
	"""Every opportunity, quotation, contract, order and payment of the customer that the user may see."""
	return {
		doctype: frappe.get_list(
			doctype,
			filters={
				"customer": customer,
				**({"docstatus": ("<", 2)} if frappe.get_meta(doctype).is_submittable else {}),
			},
			fields=fields,
			order_by="creation asc",
			limit_page_length=0,
		)
		for doctype, fields in CHAIN.items()
	}
