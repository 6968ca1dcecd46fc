"""The role matrix: every kind of user × every DocType of the app × every verb, as the DocTypes' role permissions
declare them. A user whose roles give no right to read a DocType is refused by every list, count and read
endpoint and learns no number; one without the right to create, change or delete is refused that verb, and
nothing is saved. The DocTypes come from the metadata and the users' rights from Frappe's own reading of the role
rows, so a new DocType is probed the day it is added. The row rules within those rights are
test_access_matrix.py's."""

import json
from concurrent.futures import ThreadPoolExecutor

import frappe
import pytest
from frappe.permissions import get_role_permissions

from crm_app.perimeter import allowed_methods
from tests.integration.client import Client
from tests.integration.conftest import SITE, email_of, fresh, settle

# one user of each set of roles in conftest.USERS, and a visitor who is not logged in
PROBERS = (
	"admin",
	"east_manager",
	"sales_a",
	"warehouse",
	"finance",
	"agent_east",
	"service_manager",
	"outsider",
	"portal",
	"customer",
	"guest",
)
REFUSED = (403, 404)
THREADS = 8


def app_doctypes() -> list[str]:
	modules = frappe.get_all("Module Def", {"app_name": "crm_app"}, pluck="name")
	return frappe.get_all(
		"DocType",
		filters={"module": ("in", modules), "istable": 0, "issingle": 0, "is_virtual": 0},
		pluck="name",
		order_by="name",
	)


def user_of(who: str) -> str:
	return "Guest" if who == "guest" else email_of(who)


def rights(doctype: str, who: str, owner: str | None) -> dict:
	"""The user's rights on the DocType, and on its record made by `owner`: a right given only to a record's
	maker (`if_owner`) counts for them alone."""
	allowed = get_role_permissions(
		frappe.get_meta(doctype), user=user_of(who), is_owner=owner == user_of(who)
	)
	return {**allowed, **{ptype: 1 for ptype, granted in allowed.get("if_owner", {}).items() if granted}}


@pytest.fixture(scope="module")
def clients(users, base_url) -> dict[str, Client]:
	return {
		**{who: users[who] for who in PROBERS if who != "guest"},
		"guest": Client(base_url, SITE, "Guest"),
	}


@pytest.fixture(scope="module")
def matrix() -> dict[str, tuple[str | None, list[tuple[str, dict, set | None]]]]:
	"""{DocType: (a record of it if there is one, [(who, their rights, the methods open to them or None)])}"""
	fresh()
	methods = {who: allowed_methods(user_of(who)) for who in PROBERS}
	found = {}
	for doctype in app_doctypes():
		record = next(iter(frappe.get_all(doctype, ["name", "owner"], limit=1, order_by="creation")), None)
		owner = record.owner if record else None
		found[doctype] = (
			record.name if record else None,
			[(who, rights(doctype, who, owner), methods[who]) for who in PROBERS],
		)
	return found


def probe(client: Client, doctype: str, allowed: dict, methods: set | None, record: str | None) -> list[str]:
	"""What went wrong for this user and DocType: each a line saying which verb answered what."""
	wrong = []

	def expect(refused: bool, label: str, response) -> None:
		if not refused:
			if response.status_code != 200:
				wrong.append(f"{label} answered {response.status_code} to a user with the right")
			return
		if response.status_code not in REFUSED:
			wrong.append(f"{label} answered {response.status_code}: {response.text[:160]}")
			return
		body = response.json() if "json" in response.headers.get("Content-Type", "") else {}
		if "data" in body or isinstance(body.get("message"), int | list):
			wrong.append(f"{label} refused but still told {response.text[:160]}")

	can_list = bool(allowed.get("read") or allowed.get("select"))
	expect(not can_list, "the list", client.request("GET", f"/api/resource/{doctype}", params={"limit": 1}))
	for method, arguments in (
		("frappe.client.get_count", {"doctype": doctype}),
		("frappe.desk.reportview.get_count", {"doctype": doctype}),
		("frappe.desk.reportview.get", {"doctype": doctype, "fields": json.dumps(["name"])}),
		("frappe.client.get_list", {"doctype": doctype, "limit_page_length": 1}),
	):
		# the perimeter closes the methods a desk or portal user's list leaves out, whatever their rights
		open_to_them = methods is None or method in methods
		expect(not (can_list and open_to_them), method, client.post(method, **arguments))
	if record and not allowed.get("read"):
		expect(True, "reading a record", client.get_doc(doctype, record))
		expect(True, "frappe.client.get", client.post("frappe.client.get", doctype=doctype, name=record))
	if not allowed.get("create"):
		expect(True, "creating", client.insert(doctype, {}))
	if record and not allowed.get("write"):
		expect(True, "changing", client.update(doctype, record, {}))
	if record and not allowed.get("delete"):
		expect(True, "deleting", client.delete(doctype, record))
	return wrong


def test_every_doctype_answers_each_kind_of_user_as_its_roles_say(clients, matrix):
	settle()  # what earlier tests left to the worker changes nothing while the records are compared
	fresh()
	before = {doctype: frappe.db.count(doctype) for doctype in matrix}
	modified = {
		doctype: frappe.db.get_value(doctype, record, "modified")
		for doctype, (record, _rows) in matrix.items()
	}

	def probe_doctype(doctype: str) -> list[str]:
		# one user after another on each record: Frappe locks a record before it checks a deletion's rights, so
		# two refused deletions of one record at once would meet on its lock rather than on the rules
		record, rows = matrix[doctype]
		return [
			f"{who} × {doctype}: {line}"
			for who, allowed, methods in rows
			for line in probe(clients[who], doctype, allowed, methods, record)
		]

	with ThreadPoolExecutor(THREADS) as pool:
		wrong = [line for lines in pool.map(probe_doctype, matrix) for line in lines]
	assert not wrong, "\n".join(wrong)

	fresh()
	assert {doctype: frappe.db.count(doctype) for doctype in matrix} == before, "a refused verb saved nothing"
	assert {
		doctype: frappe.db.get_value(doctype, record, "modified")
		for doctype, (record, _rows) in matrix.items()
	} == modified
