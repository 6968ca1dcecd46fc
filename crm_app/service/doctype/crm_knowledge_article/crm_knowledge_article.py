import frappe
from frappe.model.document import Document

from crm_app.service.knowledge import forget_articles, index_articles


class CRMKnowledgeArticle(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		self.title = (self.title or "").strip()

	def on_update(self):
		if self.is_new() or self.has_value_changed("title") or self.has_value_changed("body"):
			index_articles([self.name])

	def on_trash(self):
		forget_articles([self.name])


def on_doctype_update():
	# a search's collection statistics (how many articles, their average length) come from this index alone
	frappe.db.add_index("CRM Knowledge Article", ["term_count"])
