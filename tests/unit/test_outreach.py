"""The pure rules of marketing messages (crm_app/domain/outreach.py), checked by hand."""

from datetime import date, datetime

import pytest

from crm_app.domain.errors import DomainError
from crm_app.domain.outreach import (
	MAX_SMS_LENGTH,
	birthday_occasion,
	birthdays_today,
	is_opt_out,
	next_attempt,
	sms_receiver,
	sms_text,
)


@pytest.mark.parametrize(
	"reply", ["TD", "td", " T ", "N", "退订", "取消订阅", "退订。", "unsubscribe", "STOP!"]
)
def test_replies_that_withdraw_consent(reply):
	assert is_opt_out(reply)


@pytest.mark.parametrize("reply", ["", None, "好的", "TD 谢谢", "请问有货吗", "TDD"])
def test_replies_that_do_not(reply):
	assert not is_opt_out(reply)


def test_an_sms_carries_the_signature_first_and_the_opt_out_last():
	assert sms_text("春季新品九折", "母婴之家") == "【母婴之家】春季新品九折 回复TD退订"
	assert sms_text("春季新品九折", "【母婴之家】") == "【母婴之家】春季新品九折 回复TD退订"
	assert sms_text("新品到店，回复TD退订", None) == "新品到店，回复TD退订"


def test_an_empty_or_overlong_sms_is_refused():
	with pytest.raises(DomainError):
		sms_text("  ", "店")
	with pytest.raises(DomainError):
		sms_text("字" * MAX_SMS_LENGTH, "店")


def test_retries_back_off_and_stop_after_the_last_try():
	now = datetime(2026, 12, 7, 9, 0)
	waits = [(next_attempt(tries, now, 5) - now).total_seconds() / 60 for tries in range(1, 5)]
	assert waits == [1, 5, 30, 120]
	assert next_attempt(5, now, 5) is None
	assert (next_attempt(7, now, 10) - now).total_seconds() / 60 == 720


def test_birthdays_on_29_february_are_greeted_on_28_february_in_other_years():
	assert birthdays_today(date(2027, 2, 28)) == (2, [28, 29])
	assert birthdays_today(date(2028, 2, 28)) == (2, [28])
	assert birthdays_today(date(2028, 2, 29)) == (2, [29])
	assert birthdays_today(date(2027, 3, 1)) == (3, [1])
	assert birthday_occasion(date(2027, 3, 1)) == "birthday-2027"


def test_a_mainland_mobile_goes_to_the_gateway_as_11_digits():
	assert sms_receiver("+8613800138000") == "13800138000"
	assert sms_receiver("+85291234567") == "+85291234567"
