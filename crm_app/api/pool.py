import frappe

from crm_app.sales_pipeline import pool


@frappe.whitelist(methods=["POST"])
def claim(doctype: str, name: str) -> None:
	"""Take an unowned lead or customer from the public pool."""
	pool.claim(doctype, name)


@frappe.whitelist(methods=["POST"])
def release(doctype: str, name: str, reason: str | None = None) -> None:
	"""Give one of your leads or customers back to the public pool."""
	pool.release(doctype, name, reason)
