"""The knowledge base's search (知识库检索): an inverted index of each article's terms, ranked by BM25 in SQL.

`crm_knowledge_term` holds a row per term and article with the term's weight there (domain.search_terms) and the
article's length, the sum of its weights (also the article's `term_count`); the term leads the primary key, so
a query reads one short index range per term whatever the number of articles, instead of scanning every body
with LIKE '%…%'. The table is an index, not a record anyone opens, so it is no DocType.

A search cuts the query into terms as the articles were cut and scores every article holding any of them from
the index alone, grouped by article; only the best CANDIDATES are then read from the articles, within the
reader's reach: the row rules of the article list (permissions.get_permission_query_conditions), so writers
find drafts too, desk users the published articles, and the public (Website users and guests) the published
Public ones. Should the reader's reach leave fewer than asked for among them, every article is scored within
reach instead. The collection's statistics (how many articles, their average length, how many hold each term)
are taken over all articles.

A search that finds nothing is queued in Redis, so searching writes nothing to the database; a job saves the
queue as CRM Unanswered Search rows every five minutes, many rows per statement.
"""

import json

import frappe
from frappe import _
from frappe.utils import now_datetime

from crm_app.domain.errors import DomainError
from crm_app.domain.search_terms import (
	K1,
	B,
	article_terms,
	check_result_count,
	check_search_text,
	excerpt,
	idf,
	plain_text,
	query_key,
	query_terms,
)
from crm_app.permissions import get_permission_query_conditions
from crm_app.validation import throw_domain_error

TABLE = "crm_knowledge_term"
ARTICLE = "CRM Knowledge Article"
UNANSWERED = "CRM Unanswered Search"
# Articles read and indexed per round trip; index rows written per statement.
CHUNK = 500
ROWS_PER_INSERT = 5000
# The best-scored articles a search reads to keep those in the reader's reach.
CANDIDATES = 200
# Searches that found nothing wait here for the job that saves them; past the cap the oldest are dropped.
UNANSWERED_QUEUE = "crm_app:unanswered_searches"
QUEUE_CAP = 100_000
UNANSWERED_FIELDS = (
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"query",
	"query_key",
	"user",
	"channel",
	"searched_at",
)


def create_table() -> None:
	frappe.db.sql_ddl(
		f"""create table if not exists `{TABLE}` (
			term varchar(32) character set utf8mb4 collate utf8mb4_bin not null,
			article varchar(140) not null,
			weight smallint unsigned not null,
			length int unsigned not null,
			primary key (term, article),
			key article (article)
		) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci"""
	)


def drop_table() -> None:
	frappe.db.sql_ddl(f"drop table if exists `{TABLE}`")


def index_articles(names: list[str], progress=None) -> None:
	"""Write the terms of these articles, replacing any they had, and set their lengths; `progress(done, total)`
	after each chunk."""
	for start in range(0, len(names), CHUNK):
		chunk = names[start : start + CHUNK]
		articles = frappe.db.sql(
			f"select name, title, body from `tab{ARTICLE}` where name in %(names)s", {"names": chunk}
		)
		weights = {name: article_terms(title, body) for name, title, body in articles}
		lengths = {name: sum(terms.values()) for name, terms in weights.items()}
		# in the index's order, so each of its pages is written once per chunk
		rows = sorted(
			(term, name, weight, lengths[name])
			for name, terms in weights.items()
			for term, weight in terms.items()
		)
		forget_articles(chunk)
		for offset in range(0, len(rows), ROWS_PER_INSERT):
			insert_rows(rows[offset : offset + ROWS_PER_INSERT])
		frappe.db.sql(
			f"""update `tab{ARTICLE}` article set article.term_count = case article.name
			{" ".join(["when %s then %s"] * len(chunk))} else 0 end where article.name in %s""",
			[*(value for name in chunk for value in (name, lengths.get(name, 0))), chunk],
		)
		if progress:
			progress(start + len(chunk), len(names))


def insert_rows(rows: list[tuple[str, str, int, int]]) -> None:
	if rows:
		frappe.db.sql(
			f"""insert into `{TABLE}` (term, article, weight, length)
			values {", ".join(["(%s, %s, %s, %s)"] * len(rows))}""",
			[value for row in rows for value in row],
		)


def forget_articles(names: list[str]) -> None:
	if names:
		frappe.db.sql(f"delete from `{TABLE}` where article in %(names)s", {"names": names})


def reindex_all(progress=None) -> None:
	"""Rebuild the index of every article (after a migration, or to repair it)."""
	frappe.db.sql(f"truncate table `{TABLE}`")
	index_articles(frappe.db.sql_list(f"select name from `tab{ARTICLE}` order by name"), progress)


def find_articles(
	text: str,
	limit: int = 10,
	*,
	user: str | None = None,
	category: str | None = None,
	product_type: str | None = None,
) -> list[dict]:
	"""Up to `limit` articles that `user` (default: the session's) may read holding any word of `text`, best
	first, optionally of one category and product type; each as {name, title, category, product_type,
	visibility, published, excerpt}."""
	words = query_terms(text)
	if not words:
		return []
	frequencies = frappe.db.sql(
		f"select term, count(*) from `{TABLE}` where term in %(words)s group by term", {"words": words}
	)
	if not frequencies:
		return []
	documents, average_length = frappe.db.sql(f"select count(*), avg(term_count) from `tab{ARTICLE}`")[0]
	values = {"words": words, "average_length": float(average_length or 1)}
	weights = []
	for number, (term, frequency) in enumerate(frequencies):
		values[f"term{number}"], values[f"idf{number}"] = term, idf(documents, frequency)
		weights.append(f"select %(term{number})s as term, %(idf{number})s as idf")
	score = f"""sum(weights.idf * term_row.weight * {K1 + 1} / (term_row.weight
		+ {K1} * ({1 - B} + {B} * term_row.length / %(average_length)s)))"""
	conditions = [reach] if (reach := get_permission_query_conditions(user, ARTICLE)) else []
	for field, value in (("category", category), ("product_type", product_type)):
		if value:
			values[field] = value
			conditions.append(f"`tab{ARTICLE}`.`{field}` = %({field})s")
	scored = f"""select term_row.article, {score} as score
		from `{TABLE}` term_row join ({" union all ".join(weights)}) weights on weights.term = term_row.term
		where term_row.term in %(words)s group by term_row.article"""
	within = "".join(f" and {condition}" for condition in conditions)
	ranked = frappe.db.sql(
		f"""select best.article from ({scored} order by score desc, term_row.article limit {CANDIDATES}) best
		join `tab{ARTICLE}` on `tab{ARTICLE}`.name = best.article where true {within}
		order by best.score desc, best.article limit %(limit)s""",
		{**values, "limit": limit},
		pluck=True,
	)
	if len(ranked) < limit and conditions:
		ranked = frappe.db.sql(
			f"""select best.article from ({scored}) best
			join `tab{ARTICLE}` on `tab{ARTICLE}`.name = best.article where true {within}
			order by best.score desc, best.article limit %(limit)s""",
			{**values, "limit": limit},
			pluck=True,
		)
	if not ranked:
		return []
	found = frappe.get_all(
		ARTICLE,
		filters={"name": ("in", ranked)},
		fields=["name", "title", "category", "product_type", "visibility", "published", "body"],
	)
	by_name = {article.name: article for article in found}
	results = []
	for name in ranked:
		if article := by_name.get(name):
			body = article.pop("body")
			results.append({**article, "excerpt": excerpt(plain_text(body), words)})
	return results


def search(
	text,
	limit=10,
	category: str | None = None,
	product_type: str | None = None,
	*,
	public: bool = False,
) -> list[dict]:
	"""A person's search, as the API takes it: what they typed is checked, the articles the session's user may
	read are found (with `public`, only those published to the public, whoever asks), and a search that found
	nothing is queued for the unanswered-searches report."""
	try:
		text = check_search_text(text, _("Search Text"))
		limit = check_result_count(limit, _("Results"))
	except DomainError as error:
		throw_domain_error(error)
	results = find_articles(
		text, limit, user="Guest" if public else None, category=category, product_type=product_type
	)
	if not results:
		queue_unanswered_search(text)
	return results


def channel_of(user: str) -> str:
	if user == "Guest":
		return "Website"
	return "Portal" if frappe.get_cached_value("User", user, "user_type") == "Website User" else "Desk"


def queue_unanswered_search(text: str) -> None:
	user = frappe.session.user
	entry = {"query": text, "user": user, "channel": channel_of(user), "searched_at": str(now_datetime())}
	frappe.cache.rpush(UNANSWERED_QUEUE, json.dumps(entry, ensure_ascii=False))
	frappe.cache.ltrim(UNANSWERED_QUEUE, -QUEUE_CAP, -1)


def save_unanswered_searches() -> None:
	"""Save the queued searches that found nothing as CRM Unanswered Search rows, CHUNK per statement; each
	chunk leaves the queue once it is committed."""
	while entries := frappe.cache.lrange(UNANSWERED_QUEUE, 0, CHUNK - 1):
		now = now_datetime()
		rows = []
		for entry in entries:
			logged = json.loads(entry)
			rows.append(
				(
					frappe.generate_hash(length=10),
					now,
					now,
					logged["user"],
					logged["user"],
					logged["query"],
					query_key(logged["query"]),
					logged["user"],
					logged["channel"],
					logged["searched_at"],
				)
			)
		frappe.db.bulk_insert(UNANSWERED, UNANSWERED_FIELDS, rows)
		frappe.db.commit()
		frappe.cache.ltrim(UNANSWERED_QUEUE, len(entries), -1)
