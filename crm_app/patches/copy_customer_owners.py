import frappe

CHUNK = 50_000


def execute():
	"""Interactions keep a copy of their customer's owner, which their list filters on first; a range of
	customers per transaction."""
	names = frappe.db.sql_list("select name from `tabCRM Customer` order by name")
	for start in range(0, len(names), CHUNK):
		chunk = names[start : start + CHUNK]
		frappe.db.sql(
			"""update `tabCRM Interaction` i join `tabCRM Customer` c on c.name = i.customer
			set i.customer_owner = c.sales_owner where c.name between %s and %s""",
			(chunk[0], chunk[-1]),
		)
		frappe.db.commit()
