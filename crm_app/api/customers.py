import frappe

from crm_app.customers.doctype.crm_customer.crm_customer import build_timeline
from crm_app.customers.merge import merge_customers
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


@frappe.whitelist(methods=["GET"])
def get_contact_names(customer: str) -> list[str]:
	check_visible("CRM Customer", customer)
	return [contact.contact_name for contact in frappe.get_doc("CRM Customer", customer).contacts]


@frappe.whitelist(methods=["GET"])
def get_deal_chain(customer: str) -> dict:
	"""The customer's opportunities, quotations, contracts, orders and payments with their status."""
	check_visible("CRM Customer", customer)
	return deal_chain(customer)


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def search(doctype, txt, searchfield, start, page_len, filters):
	"""Link-field search for customers by name, number, mobile or pinyin (hzxy finds 杭州新叶), within reach."""
	pattern = f"%{txt}%"
	return frappe.get_list(
		"CRM Customer",
		filters=json_argument(filters, "Filters"),
		or_filters=[
			["customer_name", "like", pattern],
			["name", "like", pattern],
			["mobile_no", "like", pattern],
			["pinyin_key", "like", pattern.lower()],
		],
		fields=["name", "customer_name", "city"],
		order_by="modified desc",
		limit_start=start,
		limit_page_length=page_len,
		as_list=True,
	)
