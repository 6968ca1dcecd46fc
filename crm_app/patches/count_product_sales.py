from crm_app.analytics.product_sales import recount_changed


def execute():
	"""The product ranking reads the months of the orders a site already has from CRM Product Sales: count them
	once here, so the nightly analysis starts with only the day's changes."""
	recount_changed()
