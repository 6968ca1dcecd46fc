import frappe
from frappe.model.document import Document


class CRMProductSales(Document):
	pass


def on_doctype_update():
	# the product ranking groups by product and customer in this index's order, reading nothing else
	frappe.db.add_index(
		"CRM Product Sales",
		["product", "customer", "month", "sales_owner", "qty", "amount", "orders"],
		"crm_product_sales_by_product",
	)
	# an order's month is recounted by its customer
	frappe.db.add_index("CRM Product Sales", ["customer", "month"], "crm_product_sales_by_customer")
