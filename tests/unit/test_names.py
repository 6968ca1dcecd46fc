import pytest

from crm_app.domain.names import name_key, pinyin_search_key


@pytest.mark.parametrize(
	"variant",
	[
		"杭州新叶贸易有限公司",
		"杭州 新叶贸易有限责任公司",
		"杭州新葉貿易有限責任公司",
		"杭州新叶贸易公司",
		"杭州新叶贸易股份有限公司",
		"杭州新叶贸易",
	],
)
def test_company_suffixes_spaces_and_traditional_characters_are_ignored(variant):
	assert name_key(variant) == "杭州新叶贸易"


def test_full_width_letters_and_brackets_are_folded():
	assert name_key("ＡＢＣ科技（上海）有限公司") == name_key("abc科技(上海)公司")


def test_different_companies_keep_different_keys():
	assert name_key("杭州新叶贸易有限公司") != name_key("杭州新叶物流有限公司")


def test_a_bare_suffix_is_not_stripped_to_nothing():
	assert name_key("公司") == "公司"


def test_pinyin_key_has_full_pinyin_and_initials():
	assert pinyin_search_key("杭州新叶") == "hangzhouxinye hzxy"
	assert pinyin_search_key("") == ""
