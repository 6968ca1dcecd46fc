"""The demo's catalogues and the value types made from them.

Everything the demo says, and how often, lives in the JSON files of crm_app/demo/data: the sales organisation
(organisation), places (places), names, titles and phone numbers of people (people), companies, their trades and
tiers (customers), what the demo company sells (products), the shape of the funnel (pipeline), leads (leads) and
the notes salespeople write (phrases). The Python modules keep only the logic that draws from them.

Pure Python, no frappe: the generator reads the catalogues, the loader inserts the products once.
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data")

# CRM Product's product types
GOODS, SERVICE, CONSUMABLE = "Goods", "Service", "Consumable"

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


# A trading and services company that supplies SMEs of many trades: a few lines per customer industry, and
# office and safety supplies that every customer buys. Prices are exact decimal strings in the file.
DEMO_PRODUCTS = tuple(
	Product(
		code=row["code"],
		name=row["name"],
		product_type=row["type"],
		list_price=Decimal(row["price"]),
		unit=row["unit"],
		replacement_cycle_days=row.get("replacement_cycle_days"),
		industries=tuple(row["industries"]),
		description=row.get("description"),
	)
	for row in read("products")
)

LEAD_SHARE = read("leads")["per_customer"]  # leads per customer loaded
