"""Writes demo data into a site: demo sales users and teams, then customers with contacts, interactions and open
follow-ups, in chunks with `frappe.db.bulk_insert`.

Bulk inserts skip naming, validation and hooks, so this module does their work itself:
- names come from the same naming series the desk uses, reserved a block at a time in `tabSeries` (so a
  customer created in the desk meanwhile or afterwards takes the next free number);
- the generator gives values already normalized and unique, and a sample of every chunk is checked with the
  app's own rules before it is written;
- the fields controllers keep (name_key, pinyin_key, interaction_count, last_interaction_at,
  next_follow_up_date, and the open follow-up ToDo with the record's `_assign`) are filled in the same pass.

Loading again adds more customers: existing demo users and teams are reused, and the values already on the
site are kept out of the new data.
"""

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.model.naming import NamingSeries
from frappe.utils import cint, now_datetime

from crm_app.demo.generator import DEMO_TEAMS, DEMO_USERS, DemoContext, DemoGenerator, Taken, demo_email
from crm_app.domain.email import normalize_email
from crm_app.domain.phone import normalize_mobile, normalize_phone
from crm_app.domain.regions import normalize_region
from crm_app.domain.uscc import normalize_uscc

CUSTOMER = "CRM Customer"
CONTACT = "CRM Customer Contact"
INTERACTION = "CRM Interaction"
TEAM = "CRM Sales Team"

CUSTOMER_FIELDS = (
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"naming_series",
	"customer_name",
	"customer_type",
	"uscc",
	"sales_owner",
	"owner_since",
	"tier",
	"source_channel",
	"industry",
	"mobile_no",
	"phone",
	"email_id",
	"wechat_id",
	"province",
	"city",
	"district",
	"address_line",
	"remarks",
	"name_key",
	"pinyin_key",
	"interaction_count",
	"last_interaction_at",
	"next_follow_up_date",
	"_assign",
)
CONTACT_VALUES = (
	"contact_name",
	"decision_role",
	"job_title",
	"mobile_no",
	"email_id",
	"wechat_id",
	"is_primary",
)
CONTACT_FIELDS = (
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"idx",
	"parent",
	"parenttype",
	"parentfield",
	*CONTACT_VALUES,
)
INTERACTION_FIELDS = (
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"customer",
	"customer_name",
	"interaction_type",
	"interaction_time",
	"contact_name",
	"next_follow_up_date",
	"summary",
)
TODO_FIELDS = (
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"status",
	"priority",
	"date",
	"allocated_to",
	"description",
	"reference_type",
	"reference_name",
	"assigned_by",
	"assigned_by_full_name",
)
CHILD_NAME_LENGTH = 16  # random hex; Frappe's own 10 would collide now and then over millions of rows
SAMPLE_PER_CHUNK = 25


@dataclass
class LoadResult:
	customers: int = 0
	contacts: int = 0
	interactions: int = 0
	follow_ups: int = 0
	users_created: list[str] = field(default_factory=list)
	teams_created: list[str] = field(default_factory=list)
	first_customer: str | None = None
	last_customer: str | None = None
	customer_names: list[str] = field(default_factory=list)
	seed: int | None = None
	seconds: float = 0.0


class SeriesBlock:
	"""Reserves consecutive names of a naming series such as CUST-.YYYY.-.##### in `tabSeries`."""

	def __init__(self, series: str, doctype: str):
		self.doctype = doctype
		self.prefix = NamingSeries(series).get_prefix()
		self.digits = len(next(part for part in series.split(".") if part.startswith("#")))
		self.checked = False

	def reserve(self, count: int) -> list[str]:
		if not frappe.db.sql("select current from `tabSeries` where name = %s for update", self.prefix):
			frappe.db.sql("insert into `tabSeries` (name, current) values (%s, 0)", self.prefix)
		current = cint(frappe.db.sql("select current from `tabSeries` where name = %s", self.prefix)[0][0])
		if not self.checked:
			# never hand out a name already taken, even if the counter was reset or rows were loaded by hand
			current = max(current, self.highest_used())
			self.checked = True
		frappe.db.sql("update `tabSeries` set current = %s where name = %s", (current + count, self.prefix))
		return [
			f"{self.prefix}{number:0{self.digits}d}" for number in range(current + 1, current + count + 1)
		]

	def highest_used(self) -> int:
		return cint(
			frappe.db.sql(
				f"""select max(cast(substring(name, {len(self.prefix) + 1}) as unsigned))
				from `tab{self.doctype}` where name like %s""",
				self.prefix.replace("%", r"\%").replace("_", r"\_") + "%",
			)[0][0]
		)


def customer_series() -> str:
	naming_series = frappe.get_meta(CUSTOMER).get_field("naming_series")
	return naming_series.default or naming_series.options.split("\n")[0]


def interaction_series() -> str:
	return frappe.get_meta(INTERACTION).autoname


def ensure_demo_users(password: str | None = None) -> list[str]:
	"""Create the demo sales organisation's users that do not exist yet; existing ones are left as they are."""
	created = []
	for user in DEMO_USERS:
		if frappe.db.exists("User", user.email):
			continue
		doc = frappe.get_doc(
			{
				"doctype": "User",
				"email": user.email,
				"first_name": user.full_name,
				"language": "zh",
				"user_type": "System User",
				"send_welcome_email": 0,
				"roles": [{"role": role} for role in user.roles],
			}
		)
		if password:
			doc.new_password = password
		doc.insert(ignore_permissions=True)
		created.append(user.email)
	return created


def ensure_demo_teams() -> list[str]:
	"""Create the demo team tree (销售总部 > 华东大区 > 上海组 ...) where a team of that name does not exist."""
	created = []
	for team in DEMO_TEAMS:
		if frappe.db.exists(TEAM, team.name):
			continue
		frappe.get_doc(
			{
				"doctype": TEAM,
				"team_name": team.name,
				"parent_crm_sales_team": team.parent,
				"is_group": team.is_group,
				"manager": demo_email(team.manager) if team.manager else None,
				"members": [{"user": demo_email(member)} for member in team.members],
			}
		).insert(ignore_permissions=True)
		created.append(team.name)
	return created


def demo_owners() -> dict[str, tuple[str, float]]:
	"""Enabled demo users who own customers -> (sales region, weight)."""
	enabled = set(
		frappe.get_all(
			"User", filters={"name": ("in", [u.email for u in DEMO_USERS]), "enabled": 1}, pluck="name"
		)
	)
	return {
		user.email: (user.region, user.weight) for user in DEMO_USERS if user.weight and user.email in enabled
	}


def taken_values() -> Taken:
	"""What the site already has, so that new demo values never hit a unique index (or look like a duplicate)."""

	def column(doctype: str, fieldname: str) -> set[str]:
		return set(
			frappe.db.sql_list(
				f"select `{fieldname}` from `tab{doctype}` where ifnull(`{fieldname}`, '') != ''"
			)
		)

	return Taken(
		mobiles=column(CUSTOMER, "mobile_no") | column(CONTACT, "mobile_no"),
		emails=column(CUSTOMER, "email_id") | column(CONTACT, "email_id"),
		usccs=column(CUSTOMER, "uscc"),
		name_keys=column(CUSTOMER, "name_key"),
	)


def demo_context() -> DemoContext:
	return DemoContext(
		now=now_datetime().replace(microsecond=0),
		channels=tuple(frappe.get_all("CRM Channel", pluck="name", order_by="name")),
		industries=tuple(frappe.get_all("CRM Industry", pluck="name", order_by="name")),
		owners=demo_owners(),
		pool_return_days=cint(frappe.db.get_single_value("CRM Settings", "pool_return_days")) or 30,
	)


def check_sample(customers: list[dict]) -> None:
	"""The generator promises stored-form values; hold it to that with the app's own rules."""
	for customer in customers:
		region = normalize_region(customer["province"], customer["city"], customer["district"])
		expected = {
			"mobile_no": normalize_mobile(customer["mobile_no"]),
			"phone": normalize_phone(customer["phone"]),
			"email_id": normalize_email(customer["email_id"]),
			"uscc": normalize_uscc(customer["uscc"]),
			"province": region.province,
			"city": region.city,
			"district": region.district,
		}
		for fieldname, value in expected.items():
			if customer[fieldname] != value:
				raise ValueError(f"demo {fieldname} {customer[fieldname]!r} is stored as {value!r}")
		names = {contact["contact_name"] for contact in customer["contacts"]}
		for contact in customer["contacts"]:
			if contact["mobile_no"] != normalize_mobile(contact["mobile_no"]):
				raise ValueError(f"demo contact mobile {contact['mobile_no']!r} is not in E.164")
		for row in customer["interactions"]:
			if row["contact_name"] and row["contact_name"] not in names:
				raise ValueError(f"{row['contact_name']} is not a contact of {customer['customer_name']}")
			if row["next_follow_up_date"] and row["next_follow_up_date"] < row["interaction_time"].date():
				raise ValueError("a next follow-up date is earlier than its interaction")


def child_name() -> str:
	return frappe.generate_hash(length=CHILD_NAME_LENGTH)


class ChunkWriter:
	def __init__(self, full_names: dict[str, str]):
		self.customer_series = customer_series()
		self.customer_names = SeriesBlock(self.customer_series, CUSTOMER)
		self.interaction_names = SeriesBlock(interaction_series(), INTERACTION)
		self.full_names = full_names

	def write(self, customers: list[dict], result: LoadResult) -> None:
		names = self.customer_names.reserve(len(customers))
		interaction_names = iter(
			self.interaction_names.reserve(sum(len(c["interactions"]) for c in customers))
		)
		customer_rows, contact_rows, interaction_rows, todo_rows = [], [], [], []
		for name, customer in zip(names, customers, strict=True):
			creator = customer["sales_owner"] or "Administrator"
			created, modified = customer["creation"], customer["modified"]
			todo = self.follow_up(name, customer)
			if todo:
				todo_rows.append(tuple(todo[fieldname] for fieldname in TODO_FIELDS))
			customer_rows.append(
				(
					name,
					created,
					modified,
					creator,
					customer["interactions"][-1]["owner"] if customer["interactions"] else creator,
					self.customer_series,
					*(customer[fieldname] for fieldname in CUSTOMER_FIELDS[6:-1]),
					json.dumps([todo["allocated_to"]]) if todo else None,
				)
			)
			for idx, contact in enumerate(customer["contacts"], start=1):
				contact_rows.append(
					(
						child_name(),
						created,
						created,
						creator,
						creator,
						idx,
						name,
						CUSTOMER,
						"contacts",
						*(contact[fieldname] for fieldname in CONTACT_VALUES),
					)
				)
			for row in customer["interactions"]:
				logged_by = row["owner"] or creator
				interaction_rows.append(
					(
						next(interaction_names),
						row["interaction_time"],
						row["interaction_time"],
						logged_by,
						logged_by,
						name,
						customer["customer_name"],
						row["interaction_type"],
						row["interaction_time"],
						row["contact_name"],
						row["next_follow_up_date"],
						row["summary"],
					)
				)
		frappe.db.bulk_insert(CUSTOMER, CUSTOMER_FIELDS, customer_rows)
		frappe.db.bulk_insert(CONTACT, CONTACT_FIELDS, contact_rows)
		frappe.db.bulk_insert(INTERACTION, INTERACTION_FIELDS, interaction_rows)
		frappe.db.bulk_insert("ToDo", TODO_FIELDS, todo_rows)
		result.customers += len(customer_rows)
		result.contacts += len(contact_rows)
		result.interactions += len(interaction_rows)
		result.follow_ups += len(todo_rows)
		result.first_customer = result.first_customer or names[0]
		result.last_customer = names[-1]
		result.customer_names += names

	def follow_up(self, customer_name: str, customer: dict) -> dict | None:
		"""The open ToDo that CRMInteraction.schedule_follow_up leaves: only the latest interaction's, as each
		interaction closes the follow-ups before it."""
		if not customer["interactions"] or not customer["interactions"][-1]["next_follow_up_date"]:
			return None
		latest = customer["interactions"][-1]
		logged_by = latest["owner"] or "Administrator"
		return {
			"name": child_name(),
			"creation": latest["interaction_time"],
			"modified": latest["interaction_time"],
			"owner": logged_by,
			"modified_by": logged_by,
			"status": "Open",
			"priority": "Medium",
			"date": latest["next_follow_up_date"],
			"allocated_to": customer["sales_owner"] or logged_by,
			"description": _("Follow up: {0}").format(latest["summary"]),
			"reference_type": CUSTOMER,
			"reference_name": customer_name,
			"assigned_by": logged_by,
			"assigned_by_full_name": self.full_names.get(logged_by, logged_by),
		}


def load_demo_data(
	customers: int,
	*,
	seed: int | None = None,
	commit: bool = True,
	chunk_size: int = 2000,
	password: str | None = None,
	progress: Callable[[str], None] | None = None,
) -> LoadResult:
	"""Add `customers` demo customers (with users and teams on first use) to the connected site.

	With `commit`, every chunk is committed as it is written, so a long load keeps its work and its locks
	short; without, everything stays in the caller's transaction (tests roll it back).
	"""
	started = time.monotonic()
	report = progress or (lambda message: None)
	if seed is None:
		seed = secrets.randbelow(10**9)
	result = LoadResult(seed=seed)
	result.users_created = ensure_demo_users(password)
	result.teams_created = ensure_demo_teams()
	if commit:
		frappe.db.commit()
	report(
		_("Demo users: {0} created, {1} reused; teams: {2} created").format(
			len(result.users_created), len(DEMO_USERS) - len(result.users_created), len(result.teams_created)
		)
	)

	context = demo_context()
	generator = DemoGenerator(context, seed=seed, taken=taken_values())
	full_names = {user.email: user.full_name for user in DEMO_USERS}
	writer = ChunkWriter(full_names)
	remaining = customers
	while remaining > 0:
		batch = list(generator.customers(min(chunk_size, remaining)))
		check_sample(batch[:SAMPLE_PER_CHUNK])
		writer.write(batch, result)
		if commit:
			frappe.db.commit()
		remaining -= len(batch)
		elapsed = time.monotonic() - started
		report(
			_("{0} of {1} customers, {2} contacts, {3} interactions ({4:.0f} s)").format(
				result.customers, customers, result.contacts, result.interactions, elapsed
			)
		)
	result.seconds = time.monotonic() - started
	return result
