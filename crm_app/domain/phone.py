"""Phone numbers: parsed as China numbers unless they carry another country code, stored in E.164."""

import re

import phonenumbers
from phonenumbers import PhoneNumberType

from crm_app.domain.errors import DomainError

DEFAULT_REGION = "CN"
_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
# Digits and the separators people write; phonenumbers would read letters as a keypad's (1-800-FLOWERS).
_WRITTEN_NUMBER = re.compile(r"[\d\s+\-()（）.]+")


def _parse(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
	if not _WRITTEN_NUMBER.fullmatch(raw):
		return None
	try:
		number = phonenumbers.parse(raw, region)
	except phonenumbers.NumberParseException:
		return None
	return number if phonenumbers.is_valid_number(number) else None


def _e164(number: phonenumbers.PhoneNumber) -> str:
	return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_mobile(raw: str | None, region: str = DEFAULT_REGION) -> str | None:
	"""Return the mobile number in E.164 (+8613800138000), None when empty.

	Spaces, dashes, brackets and a leading +86 or 0086 are all accepted.
	"""
	raw = (raw or "").strip()
	if not raw:
		return None
	number = _parse(raw, region)
	if number is None or phonenumbers.number_type(number) not in _MOBILE_TYPES:
		raise DomainError("{0} is not a valid mobile number", raw)
	return _e164(number)


def normalize_phone(raw: str | None, region: str = DEFAULT_REGION) -> str | None:
	"""Return any valid phone number (landline, mobile, 400 service line) in E.164, None when empty."""
	raw = (raw or "").strip()
	if not raw:
		return None
	number = _parse(raw, region)
	if number is None:
		raise DomainError("{0} is not a valid phone number", raw)
	return _e164(number)


def format_for_display(e164: str | None) -> str:
	"""+8613800138000 -> +86 138-0013-8000, as it is written in China; anything unparsable is returned unchanged."""
	if not e164:
		return ""
	number = _parse(e164, DEFAULT_REGION)
	if number is None:
		return e164
	country, _, national = phonenumbers.format_number(
		number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
	).partition(" ")
	return f"{country} {national.replace(' ', '-')}"
