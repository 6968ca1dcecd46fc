"""Signed links: a key that proves a link was made by the site for one record at one moment, so a person can act
on that record without logging in, and nobody can make a key for another record."""

import hashlib
import hmac


def link_key(secret: str, *parts: str) -> str:
	message = "\x1f".join(parts)
	return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def key_matches(secret: str, key: str, *parts: str) -> bool:
	return isinstance(key, str) and hmac.compare_digest(key, link_key(secret, *parts))
