import pytest

from crm_app.domain.errors import DomainError
from crm_app.domain.uscc import check_character, normalize_uscc

# Codes whose check characters are known to be right.
VALID = ["91350100M000100Y43", "91110000802100433B"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
	assert normalize_uscc(code) == code


def test_lower_case_and_spaces_are_normalized():
	assert normalize_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"
	assert normalize_uscc("9135 0100 M000 100Y 43") == "91350100M000100Y43"


def test_check_character_of_a_valid_code():
	assert check_character("91350100M000100Y4") == "3"


def test_wrong_check_character_is_refused():
	with pytest.raises(DomainError) as error:
		normalize_uscc("91350100M000100Y44")
	assert error.value.message == "{0} has a wrong check character"


@pytest.mark.parametrize("code", ["9135010", "91350100M000100Y4300"])
def test_wrong_length_is_refused(code):
	with pytest.raises(DomainError) as error:
		normalize_uscc(code)
	assert error.value.args_ == (code, len(code))


def test_letters_outside_the_alphabet_are_named():
	with pytest.raises(DomainError) as error:
		normalize_uscc("91350100MOOO100Y43")
	assert error.value.args_[1] == "O"


def test_empty_is_none():
	assert normalize_uscc("") is None
	assert normalize_uscc(None) is None
