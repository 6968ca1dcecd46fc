import pytest

from crm_app.domain.errors import DomainError
from crm_app.domain.phone import format_for_display, normalize_mobile, normalize_phone


@pytest.mark.parametrize(
	"raw",
	[
		"13800138000",
		"138 0013 8000",
		"138-0013-8000",
		"+86 138 0013 8000",
		"0086 13800138000",
		"008613800138000",
		" +8613800138000 ",
	],
)
def test_china_mobile_in_any_common_spelling_is_stored_in_e164(raw):
	assert normalize_mobile(raw) == "+8613800138000"


def test_foreign_mobile_keeps_its_country_code():
	assert normalize_mobile("+852 9123 4567") == "+85291234567"


@pytest.mark.parametrize(
	"raw", ["12345", "1380013800", "010-12345678", "abc", "400-820-8820", "138abc00138", "1-800-FLOWERS"]
)
def test_not_a_mobile_number_is_refused(raw):
	with pytest.raises(DomainError) as error:
		normalize_mobile(raw)
	assert error.value.message == "{0} is not a valid mobile number"
	assert error.value.args_ == (raw,)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_empty_mobile_is_none(raw):
	assert normalize_mobile(raw) is None


def test_landline_and_service_numbers_are_phones():
	assert normalize_phone("(010) 1234 5678") == "+861012345678"
	assert normalize_phone("400-820-8820") == "+864008208820"
	with pytest.raises(DomainError):
		normalize_phone("12345")


def test_display_format_groups_digits():
	assert format_for_display("+8613800138000") == "+86 138-0013-8000"
	assert format_for_display("+861012345678") == "+86 10-1234-5678"
	assert format_for_display(None) == ""


@pytest.mark.parametrize("raw", ["400-FLOWERS", "1-800-3569377a", "010-1234 5678 转 123"])
def test_letters_are_refused_rather_than_read_as_a_keypad(raw):
	with pytest.raises(DomainError):
		normalize_phone(raw)


def test_full_width_digits_and_brackets_are_read():
	assert normalize_mobile("１３８ ００１３ ８０００") == "+8613800138000"
	assert normalize_phone("（010）1234 5678") == "+861012345678"
