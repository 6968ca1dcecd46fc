from crm_app.service.knowledge import create_table, drop_table, reindex_all


def execute():
	"""The search index keeps each article's length in its rows, so a search scores from the index alone."""
	drop_table()
	create_table()
	reindex_all()
