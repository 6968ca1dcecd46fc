import frappe

from crm_app.customers.doctype.crm_customer.crm_customer import build_timeline
from crm_app.customers.merge import merge_customers
from crm_app.customers.search import customer_search
from crm_app.permissions import check_visible
from crm_app.sales_pipeline.deals import deal_chain
from crm_app.validation import json_argument


@frappe.whitelist(methods=["POST"])
def merge(duplicate: str, survivor: str) -> str:
	"""Merge `duplicate` into `survivor`; returns the CRM Merge Log name."""
	return merge_customers(duplicate, survivor)


@frappe.whitelist(methods=["GET"])
def get_timeline(customer: str) -> list[dict]:
	check_visible("CRM Customer", customer)
	return build_timeline(customer)


@frappe.whitelist(methods=["GET", "POST"])
def get_contact_names(customer: str | None = None, txt: str | None = None) -> list[str]:
	"""The customer's contacts, for a contact picker; read-only, POST too as the desk's pickers ask with it."""
	if not customer:
		return []
	check_visible("CRM Customer", customer)
	names = [contact.contact_name for contact in frappe.get_doc("CRM Customer", customer).contacts]
	return [name for name in names if (txt or "") in name]


@frappe.whitelist(methods=["GET"])
def get_deal_chain(customer: str) -> dict:
	"""The customer's opportunities, quotations, contracts, orders and payments with their status."""
	check_visible("CRM Customer", customer)
	return deal_chain(customer)


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def search(doctype, txt, searchfield, start, page_len, filters):
	"""Link-field search for customers by any part of the name, its pinyin (hzxy finds 杭州新叶), the mobile as
	typed (138 0013 8000) or the customer number, within reach; the most recently changed first."""
	return customer_search(txt, json_argument(filters, "Filters"), start, page_len)
