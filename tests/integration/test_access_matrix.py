"""The access matrix: every user type × every record they may not see × every way of asking about it.

Nothing here is listed by hand that the metadata and hooks can tell: the DocTypes with row rules come from the
hooks registries, the side tables (File, Comment, Version…) from the Dynamic Links in the metadata plus
`crm_reference_fields`, the app's methods from what is whitelisted under crm_app.api, and the closed methods from
every whitelisted method Frappe and the app define. A new DocType, side table or method is probed the day it is
added.

A hidden record must answer exactly as a missing one does: the same status and the same body once the name is
taken out. The front door (the list, as that user) says which records are hidden; test_customer_access.py and
the other suites check the front door itself. The figures go to access-matrix.json in the test logs.
"""

import inspect
import json
import pkgutil
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import frappe
import pytest
from frappe.utils import today

from crm_app.defaults import ROLES_SEEING_ALL
from tests.integration.client import Client, messages
from tests.integration.conftest import LOGS, email_of, fresh, settle, unique_mobile, unique_name

PROBERS = (
	"sales_a",
	"sales_b",
	"sales_c",
	"east_manager",
	"south_manager",
	"agent_south",
	"warehouse",
	"finance",
	"portal",
	"customer",
)
# the book whose customer invited `customer` to the portal, and the records the portal shows them of it
PORTAL_BOOK = "east"
PORTAL_SHOWS = ("CRM Quotation", "CRM Sales Order", "CRM Payment", "CRM Ticket")
OWNERS = {"east": "sales_a", "south": "sales_c"}
MANAGERS = {"east": "east_manager", "south": "south_manager"}
# the service team that handles each book's tickets, and its agent
SERVICE_TEAMS = {"east": ("华东服务组", "agent_east"), "south": ("华南服务组", "agent_south")}
THREADS = 8


@dataclass
class Tally:
	probes: Counter = field(default_factory=Counter)
	leaks: list = field(default_factory=list)


TALLY = Tally()
# the names of the books' records: a name in an answer that is none of them is a record the call itself made
KNOWN: set[str] = set()


@pytest.fixture(scope="module", autouse=True)
def report():
	yield
	# the probes used up the inquiry page's hourly allowance for this address; later tests start afresh
	frappe.cache.delete_keys("rl:")
	summary = {"probes": sum(TALLY.probes.values()), "by_kind": TALLY.probes, "leaks": len(TALLY.leaks)}
	(LOGS / "access-matrix.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
	print(f"\naccess matrix: {summary['probes']} probes, {summary['leaks']} leaks")


# --------------------------------------------------------------------------------------------------------------
# What the hooks and the metadata say


def protected_doctypes() -> list[str]:
	hooks = frappe.get_hooks
	return sorted(
		{
			*hooks("crm_owner_fields", {}),
			*hooks("crm_linked_doctypes", {}),
			*hooks("crm_people_doctypes", {}),
			*hooks("crm_published_doctypes", {}),
			*hooks("crm_service_doctypes", {}),
		}
	)


def child_doctypes() -> dict[str, str]:
	"""{child DocType: its first parent}"""
	return {child: parents[0] for child, parents in frappe.get_hooks("crm_child_doctypes", {}).items()}


def side_tables() -> dict[str, tuple[str, str]]:
	"""{DocType: (DocType field, name field)} for every table of Frappe's that names records of any DocType."""
	from crm_app.permissions import reference_fields

	tables = {}
	candidates = {*frappe.get_all("DocField", {"fieldtype": "Dynamic Link"}, pluck="parent")}
	candidates |= set(frappe.get_hooks("crm_reference_fields", {}))
	for doctype in sorted(candidates):
		if not frappe.db.exists("DocType", doctype) or frappe.get_meta(doctype).istable:
			continue
		if frappe.get_meta(doctype).issingle or frappe.get_meta(doctype).is_virtual:
			continue
		for name_field, doctype_field in reference_fields(doctype).items():
			tables[doctype] = (doctype_field, name_field)
	return tables


def app_methods() -> dict[str, object]:
	"""The app's whitelisted methods that need a login; a guest's (the inquiry form) can name no record."""
	import crm_app.api

	for module in pkgutil.iter_modules(crm_app.api.__path__):
		__import__(f"crm_app.api.{module.name}")
	return {
		f"{fn.__module__}.{fn.__name__}": fn
		for fn in frappe.whitelisted
		if fn.__module__.startswith("crm_app.api.") and fn not in frappe.guest_methods
	}


def every_whitelisted_method() -> set[str]:
	"""Every whitelisted function of Frappe and the app, found by importing every module that defines one."""
	for app in ("frappe", "crm_app"):
		root = Path(frappe.get_app_path(app))
		for path in root.rglob("*.py"):
			if "test" in path.name or "/tests/" in str(path) or "/patches/" in str(path):
				continue
			text = path.read_text(errors="ignore")
			if "whitelist(" not in text:
				continue
			module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
			try:
				__import__(module)
			except Exception:
				continue
	return {f"{fn.__module__}.{fn.__name__}" for fn in frappe.whitelisted}


# --------------------------------------------------------------------------------------------------------------
# Two books of records, one per team, each with every kind of record and every kind of side row


def ok(response, what=""):
	assert response.status_code == 200, f"{what}: {messages(response) if response.content else response}"
	body = response.json()
	return body.get("data", body.get("message"))


def build_book(users, team: str) -> dict[str, list[str]]:
	owner, manager = users[OWNERS[team]], users[MANAGERS[team]]
	admin = users["admin"]
	book: dict[str, list[str]] = {}

	def add(doctype, name):
		book.setdefault(doctype, []).append(name)
		return name

	name = unique_name(f"矩阵{team}")
	customer = ok(
		owner.insert(
			"CRM Customer",
			{
				"customer_name": name,
				"mobile_no": unique_mobile(),
				"contacts": [
					{
						"contact_name": f"{team}联系人",
						"mobile_no": unique_mobile(),
						"email_id": email_of("customer") if team == PORTAL_BOOK else None,
					}
				],
				"tags": [{"tag": "重点客户"}],
			},
		),
		"customer",
	)
	add("CRM Customer", customer["name"])
	if team == PORTAL_BOOK:
		contact = customer["contacts"][0]["name"]
		ok(owner.post("crm_app.api.portal.invite", customer=customer["name"], contact=contact), "invite")
	twin = ok(
		owner.insert("CRM Customer", {"customer_name": name.replace("有限公司", "有限责任公司")}), "twin"
	)
	add("CRM Customer", twin["name"])
	interaction = ok(
		owner.insert(
			"CRM Interaction",
			{"customer": customer["name"], "interaction_type": "Call", "summary": "矩阵电话"},
		),
		"interaction",
	)
	add("CRM Interaction", interaction["name"])
	add(
		"CRM Lead",
		ok(owner.insert("CRM Lead", {"lead_name": f"{team}线索", "mobile_no": unique_mobile()}))["name"],
	)
	opportunity = ok(
		owner.insert(
			"CRM Opportunity",
			{"opportunity_name": "矩阵商机", "customer": customer["name"], "stage": "初步接触"},
		),
		"opportunity",
	)
	add("CRM Opportunity", opportunity["name"])
	if not frappe.db.exists("CRM Product", "P-MATRIX"):
		ok(
			admin.insert(
				"CRM Product", {"product_code": "P-MATRIX", "product_name": "矩阵产品", "list_price": 100}
			)
		)
	quotation = ok(
		owner.insert(
			"CRM Quotation",
			{
				"customer": customer["name"],
				"opportunity": opportunity["name"],
				"items": [{"product": "P-MATRIX", "qty": 2}],
			},
		),
		"quotation",
	)
	quotation = ok(
		owner.post("frappe.model.workflow.apply_workflow", doc=quotation, action="Approve"), "approve"
	)
	add("CRM Quotation", quotation["name"])
	contract = ok(owner.post("crm_app.api.deals.make_contract", quotation=quotation["name"]), "contract")
	add("CRM Contract", contract["name"])
	order = ok(owner.post("crm_app.api.deals.make_sales_order", quotation=quotation["name"]), "order")
	plan = [{"due_date": today(), "amount": order["grand_total"], "is_deposit": 1}]
	ok(owner.update("CRM Sales Order", order["name"], {"payment_plan": plan, "docstatus": 1}), "submit order")
	add("CRM Sales Order", order["name"])
	payment = ok(owner.insert("CRM Payment", {"sales_order": order["name"], "amount": 1, "docstatus": 1}))
	add("CRM Payment", payment["name"])
	invoice = ok(users["finance"].post("crm_app.api.invoices.request_invoice", sales_order=order["name"]))
	add("CRM Invoice Request", invoice["name"])

	fresh()
	candidate = frappe.db.get_value(
		"CRM Duplicate Candidate", {"customer": ("in", [customer["name"], twin["name"]])}
	)
	assert candidate, "similar names make a duplicate candidate"
	add("CRM Duplicate Candidate", candidate)
	merged = create_and_merge(owner, manager)
	add("CRM Merge Log", merged)
	pool_lead = ok(admin.insert("CRM Lead", {"lead_name": f"{team}公海线索", "lead_owner": None}))["name"]
	fresh()
	frappe.db.set_value("CRM Lead", pool_lead, "lead_owner", None)
	frappe.db.commit()
	ok(owner.post("crm_app.api.pool.claim", doctype="CRM Lead", name=pool_lead), "claim")
	add("CRM Lead", pool_lead)
	fresh()
	add("CRM Pool Log", frappe.db.get_value("CRM Pool Log", {"document_name": pool_lead, "action": "Claim"}))
	handover = ok(
		manager.insert(
			"CRM Handover", {"from_user": email_of(OWNERS[team]), "to_user": email_of(MANAGERS[team])}
		),
		"handover",
	)
	add("CRM Handover", handover["name"])
	for visibility, published in (("Internal", 1), ("Public", 0)):
		article = {"title": f"矩阵文章{team}", "visibility": visibility, "published": published}
		add("CRM Knowledge Article", ok(admin.insert("CRM Knowledge Article", article), "article")["name"])
	ticket = {
		"subject": f"{team}矩阵工单",
		"customer": customer["name"],
		"service_team": SERVICE_TEAMS[team][0],
	}
	add("CRM Ticket", ok(admin.insert("CRM Ticket", ticket), "ticket")["name"])

	side_rows(owner, manager, customer["name"], opportunity["name"], quotation["name"])
	return book


def create_and_merge(owner, manager) -> str:
	first = ok(owner.insert("CRM Customer", {"customer_name": unique_name("并入")}))["name"]
	second = ok(owner.insert("CRM Customer", {"customer_name": unique_name("被并")}))["name"]
	return ok(manager.post("crm_app.api.customers.merge", duplicate=second, survivor=first), "merge")


def side_rows(owner, manager, customer: str, opportunity: str, quotation: str) -> None:
	"""Comments, versions, files, assignments, follows, likes, tags, shares, e-mails and access logs about the
	owner's records, made as the owner makes them in the desk."""
	for doctype, name in (("CRM Customer", customer), ("CRM Opportunity", opportunity)):
		ok(
			owner.post(
				"frappe.desk.form.utils.add_comment",
				reference_doctype=doctype,
				reference_name=name,
				content="矩阵备注",
				comment_email=owner.user,
				comment_by=owner.user,
			),
			"comment",
		)
		ok(owner.post("frappe.desk.form.assign_to.add", doctype=doctype, name=name, assign_to=[owner.user]))
		ok(
			owner.post(
				"frappe.desk.form.document_follow.update_follow", doctype=doctype, doc_name=name, following=1
			)
		)
		ok(owner.post("frappe.desk.like.toggle_like", doctype=doctype, name=name, add="Yes"), "like")
		ok(owner.post("frappe.desk.doctype.tag.tag.add_tag", tag="矩阵标签", dt=doctype, dn=name), "tag")
		ok(owner.post("frappe.share.add", doctype=doctype, name=name, user=manager.user, read=1), "share")
		upload = owner.request(
			"POST",
			"/api/method/upload_file",
			files={"file": ("合同扫描件.txt", "矩阵附件".encode(), "text/plain")},
			data={"doctype": doctype, "docname": name, "is_private": 1},
		)
		ok(upload, "attachment")
		ok(
			owner.post(
				"frappe.core.doctype.communication.email.make",
				doctype=doctype,
				name=name,
				content="矩阵邮件",
				subject="矩阵邮件",
				recipients="buyer@example.cn",
				send_email=0,
			),
			"communication",
		)
	ok(owner.update("CRM Customer", customer, {"remarks": "矩阵修改"}), "version")
	pdf = owner.request(
		"GET",
		"/api/method/frappe.utils.print_format.download_pdf",
		params={"doctype": "CRM Quotation", "name": quotation, "format": "CRM Quotation CN"},
	)
	assert pdf.status_code == 200, pdf.text[:500]


@pytest.fixture(scope="module")
def books(users, worker):
	built = {team: build_book(users, team) for team in OWNERS}
	settle()
	return built


@pytest.fixture(scope="module")
def records(books) -> list[tuple[str, str]]:
	"""(DocType, name) of every record of both books, their child rows and every side row about them."""
	fresh()
	found = [(doctype, name) for book in books.values() for doctype, names in book.items() for name in names]
	parents = {name for _doctype, name in found}
	for child, _parent in child_doctypes().items():
		for row in frappe.get_all(child, filters={"parent": ("in", list(parents))}, pluck="name"):
			found.append((child, row))
	for table, (_doctype_field, name_field) in side_tables().items():
		for row in frappe.get_all(table, filters={name_field: ("in", list(parents))}, pluck="name"):
			found.append((table, row))
	KNOWN.update(name for _doctype, name in found)
	return found


def portal_customers_of(who: str) -> list[str]:
	return frappe.get_all(
		"CRM Customer Contact",
		filters={"portal_user": email_of(who), "parenttype": "CRM Customer"},
		pluck="parent",
	)


def portal_routes() -> dict[str, str]:
	"""{DocType: the route of its portal pages} of the DocTypes customers read in the portal."""
	return {doctype: page["route"][-1] for doctype, page in frappe.get_hooks("crm_portal_doctypes").items()}


def front_door_sees(
	client: Client, doctype: str, name: str, parent: str | None, routes: dict[str, str]
) -> bool:
	"""The list as the user; for a DocType customers read in the portal, also its page there."""
	params = {"filters": json.dumps([["name", "=", name]]), "fields": json.dumps(["name"])}
	if parent:
		params["parent"] = parent
	response = client.request("GET", f"/api/resource/{doctype}", params=params)
	if response.status_code == 200 and response.json()["data"]:
		return True
	route = routes.get(doctype)
	return bool(route) and client.request("GET", f"/{route}/{quote(name)}").status_code == 200


@pytest.fixture(scope="module")
def modified_before(records) -> dict[tuple[str, str], object]:
	"""When each record was last changed, before anyone probed."""
	return {record: frappe.db.get_value(*record, "modified") for record in records}


@pytest.fixture(scope="module")
def hidden(users, records, modified_before) -> dict[str, list[tuple[str, str]]]:
	"""For each user, the records of the books their own list does not show, and the side rows about those."""
	children, tables = child_doctypes(), side_tables()
	own = [(doctype, name) for doctype, name in records if doctype not in tables]
	asks = [
		(doctype, name, frappe.db.get_value(doctype, name, "parenttype") if doctype in children else None)
		for doctype, name in own
	]
	about = {
		(table, row): frappe.db.get_value(table, row, tables[table][1])
		for table, row in records
		if table in tables
	}
	result, routes = {}, portal_routes()
	for who in PROBERS:
		client = users[who]
		with ThreadPoolExecutor(THREADS) as pool:
			seen = list(pool.map(lambda ask, client=client: front_door_sees(client, *ask, routes), asks))
		# a customer's contact knows the customer they belong to, though no page shows it
		theirs = set(portal_customers_of(who))
		result[who] = [
			record
			for record, visible in zip(own, seen, strict=True)
			if not visible and not (record[0] == "CRM Customer" and record[1] in theirs)
		]
		hidden_names = {name for _doctype, name in result[who]}
		result[who] += [row for row, subject in about.items() if subject in hidden_names]
	return result


def test_the_front_door_hides_what_the_row_rules_hide(users, books, hidden):
	"""The oracle for the rest: each user's list shows exactly their own team's book, or what their role spans."""
	for who in PROBERS:
		hidden_names = {name for _doctype, name in hidden[who]}
		roles = set(frappe.get_roles(email_of(who)))
		for team, book in books.items():
			own_team = who in (OWNERS[team], MANAGERS[team])
			for doctype in (
				"CRM Customer",
				"CRM Opportunity",
				"CRM Quotation",
				"CRM Sales Order",
				"CRM Payment",
			):
				spans_all = any(doctype in ROLES_SEEING_ALL.get(role, ()) for role in roles)
				in_portal = who == "customer" and team == PORTAL_BOOK and doctype in PORTAL_SHOWS
				theirs = portal_customers_of(who)
				for name in book[doctype]:
					assert (name not in hidden_names) == (
						own_team or spans_all or in_portal or name in theirs
					), (
						who,
						team,
						doctype,
						name,
					)
			# every desk user reads the published articles, drafts are their writers', and a Website user reads
			# none through the front door: the public ones reach them through the knowledge base's search
			internal, draft = book["CRM Knowledge Article"]
			writer = frappe.has_permission("CRM Knowledge Article", "write", user=email_of(who))
			website_user = who in ("portal", "customer")
			assert (internal in hidden_names, draft in hidden_names) == (website_user, not writer), (
				who,
				team,
			)
			# a ticket is its team's, and read by whoever sees its customer
			for ticket in book["CRM Ticket"]:
				in_portal = who == "customer" and team == PORTAL_BOOK
				assert (ticket not in hidden_names) == (
					own_team or who == SERVICE_TEAMS[team][1] or in_portal
				), (
					who,
					team,
				)


# --------------------------------------------------------------------------------------------------------------
# Probes: each asks one question about a record by its name


def missing_name(subject):
	"""A name (or names) of the same shape that no record has."""
	return [f"{name}0" for name in subject] if isinstance(subject, list) else f"{subject}0"


def normalize(response, subject, missing):
	"""Status and body with the asked-for names taken out, and nothing that differs from call to call."""
	text = response.text
	for name, absent in zip(as_list(subject), as_list(missing), strict=True):
		text = text.replace(absent, "<NAME>").replace(name, "<NAME>")
	try:
		body = json.loads(text)
	except ValueError:
		return response.status_code, text
	if isinstance(body, dict):
		for volatile in ("exc", "_exc_source", "_debug_messages"):
			body.pop(volatile, None)
		if "_server_messages" in body:
			body["_server_messages"] = [
				{k: v for k, v in json.loads(m).items() if k != "__frappe_exc_id"}
				for m in json.loads(body["_server_messages"])
			]
		for error in body.get("errors") or []:
			error.pop("__frappe_exc_id", None)
		made = body.get("message")
		if response.ok and isinstance(made, dict) and made.get("name") and made["name"] not in KNOWN:
			made["name"] = "<MADE>"
	return response.status_code, body


def as_list(subject) -> list:
	return subject if isinstance(subject, list) else [subject]


def parent_of(doctype: str) -> str | None:
	return child_doctypes().get(doctype)


def filters(field: str, subject) -> str:
	return json.dumps([[field, "in", subject] if isinstance(subject, list) else [field, "=", subject]])


def list_probes(doctype: str, field: str = "name") -> dict:
	"""Questions about the rows whose `field` is the name asked for."""
	parent = {"parent": parent_of(doctype)} if parent_of(doctype) else {}
	return {
		"list v1": lambda c, n: c.request(
			"GET", f"/api/resource/{doctype}", params={"filters": filters(field, n), **parent}
		),
		"list v2": lambda c, n: c.request(
			"GET", f"/api/v2/document/{doctype}", params={"filters": filters(field, n), **parent}
		),
		"get_list": lambda c, n: c.get(
			"frappe.client.get_list", doctype=doctype, filters=filters(field, n), **parent
		),
		"get_count": lambda c, n: c.get(
			"frappe.client.get_count", doctype=doctype, filters=filters(field, n)
		),
		"reportview count": lambda c, n: c.get(
			"frappe.desk.reportview.get_count", doctype=doctype, filters=filters(field, n)
		),
		"count v2": lambda c, n: c.request(
			"GET", f"/api/v2/doctype/{doctype}/count", params={"filters": filters(field, n)}
		),
		"report view": lambda c, n: c.get(
			"frappe.desk.reportview.get", doctype=doctype, fields='["name"]', filters=filters(field, n)
		),
		"group-by count": lambda c, n: c.get(
			"frappe.desk.listview.get_group_by_count",
			doctype=doctype,
			current_filters=filters(field, n),
			field="owner",
		),
		"export": lambda c, n: c.post(
			"frappe.desk.reportview.export_query",
			doctype=doctype,
			file_format_type="CSV",
			fields=json.dumps([f"`tab{doctype}`.`name`"]),
			filters=filters(field, n),
		),
		"get_value": lambda c, n: c.get(
			"frappe.client.get_value", doctype=doctype, fieldname="name", filters=filters(field, n), **parent
		),
	}


def name_probes(doctype: str) -> dict:
	"""Questions that name the record itself."""
	parent = {"parent": parent_of(doctype)} if parent_of(doctype) else {}
	probes = {
		"get v1": lambda c, n: c.request("GET", f"/api/resource/{doctype}/{n}"),
		"get v2": lambda c, n: c.request("GET", f"/api/v2/document/{doctype}/{n}"),
		"copy v2": lambda c, n: c.request("GET", f"/api/v2/document/{doctype}/{n}/copy"),
		"client.get": lambda c, n: c.get("frappe.client.get", doctype=doctype, name=n, **parent),
		"update v1": lambda c, n: c.request("PUT", f"/api/resource/{doctype}/{n}", json={}),
		"delete v1": lambda c, n: c.request("DELETE", f"/api/resource/{doctype}/{n}"),
		"link search": lambda c, n: c.get("frappe.desk.search.search_link", doctype=doctype, txt=n),
		"search widget": lambda c, n: c.get("frappe.desk.search.search_widget", doctype=doctype, txt=n),
		"link title": lambda c, n: c.get("frappe.desk.search.get_link_title", doctype=doctype, docname=n),
		"validate_link": lambda c, n: c.get("frappe.client.validate_link", doctype=doctype, docname=n),
	}
	if parent:
		return probes
	return (
		probes
		| {
			"getdoc": lambda c, n: c.get("frappe.desk.form.load.getdoc", doctype=doctype, name=n),
			"docinfo": lambda c, n: c.get("frappe.desk.form.load.get_docinfo", doctype=doctype, name=n),
			"open count": lambda c, n: c.get(
				"frappe.desk.notifications.get_open_count", doctype=doctype, name=n
			),
			"linked with": lambda c, n: c.get("frappe.desk.form.linked_with.get", doctype=doctype, docname=n),
			"link preview": lambda c, n: c.get(
				"frappe.desk.link_preview.get_preview_data", doctype=doctype, docname=n
			),
			"communications": lambda c, n: c.get(
				"frappe.desk.form.load.get_communications", doctype=doctype, name=n
			),
			"shared with": lambda c, n: c.get("frappe.share.get_users", doctype=doctype, name=n),
			"print": lambda c, n: c.get("frappe.www.printview.get_html_and_style", doc=doctype, name=n),
			"pdf": lambda c, n: c.get("frappe.utils.print_format.download_pdf", doctype=doctype, name=n),
			"printview page": lambda c, n: c.request(
				"GET", "/printview", params={"doctype": doctype, "name": n}
			),
			"set_value": lambda c, n: c.post(
				"frappe.client.set_value", doctype=doctype, name=n, fieldname="modified_by", value=c.user
			),
			"client.delete": lambda c, n: c.post("frappe.client.delete", doctype=doctype, name=n),
			"like": lambda c, n: c.post("frappe.desk.like.toggle_like", doctype=doctype, name=n, add="Yes"),
			"follow": lambda c, n: c.post(
				"frappe.desk.form.document_follow.update_follow", doctype=doctype, doc_name=n, following=1
			),
			"assign": lambda c, n: c.post(
				"frappe.desk.form.assign_to.add", doctype=doctype, name=n, assign_to=[c.user]
			),
			"share": lambda c, n: c.post("frappe.share.add", doctype=doctype, name=n, user=c.user, read=1),
			"tag": lambda c, n: c.post("frappe.desk.doctype.tag.tag.add_tag", tag="偷看", dt=doctype, dn=n),
			"comment": lambda c, n: c.post(
				"frappe.desk.form.utils.add_comment",
				reference_doctype=doctype,
				reference_name=n,
				content="偷看",
				comment_email=c.user,
				comment_by=c.user,
			),
			"e-mail": lambda c, n: c.post(
				"frappe.core.doctype.communication.email.make",
				doctype=doctype,
				name=n,
				content="偷看",
				subject="偷看",
				recipients="x@example.cn",
				send_email=0,
			),
			"attach": lambda c, n: c.request(
				"POST",
				"/api/method/upload_file",
				files={"file": ("x.txt", b"x", "text/plain")},
				data={"doctype": doctype, "docname": n, "is_private": 1},
			),
			"through cmd": lambda c, n: c.post("ping", cmd="frappe.client.get", doctype=doctype, name=n),
			"get by filters": lambda c, n: c.get(
				"frappe.client.get", doctype=doctype, filters=json.dumps({"name": n})
			),
			"next record": lambda c, n: c.get(
				"frappe.desk.form.utils.get_next", doctype=doctype, value=n, prev=0
			),
			"assigned-to count": lambda c, n: c.get(
				"frappe.desk.listview.get_group_by_count",
				doctype=doctype,
				current_filters=json.dumps({"name": n}),
				field="assigned_to",
			),
			"nested assign": lambda c, n: c.post(
				"frappe.desk.form.assign_to.add",
				args=json.dumps({"doctype": doctype, "name": n, "assign_to": [c.user]}),
			),
			"ToDo about it": lambda c, n: c.post(
				"frappe.client.insert",
				doc={
					"doctype": "ToDo",
					"reference_type": doctype,
					"reference_name": n,
					"description": "偷看",
				},
			),
			"Comment about it": lambda c, n: c.insert(
				"Comment",
				{
					"comment_type": "Comment",
					"reference_doctype": doctype,
					"reference_name": n,
					"content": "偷看",
				},
			),
		}
		| unsaved_probes(doctype)
	)


def unsaved_probes(doctype: str) -> dict:
	"""An unsaved record that links to this one, printed as a preview: its print format may read the linked
	record."""
	probes = {}
	for linker in sorted(
		frappe.get_all("DocField", {"fieldtype": "Link", "options": doctype}, pluck="parent")
	):
		if linker.startswith("CRM ") and not frappe.get_meta(linker).istable:
			field = next(
				df.fieldname for df in frappe.get_meta(linker).get_link_fields() if df.options == doctype
			)
			formats = frappe.get_all("Print Format", {"doc_type": linker}, pluck="name") or [None]
			probes[f"unsaved {linker} printed"] = lambda c, n, linker=linker, field=field, fmt=formats[0]: (
				c.post(
					"frappe.www.printview.get_html_and_style",
					doc=json.dumps({"doctype": linker, "__islocal": 1, field: n}),
					print_format=fmt,
				)
			)
	return probes


def compare(client, probes: dict, subject, kind: str, missing_answers: dict) -> list[str]:
	"""Ask every probe about `subject` (a name, or names); list where the answer differs from the one about
	names that do not exist."""
	leaks = []
	for probe, ask in probes.items():
		answer = normalize(ask(client, subject), subject, missing_name(subject))
		expected = missing_answers[(kind, probe)]
		TALLY.probes[probe] += 1
		if answer != expected or answer[0] >= 500:
			leaks.append(f"{client.user} {probe} {kind} {subject}: {answer!s:.300} != {expected!s:.300}")
	return leaks


def probe_all(client, jobs) -> list[str]:
	"""jobs: (probes, subject, kind). What a missing record gets is asked first, once per kind and probe."""

	def ask_missing(job):
		probes, subject, kind = job
		missing = missing_name(subject)
		return {
			(kind, probe): normalize(ask(client, missing), missing, missing) for probe, ask in probes.items()
		}

	with ThreadPoolExecutor(THREADS) as pool:
		missing_answers = {
			key: answer for answers in pool.map(ask_missing, jobs) for key, answer in answers.items()
		}
		results = pool.map(lambda job: compare(client, *job, missing_answers), jobs)
		leaks = [leak for result in results for leak in result]
	TALLY.leaks.extend(leaks)
	return leaks


BY_NAME_ONLY = ("get v1", "get v2", "client.get", "update v1", "delete v1")


def record_jobs(records: list[tuple[str, str]]) -> list:
	"""Per DocType: every question by name about one of its hidden records (the row rules are the same for
	all of them), and every list question about all of them at once. Child rows and side rows are asked about
	by name and by list; the form's own questions (docinfo, like, follow…) are for documents."""
	by_doctype: dict[str, list[str]] = {}
	for doctype, name in records:
		by_doctype.setdefault(doctype, []).append(name)
	tables = side_tables()
	jobs = []
	for doctype, names in by_doctype.items():
		probes = name_probes(doctype)
		if doctype in tables:
			probes = {probe: ask for probe, ask in probes.items() if probe in BY_NAME_ONLY}
		jobs.append((probes, names[0], doctype))
		jobs.append((list_probes(doctype), names, f"{doctype} list"))
	return jobs


def reference_jobs(records: list[tuple[str, str]]) -> list:
	"""Every side table, listed and counted by the names of all the hidden records it could be about."""
	names = [name for doctype, name in records if doctype in protected_doctypes()]
	jobs = []
	for table, (_doctype_field, name_field) in side_tables().items():
		probes = {
			k: v
			for k, v in list_probes(table, name_field).items()
			if k in ("list v1", "get_count", "report view")
		}
		jobs.append((probes, names, f"{table} about"))
	return jobs


@pytest.mark.parametrize("who", PROBERS)
def test_hidden_records_answer_as_missing_ones_everywhere(users, hidden, who):
	assert hidden[who], f"{who} can see every record of both books: the books are wrong"
	leaks = probe_all(users[who], record_jobs(hidden[who]) + reference_jobs(hidden[who]))
	assert not leaks, f"{len(leaks)} leak(s):\n" + "\n".join(leaks[:40])


@pytest.mark.parametrize("who", PROBERS)
def test_asking_about_hidden_records_changes_nothing(users, hidden, modified_before, who):
	"""After the probes above (likes, follows, shares, tags, comments, assignments, e-mails, attachments, edits
	and deletions among them), nothing about a hidden record was written by the prober."""
	fresh()
	names = [name for _doctype, name in hidden[who]]
	user = email_of(who)
	written = {
		"Comment": frappe.db.count("Comment", {"reference_name": ("in", names), "owner": user}),
		"ToDo": frappe.db.count("ToDo", {"reference_name": ("in", names), "allocated_to": user}),
		"DocShare": frappe.db.count("DocShare", {"share_name": ("in", names), "user": user}),
		"Document Follow": frappe.db.count("Document Follow", {"ref_docname": ("in", names), "user": user}),
		"Tag Link": frappe.db.count("Tag Link", {"document_name": ("in", names), "owner": user}),
		"File": frappe.db.count("File", {"attached_to_name": ("in", names), "owner": user}),
		"Communication": frappe.db.count("Communication", {"reference_name": ("in", names), "owner": user}),
	}
	for doctype, name in hidden[who]:
		modified = frappe.db.get_value(doctype, name, "modified")
		if modified != modified_before[(doctype, name)]:
			written[f"{'deleted' if modified is None else 'modified'} {doctype} {name}"] = 1
		if (
			user in (frappe.db.get_value(doctype, name, "_liked_by") or "")
			if not child_doctypes().get(doctype)
			else False
		):
			written[f"liked {doctype}"] = 1
	assert not {kind: count for kind, count in written.items() if count}


# --------------------------------------------------------------------------------------------------------------
# The app's own methods, and the methods outside the allowlist


def call(client, method: str, fn, args: dict):
	allowed = frappe.allowed_http_methods_for_whitelisted_func.get(fn) or ["GET", "POST"]
	if "GET" in allowed:
		return client.get(method, **args)
	return client.post(method, **args)


@pytest.mark.parametrize("who", PROBERS)
def test_app_methods_answer_hidden_records_as_missing_ones(users, hidden, who):
	"""Every argument of every whitelisted method under crm_app.api, given each hidden record's name."""
	client, leaks = users[who], []
	by_doctype = {}
	for doctype, name in hidden[who]:
		if doctype in protected_doctypes():
			by_doctype.setdefault(doctype, name)
	for method, fn in app_methods().items():
		params = [p for p in inspect.signature(fn).parameters.values() if p.name not in ("self",)]
		for param in params:
			if param.name in ("doctype",):
				continue
			for doctype, name in by_doctype.items():
				base = {p.name: "矩阵不存在" for p in params if p.default is inspect.Parameter.empty}
				if "doctype" in base:
					base["doctype"] = doctype
				missing = missing_name(name)
				TALLY.probes[f"app method {method}"] += 1
				answer = normalize(call(client, method, fn, {**base, param.name: name}), name, missing)
				absent = normalize(call(client, method, fn, {**base, param.name: missing}), missing, missing)
				if answer != absent or answer[0] >= 500:
					leaks.append(f"{who} {method}({param.name}={doctype} {name}): {answer} != {absent}")
	TALLY.leaks.extend(leaks)
	assert not leaks, "\n".join(leaks[:40])


@pytest.mark.parametrize("who", ["sales_a", "warehouse", "portal"])
def test_methods_outside_the_allowlist_are_closed(users, who):
	"""Users whose roles are all CRM roles, and Website users, reach no whitelisted method the app does not list."""
	from crm_app.perimeter import allowed_methods

	allowed = allowed_methods(email_of(who))
	closed = sorted(every_whitelisted_method() - allowed)
	assert len(closed) > 300, "the method census found too few methods"

	client = users[who]
	# each closed method, called directly, as a `cmd` on another route, and named by an allowed method that
	# runs the method it is given (a search's query, an upload's follow-up)
	ways = {
		"direct": lambda method: client.post(method),
		"cmd": lambda method: client.post("ping", cmd=method),
		"search query": lambda method: client.post(
			"frappe.desk.search.search_widget", doctype="User", txt="", query=method
		),
		"upload method": lambda method: client.request(
			"POST",
			"/api/method/upload_file",
			files={"file": ("x.txt", b"x", "text/plain")},
			data={"is_private": 1, "method": method},
		),
	}

	def ask(case):
		way, method = case
		response = ways[way](method)
		return f"{way} {method}", response.status_code, messages(response) if response.content else ""

	cases = [("direct", m) for m in closed] + [("cmd", m) for m in closed]
	cases += [(way, m) for way in ("search query", "upload method") for m in closed[::10]]
	with ThreadPoolExecutor(THREADS) as pool:
		answers = list(pool.map(ask, cases))
	TALLY.probes["closed method"] += len(answers)
	opened = [f"{method}: {status} {text[:80]}" for method, status, text in answers if status != 403]
	TALLY.leaks.extend(opened)
	assert not opened, f"{len(opened)} method(s) answered:\n" + "\n".join(opened[:40])
