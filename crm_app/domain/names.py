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


def folded_text(text: str) -> str:
	"""Full-width to half-width, traditional to simplified, lower case."""
	return _to_simplified().convert(unicodedata.normalize("NFKC", text or "")).lower()


def _fold(name: str) -> str:
	"""Full-width to half-width, traditional to simplified, lower case, no spaces or punctuation."""
	return _NOT_WORD.sub("", folded_text(name))


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


# Keys are cut to this many characters: a longer query is looked up by its start, then checked in full.
SEARCH_KEY_LENGTH = 16
_PHONE_TYPED = re.compile(r"[\s\-()（）+.]+")


def search_keys(name: str | None, mobile: str | None = None, number: str | None = None) -> set[str]:
	"""What a person may type to find a customer, as keys a prefix lookup finds: the name from each character
	("新叶" finds 杭州新叶贸易), its pinyin initials from each letter ("xy"), its full pinyin from each syllable
	("xinye"), the whole folded name, the mobile number from its start and its last four digits, and the
	customer number."""
	keys = set()
	core = name_key(name)
	syllables = [_NOT_WORD.sub("", s) for s in lazy_pinyin(core, errors="default")]
	initials = "".join(s[:1] for s in syllables)
	keys.update(core[i:] for i in range(len(core)))
	keys.update(initials[i:] for i in range(len(initials)))
	keys.update("".join(syllables[i:]) for i in range(len(syllables)))
	keys.add(_fold(name or ""))
	if digits := national_digits(mobile):
		keys.update((digits, digits[-4:]))
	if number:
		keys.add(_fold(number))
	return {key[:SEARCH_KEY_LENGTH] for key in keys if key}


def national_digits(phone: str | None) -> str | None:
	"""The digits of a phone number as people type it, without a leading +86 or 0086; None if it is not one."""
	digits = _PHONE_TYPED.sub("", phone or "")
	if not digits.isdigit():
		return None
	for country in ("0086", "86"):
		if digits.startswith(country) and len(digits) > 11:
			return digits[len(country) :]
	return digits


def search_prefix(typed: str | None) -> str | None:
	"""The key start to look up for what was typed: digits for a phone number, the folded text otherwise."""
	typed = (typed or "").strip()
	if not typed:
		return None
	key = national_digits(typed) or _fold(typed)
	return key[:SEARCH_KEY_LENGTH] or None
