"""Chinese and English text as search terms, for the knowledge base's index and its queries.

Articles and queries are cut into terms the same way: folded (full-width to half-width, traditional to
simplified, lower case), segmented by jieba in its search-engine mode, which adds the shorter words inside a
long one (打印机 also gives 打印 and 印机, so either finds it), and stripped of punctuation and of stop words
(怎么办, 如何, 的, the…), which say nothing about what is asked. "打印机卡纸怎么办" and the title "打印机卡纸处理方法"
then share 打印, 印机, 打印机 and 卡纸.

An article's terms are weighted by how often they occur, a title's TITLE_WEIGHT times over, so the same words
rank an article higher in its title than in its body. Ranking is BM25: the weights saturate (K1) and are
measured against the article's length (B), and each term counts by its rarity (`idf`).
"""

import logging
import math
import re
import warnings
from collections import Counter
from functools import cache
from html.parser import HTMLParser

with warnings.catch_warnings():
	# jieba 0.42 imports setuptools' deprecated pkg_resources (and does without it where it is gone)
	warnings.simplefilter("ignore", UserWarning)
	import jieba

from crm_app.domain.errors import DomainError
from crm_app.domain.names import folded_text
from crm_app.domain.values import Field, check_value

TITLE_WEIGHT = 5
# The index's term column; a longer run of letters or digits (a serial number, a URL) is no word people type.
MAX_TERM_LENGTH = 32
# A weight is stored as an unsigned smallint.
MAX_WEIGHT = 65535
# A question, not a page: and what a CRM Unanswered Search keeps of it.
MAX_QUERY_LENGTH = 140
MAX_RESULTS = 50
# BM25's term-frequency saturation and length normalisation, at their usual values.
K1 = 1.2
B = 0.75

STOP_WORDS = frozenset(
	"""
	的 地 得 了 着 过 是 在 有 和 与 及 或 也 就 都 还 又 而 之 其 被 把 让 给 对 从 到 向 于 以 为 将 则
	吗 呢 吧 啊 呀 哦 嘛 么 哈 啦 嗯 呗
	我 你 您 他 她 它 我们 你们 他们 她们 它们 咱们 自己 大家
	这 那 这个 那个 这些 那些 这样 那样 这么 那么 这里 那里 此
	怎么 怎么办 怎么样 怎样 如何 为什么 为何 什么 啥 哪 哪里 哪儿 哪个 哪些 多少 几
	请问 请 一下 能 能否 可以 可否 会 要 想 该 应该 是否 有没有 是不是 能不能 可不可以
	a an the of to in on at for and or is are was were be been do does did how what why when where which who
	whom can could should would will i me my we our you your it its this that these those with from by as
	""".split()
)

_WORD = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")


@cache
def _tokenizer() -> jieba.Tokenizer:
	"""jieba's dictionary, loaded on first use (about a second, from its cache file after the first time)."""
	jieba.setLogLevel(logging.WARNING)
	tokenizer = jieba.Tokenizer()
	tokenizer.initialize()
	return tokenizer


def is_term(token: str) -> bool:
	"""A word worth looking up: letters, digits or Chinese characters, not a stop word, and no lone Latin letter or
	digit (what is left of "A&B" or "2号")."""
	if not token or len(token) > MAX_TERM_LENGTH or token in STOP_WORDS or not _WORD.search(token):
		return False
	return not (len(token) == 1 and token.isascii())


def terms(text: str | None) -> list[str]:
	"""The search terms of a text, in order, each as often as it occurs."""
	tokens = (token.strip() for token in _tokenizer().cut_for_search(folded_text(text or "")))
	return [token for token in tokens if is_term(token)]


def article_terms(title: str | None, body_html: str | None) -> dict[str, int]:
	"""{term: weight} of an article: its count in the body, plus TITLE_WEIGHT for each time in the title."""
	weights = Counter(terms(plain_text(body_html)))
	for term, count in Counter(terms(title)).items():
		weights[term] += TITLE_WEIGHT * count
	return {term: min(weight, MAX_WEIGHT) for term, weight in weights.items()}


def query_terms(text: str | None) -> list[str]:
	"""The distinct terms of a query, in the order typed."""
	return list(dict.fromkeys(terms(text)))


def query_key(text: str | None) -> str:
	"""What tells two searches apart in the unanswered-searches report: their words in the segmenter's plain
	mode, sorted, so "打印机卡纸怎么办" and "卡纸，打印机" count as one; the folded text when it has no words."""
	words = sorted({token.strip() for token in _tokenizer().lcut(folded_text(text or ""))} - {""})
	key = (
		" ".join(word for word in words if is_term(word)) or _SPACES.sub(" ", folded_text(text or "")).strip()
	)
	return key[:140]


def idf(documents: int, frequency: int) -> float:
	"""BM25's weight of a term found in `frequency` of `documents`: rare terms count more, and never below 0."""
	return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


class _TextCollector(HTMLParser):
	BLOCKS = frozenset(
		{
			"p",
			"div",
			"br",
			"li",
			"tr",
			"td",
			"th",
			"h1",
			"h2",
			"h3",
			"h4",
			"h5",
			"h6",
			"blockquote",
			"pre",
			"hr",
		}
	)
	HIDDEN = frozenset({"script", "style", "template"})

	def __init__(self):
		super().__init__(convert_charrefs=True)
		self.parts: list[str] = []
		self.hidden = 0

	def handle_starttag(self, tag, attrs):
		if tag in self.HIDDEN:
			self.hidden += 1
		elif tag in self.BLOCKS:
			self.parts.append("\n")

	def handle_endtag(self, tag):
		if tag in self.HIDDEN:
			self.hidden = max(0, self.hidden - 1)
		elif tag in self.BLOCKS:
			self.parts.append("\n")

	def handle_data(self, data):
		if not self.hidden:
			self.parts.append(data)


def plain_text(html: str | None) -> str:
	"""The text a reader sees in a rich-text body: no tags, scripts or styles, entities decoded, one line per
	block; inline tags join what they split (<b>打印</b>机 is 打印机)."""
	collector = _TextCollector()
	collector.feed(html or "")
	collector.close()
	text = _SPACES.sub(" ", "".join(collector.parts))
	return _BLANK_LINES.sub("\n", text).strip()


def excerpt(text: str, words: list[str], width: int = 120) -> str:
	"""About `width` characters of `text` around the first of `words` it contains, or its beginning."""
	text = _SPACES.sub(" ", text.replace("\n", " ")).strip()
	lowered = text.lower()
	found = [position for word in words if (position := lowered.find(word)) >= 0]
	start = max(0, min(found) - width // 4) if found else 0
	end = start + width
	return f"{'…' if start else ''}{text[start:end]}{'…' if end < len(text) else ''}"


def check_search_text(text, label: str) -> str:
	"""What was typed, trimmed; refused when it is not text, is empty or is too long to be a question."""
	check_value(Field(label, "Data", MAX_QUERY_LENGTH), text)
	if text is None or not str(text).strip():
		raise DomainError("Type what you are looking for")
	return str(text).strip()


def check_result_count(limit, label: str) -> int:
	check_value(Field(label, "Int"), limit)
	if limit is None or limit == "" or not 1 <= int(limit) <= MAX_RESULTS:
		raise DomainError("{0} must be between {1} and {2}", label, 1, MAX_RESULTS)
	return int(limit)
