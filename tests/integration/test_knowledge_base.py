"""The knowledge base (知识库) over HTTP: Chinese word search and its ranking, who finds which articles, the index
following every change, clear refusals of bad searches, and the report of searches that found nothing."""

import json
import re

import frappe
import pytest
import requests

from tests.integration.client import Client, messages
from tests.integration.conftest import SITE, email_of, ensure_user, fresh, run_scheduled_job

ARTICLE = "CRM Knowledge Article"
QUESTION = "打印机卡纸怎么办"
CJK = re.compile(r"[\u4e00-\u9fff]")


def ok(response, what=""):
	assert response.status_code == 200, f"{what}: {messages(response) if response.content else response}"
	body = response.json()
	return body.get("data", body.get("message"))


def deleted(response):
	assert response.status_code == 202, messages(response) if response.content else response


@pytest.fixture(scope="module")
def run() -> str:
	"""A word of this run only, so what other runs left on the site never answers for it."""
	return f"kb{frappe.generate_hash(length=8)}"


@pytest.fixture(scope="module")
def desk(base_url, users) -> dict[str, Client]:
	"""An agent (客服), who writes articles, and a service manager (客服主管), beside the suite's users, and a
	visitor of the website who has not logged in."""
	clients = {
		key: Client(base_url, SITE, email_of(key), *ensure_user(key, [role], "en"))
		for key, role in (("kb_writer", "CRM Service Agent"), ("kb_manager", "CRM Service Manager"))
	}
	frappe.db.commit()
	return {**users, **clients, "guest": Client(base_url, SITE, "Guest")}


@pytest.fixture(scope="module")
def category(desk, run):
	"""A category of this run's articles, made by the service manager."""
	name = ok(desk["kb_manager"].insert("CRM Knowledge Category", {"category_name": f"测试分类{run}"}))[
		"name"
	]
	yield name
	deleted(desk["admin"].delete("CRM Knowledge Category", name))


@pytest.fixture(scope="module")
def articles(desk, run, category):
	"""The answer (public, with the words in its title), an article mentioning them in its body only, an internal
	one and a draft, written by the agent; deleted afterwards through the API."""
	writer = desk["kb_writer"]
	made = {}
	for key, values in {
		"answer": {"title": f"打印机卡纸处理方法 {run}", "visibility": "Public", "published": 1},
		"mention": {
			"title": f"复印机日常保养 {run}",
			"visibility": "Public",
			"published": 1,
			"body": "<p>每月清洁一次送纸辊。若<b>打印机</b>卡纸，先关机再取出纸张，不要硬拉。</p>" * 2,
		},
		"internal": {"title": f"打印机卡纸返修流程（内部）{run}", "visibility": "Internal", "published": 1},
		"draft": {"title": f"打印机卡纸新方案草稿 {run}", "visibility": "Public", "published": 0},
	}.items():
		record = {
			"category": category,
			"product_type": "Goods",
			"body": "<p>先关机，再打开前盖。</p>",
			**values,
		}
		made[key] = ok(writer.insert(ARTICLE, record), key)["name"]
	yield made
	fresh()
	for name in made.values():
		if frappe.db.exists(ARTICLE, name):
			deleted(desk["admin"].delete(ARTICLE, name))


def search(client, query, method="search", **params):
	return client.get(f"crm_app.api.knowledge.{method}", query=query, limit=50, **params)


def found(client, query, method="search", **params) -> list[str]:
	return [article["name"] for article in ok(search(client, query, method, **params), query)]


def test_a_question_finds_the_article_that_answers_it(desk, articles, category):
	# the words, not the text: no article holds 打印机卡纸怎么办 as typed
	results = ok(search(desk["sales_a"], QUESTION, category=category))
	assert results[0]["name"] == articles["answer"]
	assert results[0]["title"].startswith("打印机卡纸处理方法")
	assert (results[0]["category"], results[0]["visibility"]) == (category, "Public")
	assert "前盖" in results[0]["excerpt"] and "<p>" not in results[0]["excerpt"]
	assert ok(search(desk["sales_a"], QUESTION, category=category, product_type="Service")) == []


def test_words_in_the_title_rank_above_the_same_words_in_the_body(desk, articles, category):
	results = found(desk["sales_a"], QUESTION, category=category)
	assert results.index(articles["answer"]) < results.index(articles["mention"])


def test_writers_find_drafts_desk_users_published_articles_and_the_public_public_ones(desk, articles, run):
	query = f"{QUESTION} {run}"
	ours = set(articles.values())
	expected = {
		("kb_writer", "search"): {"answer", "mention", "internal", "draft"},
		("sales_a", "search"): {"answer", "mention", "internal"},
		("warehouse", "search"): {"answer", "mention", "internal"},
		("portal", "search"): {"answer", "mention"},
		("portal", "search_public"): {"answer", "mention"},
		("guest", "search_public"): {"answer", "mention"},
	}
	for (who, method), keys in expected.items():
		assert set(found(desk[who], query, method)) & ours == {articles[key] for key in keys}, (who, method)


def test_the_public_search_is_the_only_door_for_guests(desk, articles, run):
	response = search(desk["guest"], QUESTION)
	assert response.status_code == 403
	assert search(desk["sales_a"], QUESTION, "search_public").status_code == 403


def test_hidden_articles_answer_as_missing_ones_over_rest(desk, articles):
	for who, key in (("sales_a", "draft"), ("portal", "internal"), ("portal", "answer")):
		client, name = desk[who], articles[key]
		hidden, missing = client.get_doc(ARTICLE, name), client.get_doc(ARTICLE, f"{name}0")
		assert (hidden.status_code, messages(hidden).replace(name, "")) == (
			missing.status_code,
			messages(missing).replace(f"{name}0", ""),
		), (who, key)
	listed = {
		row["name"]
		for row in desk["sales_a"].list(ARTICLE, filters=[["name", "in", list(articles.values())]])
	}
	assert listed == {articles["answer"], articles["mention"], articles["internal"]}


def test_anyone_reads_a_public_article_on_the_website_and_no_other(base_url, articles):
	def page(name):
		return requests.get(
			f"{base_url}/knowledge_base/{name}", headers={"X-Frappe-Site-Name": SITE}, timeout=30
		)

	shown = page(articles["answer"])
	assert shown.status_code == 200 and "打印机卡纸处理方法" in shown.text
	missing = page(f"{articles['answer']}0")
	for key in ("internal", "draft"):
		assert page(articles[key]).status_code == missing.status_code == 404, key


def test_the_index_follows_edits_and_deletions(desk, articles, run):
	def terms():
		fresh()
		return frappe.db.sql_list("select term from crm_knowledge_term where article = %s", articles["draft"])

	ok(
		desk["kb_writer"].update(
			ARTICLE, articles["draft"], {"title": f"净水器滤芯更换 {run}", "published": 1}
		)
	)
	assert articles["draft"] in found(desk["sales_a"], f"滤芯怎么换 {run}")
	assert "滤芯" in terms() and "卡纸" not in terms()
	assert frappe.db.get_value(ARTICLE, articles["draft"], "term_count") > 0
	deleted(desk["admin"].delete(ARTICLE, articles["draft"]))
	assert terms() == []
	assert articles["draft"] not in found(desk["kb_writer"], f"滤芯怎么换 {run}")


def test_a_client_cannot_set_the_indexed_length(desk, articles):
	ok(desk["kb_writer"].update(ARTICLE, articles["answer"], {"term_count": 1}))
	fresh()
	assert frappe.db.get_value(ARTICLE, articles["answer"], "term_count") > 1


def test_bad_searches_are_refused_clearly_in_chinese(desk):
	client = desk["sales_b"]  # reads Chinese
	for params, word in (
		({"query": ""}, "搜索"),
		({"query": "   "}, "搜索"),
		({"query": "卡纸" * 71}, "140"),
		({"query": "卡纸", "limit": 0}, "50"),
		({"query": "卡纸", "limit": 500}, "50"),
		({}, "query"),
	):
		response = client.get("crm_app.api.knowledge.search", **params)
		text = messages(response)
		assert response.status_code == 417, (params, response.status_code, text)
		assert CJK.search(text) and word in text, (params, text)
		assert "Traceback" not in response.text and "卡纸" * 71 not in response.text


def test_searches_that_found_nothing_are_counted_for_the_service_manager(desk, worker, run):
	"""Two people ask the same unanswered question in other words, one of them twice; a guest asks too."""
	nothing = f"zq{run}"
	for client, method, query in (
		(desk["sales_a"], "search", f"{nothing} 怎么办"),
		(desk["sales_a"], "search", f"怎么办？{nothing}"),
		(desk["kb_writer"], "search", f"请问 {nothing}"),
		(desk["guest"], "search_public", f"{nothing}？"),
	):
		assert ok(search(client, query, method)) == []
	run_scheduled_job("crm_app.jobs.save_unanswered_searches")
	fresh()
	logged = frappe.get_all("CRM Unanswered Search", {"query_key": nothing}, ["user", "channel"])
	assert sorted((row.channel, row.user) for row in logged) == sorted(
		[("Desk", desk["sales_a"].user)] * 2 + [("Desk", desk["kb_writer"].user), ("Website", "Guest")]
	)

	report = {"report_name": "CRM Unanswered Searches", "filters": json.dumps({"channel": "Desk"})}
	rows = ok(desk["kb_manager"].get("frappe.desk.query_report.run", **report))["result"]
	row = next(row for row in rows if isinstance(row, dict) and row.get("query_key") == nothing)
	assert (row["searches"], row["people"]) == (3, 2)
	everywhere = ok(desk["kb_manager"].get("frappe.desk.query_report.run", report_name=report["report_name"]))
	assert (
		next(r for r in everywhere["result"] if isinstance(r, dict) and r.get("query_key") == nothing)[
			"searches"
		]
		== 4
	)
	for who in ("sales_a", "kb_writer"):
		assert desk[who].get("frappe.desk.query_report.run", **report).status_code == 403, who
