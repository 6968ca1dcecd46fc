"""统一社会信用代码 (Unified Social Credit Code), GB 32100-2015.

18 characters from a 31-character alphabet that leaves out I, O, S, V and Z. The 18th character is a check
character: 31 minus the weighted sum of the first 17 modulo 31, with 31 written as 0.
"""

from crm_app.domain.errors import DomainError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_character(first17: str) -> str:
	total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
	return ALPHABET[(31 - total % 31) % 31]


def normalize_uscc(raw: str | None) -> str | None:
	"""Return the code in upper case without spaces, None when empty; raise when it is not a valid code."""
	code = "".join((raw or "").split()).upper()
	if not code:
		return None
	if len(code) != LENGTH:
		raise DomainError("{0} has {1} characters instead of 18", code, len(code))
	invalid = sorted({char for char in code if char not in ALPHABET})
	if invalid:
		raise DomainError("{0} contains characters that are not allowed: {1}", code, "".join(invalid))
	if check_character(code[:17]) != code[17]:
		raise DomainError("{0} has a wrong check character", code)
	return code
