import pytest

from crm_app.domain.errors import DomainError
from crm_app.domain.regions import Region, cities, districts, normalize_region, provinces


def test_all_provincial_divisions_are_listed():
	assert len(provinces()) == 34
	assert "广东省" in provinces() and "新疆维吾尔自治区" in provinces()


def test_municipality_is_its_own_city():
	assert cities("北京市") == ["北京市"]
	assert "朝阳区" in districts("北京市", "北京市")


def test_county_level_city_under_a_province_is_a_city():
	assert "仙桃市" in cities("湖北省")


def test_short_forms_are_completed():
	assert normalize_region("广东", "广州", "天河") == Region("广东省", "广州市", "天河区")


def test_province_is_inferred_from_a_unique_city():
	assert normalize_region(None, "杭州", None) == Region("浙江省", "杭州市", None)


def test_city_of_another_province_is_refused():
	with pytest.raises(DomainError) as error:
		normalize_region("广东省", "杭州市", None)
	assert error.value.message == "{0} is not a city of {1}"


def test_unknown_province_is_refused():
	with pytest.raises(DomainError):
		normalize_region("火星省", None, None)


def test_district_needs_a_city():
	with pytest.raises(DomainError):
		normalize_region("浙江省", None, "西湖区")


def test_empty_address_is_allowed():
	assert normalize_region(None, "", None) == Region(None, None, None)


def test_pickers_offer_the_level_below_narrowed_to_what_was_typed():
	from crm_app.domain.regions import region_options

	assert "浙江省" in region_options()
	assert region_options("浙江省", typed="杭")[0] == "杭州市"
	assert region_options("浙江省", "杭州市", typed="西湖") == ["西湖区"]
	assert "湖州市" in region_options("浙江省", typed="州")
	assert "朝阳区" in region_options("北京市", "北京市")
