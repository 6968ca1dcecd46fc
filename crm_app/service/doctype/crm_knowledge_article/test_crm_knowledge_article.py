"""CRM Knowledge Article: its search index follows every save and delete, and who reads which articles."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_user
from crm_app.domain.search_terms import TITLE_WEIGHT
from crm_app.service.knowledge import TABLE, find_articles


def make_article(**values):
	return frappe.get_doc(
		{
			"doctype": "CRM Knowledge Article",
			"title": f"测试文章{frappe.generate_hash(length=6)}",
			"category": "故障排除",
			"visibility": "Internal",
			"published": 1,
			"body": "<p>测试内容</p>",
			**values,
		}
	).insert()


def indexed(article: str) -> dict[str, int]:
	return dict(frappe.db.sql(f"select term, weight from `{TABLE}` where article = %s", article))


class TestCRMKnowledgeArticle(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_saving_indexes_the_title_and_body_and_their_length(self):
		article = make_article(title="硒鼓更换步骤", body="<p>取出<b>旧硒鼓</b>，装入新硒鼓。</p>")
		terms = indexed(article.name)
		self.assertEqual(terms["硒鼓"], TITLE_WEIGHT + 2)
		self.assertIn("更换", terms)
		self.assertNotIn("b", terms)
		self.assertEqual(
			frappe.db.get_value("CRM Knowledge Article", article.name, "term_count"), sum(terms.values())
		)

	def test_a_changed_title_replaces_the_old_terms_and_deleting_forgets_them(self):
		article = make_article(title="净水器滤芯更换")
		article.title = "空调清洗方法"
		article.save()
		self.assertNotIn("滤芯", indexed(article.name))
		self.assertIn("空调", indexed(article.name))
		article.delete()
		self.assertEqual(indexed(article.name), {})

	def test_the_search_finds_by_words_not_by_the_whole_text(self):
		article = make_article(title=f"打印机卡纸处理方法{frappe.generate_hash(length=4)}")
		self.assertIn(article.name, [found["name"] for found in find_articles("打印机卡纸怎么办", 50)])

	def test_writers_see_drafts_desk_users_published_articles_the_public_public_ones(self):
		draft = make_article(published=0)
		internal = make_article()
		public = make_article(visibility="Public")
		readers = {
			"CRM Service Agent": {draft.name, internal.name, public.name},
			"CRM Sales User": {internal.name, public.name},
			"CRM Warehouse": {internal.name, public.name},
		}
		for role, expected in readers.items():
			user = make_user(role)
			visible = {
				article.name
				for article in (draft, internal, public)
				if frappe.has_permission("CRM Knowledge Article", "read", doc=article, user=user)
			}
			self.assertEqual(visible, expected, role)
			frappe.set_user(user)
			listed = frappe.get_list(
				"CRM Knowledge Article",
				filters={"name": ("in", [draft.name, internal.name, public.name])},
				pluck="name",
			)
			self.assertEqual(set(listed), expected, role)
			frappe.set_user("Administrator")

	def test_sales_users_cannot_write_articles(self):
		frappe.set_user(make_user("CRM Sales User"))
		with self.assertRaises(frappe.PermissionError):
			make_article()
