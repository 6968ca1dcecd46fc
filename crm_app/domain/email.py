"""E-mail addresses: trimmed, lower-cased, and checked for a plausible shape."""

import re

from crm_app.domain.errors import DomainError

# Pragmatic rather than RFC 5322: one @, no spaces, a dotted domain with a 2+ letter top level.
_EMAIL = re.compile(r"^[^@\s]+@([^@\s.]+\.)+[^@\s.]{2,}$")


def normalize_email(raw: str | None) -> str | None:
	email = (raw or "").strip().lower()
	if not email:
		return None
	if not _EMAIL.match(email) or ".." in email:
		raise DomainError("{0} is not a valid email address", raw.strip())
	return email
