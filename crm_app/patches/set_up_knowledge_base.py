from crm_app.install import seed_knowledge_categories
from crm_app.service.knowledge import create_table, reindex_all


def execute():
	"""Sites from before the knowledge base: its categories and the search index of any articles."""
	create_table()
	reindex_all()
	seed_knowledge_categories()
