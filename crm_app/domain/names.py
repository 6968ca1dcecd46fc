"""Customer names compared the way people read them.

"杭州 新叶贸易有限公司", "杭州新葉貿易有限責任公司" and "杭州新叶贸易公司" are the same company to a salesperson, so
they share one name key. The key flags possible duplicates; it never refuses a record on its own.
"""

import re
import unicodedata
from functools import cache

import opencc
from pypinyin import Style, lazy_pinyin

# Longest first, so that 有限责任公司 is removed whole and not as 公司.
COMPANY_SUFFIXES = (
	"股份有限公司",
	"有限责任公司",
	"集团有限公司",
	"有限公司",
	"集团公司",
	"公司",
	"co.,ltd",
	"co.ltd",
	"co,ltd",
	"limited",
	"ltd",
	"inc",
)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


@cache
def _to_simplified():
	return opencc.OpenCC("t2s")


def _fold(name: str) -> str:
	"""Full-width to half-width, traditional to simplified, lower case, no spaces or punctuation."""
	text = unicodedata.normalize("NFKC", name or "")
	text = _to_simplified().convert(text).lower()
	return _NOT_WORD.sub("", text)


def name_key(name: str | None) -> str:
	key = _fold(name or "")
	for suffix in COMPANY_SUFFIXES:
		folded = _NOT_WORD.sub("", suffix)
		if key.endswith(folded) and len(key) > len(folded):
			key = key[: -len(folded)]
			break
	return key


def pinyin_search_key(name: str | None) -> str:
	"""Full pinyin and initials, so "hzxy" and "hangzhouxinye" both find 杭州新叶.

	Non-Chinese characters pass through unchanged.
	"""
	text = unicodedata.normalize("NFKC", name or "").strip()
	if not text:
		return ""
	full = "".join(lazy_pinyin(text, errors="default")).lower()
	initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")).lower()
	return f"{_NOT_WORD.sub('', full)} {_NOT_WORD.sub('', initials)}"
