from crm_app.customers.search import create_table, reindex_all


def execute():
	create_table()
	reindex_all()
