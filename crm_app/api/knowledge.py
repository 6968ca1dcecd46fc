"""The knowledge base (知识库): search for desk and portal users, and for visitors of the website."""

import frappe
from frappe.rate_limiter import rate_limit

from crm_app.service import knowledge


@frappe.whitelist(methods=["GET", "POST"])
def search(
	query: str, limit: int = 10, category: str | None = None, product_type: str | None = None
) -> list[dict]:
	"""Articles matching `query`, best first, among those the caller may read: writers of the knowledge base
	find drafts too, desk users published articles, portal users published Public ones. Read-only; POST too,
	as the desk's forms ask with it."""
	return knowledge.search(query, limit, category, product_type)


@frappe.whitelist(allow_guest=True, methods=["GET", "POST"])
@rate_limit(limit=60, seconds=60)
def search_public(
	query: str, limit: int = 10, category: str | None = None, product_type: str | None = None
) -> list[dict]:
	"""The same search among the articles published to the public, whoever asks, for the website and the
	portal; sixty searches a minute per address."""
	return knowledge.search(query, limit, category, product_type, public=True)
