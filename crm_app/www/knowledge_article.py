import frappe
from frappe.utils.html_utils import sanitize_html

no_cache = 1


def get_context(context):
	"""A knowledge article published to the public, for anyone; any other answers as a missing page."""
	article = frappe.db.get_value(
		"CRM Knowledge Article",
		{"name": frappe.form_dict.get("name") or "", "published": 1, "visibility": "Public"},
		["name", "title", "category", "body", "modified"],
		as_dict=True,
	)
	if not article:
		raise frappe.PageDoesNotExistError
	context.title = article.title
	context.no_breadcrumbs = True
	context.article = article
	context.body = sanitize_html(article.body or "", always_sanitize=True)
	return context
