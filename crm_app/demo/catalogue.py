"""The demo's catalogues and the value types made from them.

Everything the demo says, and how often, lives in the JSON files of crm_app/demo/data: the sales and service
organisation (organisation), places (places), names, titles and phone numbers of people (people), companies, their
trades and tiers (customers), what the demo company sells (products), the shape of the funnel (pipeline), leads
(leads), the notes salespeople write (phrases), customers' after-sales problems (tickets), the knowledge base's
articles (articles), and the retail profile's store, its members' habits and planted patterns (retail). The
Python modules keep only the logic that draws from them.

Pure Python, no frappe: the generator reads the catalogues, the loader inserts the products and articles once.
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from html import escape
from pathlib import Path

DATA = Path(__file__).with_name("data")

# CRM Product's product types
GOODS, SERVICE, CONSUMABLE = "Goods", "Service", "Consumable"

# What a load is made of: companies with their sales pipeline, tickets and leads (b2b), or the members of a shop
# with their many small paid orders (retail, crm_app/demo/retail.py)
B2B, RETAIL = "b2b", "retail"
PROFILES = (B2B, RETAIL)

# CRM Lead's BANT fields, by dimension
BANT_FIELDS = {
	"Budget": "bant_budget",
	"Authority": "bant_authority",
	"Need": "bant_need",
	"Timeline": "bant_timeline",
}


@cache
def read(name: str):
	"""The catalogue data/<name>.json as JSON gives it, read once per process; callers never change it."""
	with open(DATA / f"{name}.json", encoding="utf-8") as file:
		return json.load(file)


@dataclass(frozen=True)
class Product:
	code: str
	name: str
	product_type: str  # Goods, Service or Consumable, as in CRM Product
	list_price: Decimal
	unit: str
	replacement_cycle_days: int | None = None  # consumables only
	industries: tuple[str, ...] = ()  # the customers' industries that buy it; () for every industry
	description: str | None = None


@dataclass(frozen=True)
class Stage:
	"""A CRM Sales Stage as the generator needs it; `requirements` are (kind, fieldname, doctype, submitted_only)."""

	name: str
	order: int
	probability: float
	is_won: bool = False
	is_lost: bool = False
	max_idle_days: int = 0
	requirements: tuple[tuple[str, str | None, str | None, bool], ...] = ()


def products(rows: list[dict]) -> tuple[Product, ...]:
	"""Products of a catalogue file, whose prices are exact decimal strings."""
	return tuple(
		Product(
			code=row["code"],
			name=row["name"],
			product_type=row["type"],
			list_price=Decimal(row["price"]),
			unit=row["unit"],
			replacement_cycle_days=row.get("replacement_cycle_days"),
			industries=tuple(row.get("industries", ())),
			description=row.get("description"),
		)
		for row in rows
	)


# A trading and services company that supplies SMEs of many trades: a few lines per customer industry, and
# office and safety supplies that every customer buys.
DEMO_PRODUCTS = products(read("products"))
# The retail profile's mother-and-baby store (母婴店): milk powder, wipes, nappies, bottles, baby food, toiletries,
# toys; its codes (MY-...) are its own.
RETAIL_PRODUCTS = products(read("retail")["products"])

LEAD_SHARE = read("leads")["per_customer"]  # leads per customer loaded


@dataclass(frozen=True)
class Article:
	title: str
	category: str
	product_type: str  # as in CRM Knowledge Article; "" for every product type
	visibility: str  # Internal or Public
	published: bool
	body: str  # HTML


def article_body(blocks: list) -> str:
	"""HTML of an article's blocks, as the rich-text editor keeps it: a string is a paragraph, a list the steps of an
	ordered list."""
	return "".join(
		f"<p>{escape(block)}</p>"
		if isinstance(block, str)
		else "<ol>" + "".join(f"<li>{escape(step)}</li>" for step in block) + "</ol>"
		for block in blocks
	)


# The demo knowledge base, mostly public and published: troubleshooting, set-up and care of the demo products, the
# after-sales policies, a few internal guides for the service desk and a few drafts.
DEMO_ARTICLES = tuple(
	Article(
		title=row["title"],
		category=row["category"],
		product_type=row["product_type"],
		visibility=row["visibility"],
		published=row["published"],
		body=article_body(row["body"]),
	)
	for row in read("articles")
)
