"""The knowledge base's metadata: what an article says of products matches what products say of themselves."""

from tests.static import checks


def options(doctype: str, fieldname: str) -> list[str]:
	field = checks.app_doctypes()[doctype].field(fieldname)
	return [option for option in (field.get("options") or "").split("\n") if option]


def test_an_article_has_the_product_types_products_have():
	assert options("CRM Knowledge Article", "product_type") == options("CRM Product", "product_type")
