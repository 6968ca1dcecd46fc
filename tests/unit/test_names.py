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


def test_search_keys_find_a_customer_by_any_part_of_its_name_pinyin_or_mobile():
	from crm_app.domain.names import search_keys, search_prefix

	keys = search_keys("杭州新叶贸易有限公司", "+8613800138000", "CUST-2026-00012")

	def found(typed):
		prefix = search_prefix(typed)
		return any(key.startswith(prefix) for key in keys)

	for typed in ("杭州", "新叶", "新叶贸易", "杭州新叶贸易有限公司", "hzxy", "xy", "xinye", "hangzhou"):
		assert found(typed), typed
	for typed in ("13800138000", "138 0013 8000", "+86 138-0013-8000", "0086 13800138000", "1380013", "8000"):
		assert found(typed), typed
	assert found("CUST-2026-00012") and found("cust-2026-0001")
	for typed in ("上海", "13900139000", "0013800"):
		assert not found(typed), typed


def test_search_keys_are_short_and_few():
	from crm_app.domain.names import SEARCH_KEY_LENGTH, search_keys

	keys = search_keys("浙江省杭州市西湖区文三路九十号新叶国际贸易有限公司", "+8613800138000")
	assert max(len(key) for key in keys) <= SEARCH_KEY_LENGTH
	assert len(search_keys("杭州新叶贸易有限公司", "+8613800138000")) <= 30


def test_what_was_typed_becomes_a_key_start():
	from crm_app.domain.names import search_prefix

	assert search_prefix(" 138 0013 8000 ") == "13800138000"
	assert search_prefix("杭州 新叶") == "杭州新叶"
	assert search_prefix("ＡＢＣ") == "abc"
	assert search_prefix("   ") is None
