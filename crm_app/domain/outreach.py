"""Rules of marketing messages that need no database: when a failed send is tried again, what an SMS says, what
a reply that withdraws consent looks like, and which occasion a journey's message belongs to."""

import re
from datetime import date, datetime, timedelta

from crm_app.domain.errors import DomainError

CHANNELS = ("Email", "SMS")
# 回复TD退订: the opt-out every marketing SMS in China carries
OPT_OUT_SUFFIX = "回复TD退订"
# replies that withdraw consent: TD (the convention), T, N, 退订, 取消, 退出, unsubscribe, stop
_OPT_OUT = re.compile(r"^\s*(td|t|n|退订|取消订阅|取消|退出|unsubscribe|stop)\s*[。.!！]?\s*$", re.IGNORECASE)
MAX_SMS_LENGTH = 500
RETRY_MINUTES = (1, 5, 30, 120, 720)


def is_opt_out(reply: str | None) -> bool:
	return bool(reply) and bool(_OPT_OUT.match(reply))


def sms_text(body: str, signature: str | None) -> str:
	"""The text an SMS carries: the shop's signature 【…】 first, as Chinese carriers require, and the opt-out last."""
	body = (body or "").strip()
	if not body:
		raise DomainError("The SMS has no text")
	signature = (signature or "").strip().strip("【】")
	text = f"【{signature}】{body}" if signature else body
	if OPT_OUT_SUFFIX not in text:
		text = f"{text} {OPT_OUT_SUFFIX}"
	if len(text) > MAX_SMS_LENGTH:
		raise DomainError(
			"An SMS can hold at most {0} characters, this one has {1}", MAX_SMS_LENGTH, len(text)
		)
	return text


def sms_receiver(e164: str) -> str:
	"""How a gateway in China wants a number: a mainland mobile as its 11 digits, any other in E.164."""
	return e164[3:] if e164.startswith("+86") else e164


def next_attempt(attempts: int, now: datetime, max_attempts: int) -> datetime | None:
	"""When a message that has failed `attempts` times is tried again, or None once it has used up its tries."""
	if attempts >= max_attempts:
		return None
	return now + timedelta(minutes=RETRY_MINUTES[min(attempts, len(RETRY_MINUTES)) - 1])


def birthday_occasion(today: date) -> str:
	"""Birthdays are greeted once a year."""
	return f"birthday-{today.year}"


def birthdays_today(today: date) -> tuple[int, list[int]]:
	"""The month and days of the birthdays greeted today: those born on 29 February are greeted on 28 February in
	years without one."""
	if today.month == 2 and today.day == 28 and not _is_leap(today.year):
		return 2, [28, 29]
	return today.month, [today.day]


def _is_leap(year: int) -> bool:
	return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
