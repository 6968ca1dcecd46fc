from crm_app.bulk import over_customer_ranges


def execute():
	"""Interactions keep a copy of their customer's owner, which their list filters on first."""
	over_customer_ranges(
		"""update `tabCRM Interaction` i join `tabCRM Customer` c on c.name = i.customer
		set i.customer_owner = c.sales_owner where c.name between %s and %s"""
	)
