from crm_app.sales_pipeline.doctype.crm_sales_stage.crm_sales_stage import record_furthest_stages


def execute():
	"""The sales funnel counts the deals that reached each stage from each deal's furthest stage: fill it in once
	for the deals a site already has."""
	record_furthest_stages()
