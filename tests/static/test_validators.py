"""Each validator of checks.py passes a sound definition and fails the same definition once it is broken.

These keep the metadata checks honest: a check that cannot fail would pass a broken app too.
"""

import copy
import json
from pathlib import Path

import pytest

from tests.static import checks
from tests.static.checks import DocTypeMeta

ROLES = {"CRM Sales User", "CRM Sales Manager", "System Manager", "All", "Guest"}


def field(fieldname, fieldtype="Data", **props):
	return {"fieldname": fieldname, "fieldtype": fieldtype, "label": fieldname.title(), **props}


def perm(role, **rights):
	return {"role": role, "permlevel": 0, "read": 1, "write": 1, "create": 1, **rights}


def make_doctype(name="CRM Thing", fields=None, **props) -> DocTypeMeta:
	fields = [field("title", reqd=1)] if fields is None else fields
	data = {
		"doctype": "DocType",
		"name": name,
		"module": "Customers",
		"autoname": "hash",
		"fields": fields,
		"field_order": [f["fieldname"] for f in fields],
		"permissions": [] if props.get("istable") else [perm("CRM Sales User")],
		**props,
	}
	return DocTypeMeta(Path(f"{checks.scrub(name)}.json"), data)


def broken(dt: DocTypeMeta, change) -> DocTypeMeta:
	data = copy.deepcopy(dt.data)
	change(data)
	return DocTypeMeta(dt.path, data)


def fails(problems: list[str], *words: str) -> bool:
	"""Some problem mentions all of `words`."""
	return any(all(word in problem for word in words) for problem in problems)


# 1. Files and folders


def write_app(root, name="CRM Thing", module="Customers", istable=0, files=None):
	app = root / "crm_app"
	folder = app / checks.scrub(module) / "doctype" / checks.scrub(name)
	folder.mkdir(parents=True)
	(app / "modules.txt").write_text(f"{module}\n")
	(app / checks.scrub(module) / "__init__.py").write_text("")
	data = {"doctype": "DocType", "name": name, "module": module, "istable": istable}
	(folder / f"{checks.scrub(name)}.json").write_text(json.dumps(data))
	stem = checks.scrub(name)
	for filename in files if files is not None else [f"{stem}.py", f"{stem}.js", f"test_{stem}.py"]:
		(folder / filename).write_text("")
	return app, folder


def test_doctype_files_validator_passes_a_sound_app(tmp_path):
	app, _ = write_app(tmp_path)
	assert checks.check_doctype_files(app) == []
	assert checks.check_module_folders(app) == []


def test_doctype_files_validator_fails_a_name_that_is_not_its_folder(tmp_path):
	app, folder = write_app(tmp_path)
	path = folder / "crm_thing.json"
	path.write_text(json.dumps({**json.loads(path.read_text()), "name": "CRM Thingy"}))
	assert fails(checks.check_doctype_files(app), "CRM Thingy", "folder")


def test_doctype_files_validator_fails_an_unlisted_module_and_a_wrong_module_folder(tmp_path):
	app, folder = write_app(tmp_path)
	path = folder / "crm_thing.json"
	path.write_text(json.dumps({**json.loads(path.read_text()), "module": "Teams"}))
	problems = checks.check_doctype_files(app)
	assert fails(problems, "'Teams'", "modules.txt")
	assert fails(problems, "teams/", "customers/")


def test_doctype_files_validator_fails_missing_files(tmp_path):
	app, _ = write_app(tmp_path, files=["crm_thing.py"])
	problems = checks.check_doctype_files(app)
	assert fails(problems, "crm_thing.js")
	assert fails(problems, "test_crm_thing.py")
	app, _ = write_app(tmp_path / "child", istable=1, files=[])
	assert fails(checks.check_doctype_files(app), "crm_thing.py")


def test_doctype_files_validator_asks_only_a_controller_of_child_tables(tmp_path):
	app, _ = write_app(tmp_path, istable=1, files=["crm_thing.py"])
	assert checks.check_doctype_files(app) == []


def test_doctype_files_validator_fails_json_that_does_not_load(tmp_path):
	app, folder = write_app(tmp_path)
	(folder / "crm_thing.json").write_text('{"name": "CRM Thing",')
	assert fails(checks.check_doctype_files(app), "does not load")


def test_module_folder_validator_fails_a_module_without_package(tmp_path):
	app, _ = write_app(tmp_path)
	(app / "modules.txt").write_text("Customers\nSales Pipeline\n")
	assert fails(checks.check_module_folders(app), "sales_pipeline/__init__.py")


# 2. Fields


def test_fields_validator():
	dt = make_doctype(fields=[field("title"), field("amount", "Currency"), field("notes", "Small Text")])
	assert checks.check_fields(dt) == []
	assert fails(checks.check_fields(broken(dt, lambda d: d["field_order"].reverse())), "field_order")
	assert fails(checks.check_fields(broken(dt, lambda d: d["field_order"].pop())), "missing", "notes")
	assert fails(checks.check_fields(broken(dt, lambda d: d["fields"][1].update(fieldname="title"))), "title")
	assert fails(checks.check_fields(broken(dt, lambda d: d["fields"][1].update(fieldtype="Money"))), "Money")
	assert fails(
		checks.check_fields(broken(dt, lambda d: d["fields"][2].update(fieldname="owner"))), "reserved"
	)
	assert fails(checks.check_fields(broken(dt, lambda d: d["fields"][2].update(fieldname="a-b"))), "a-b")


def test_field_properties_validator():
	dt = make_doctype(
		fields=[
			field("status", "Select", options="Open\nClosed", default="Open"),
			field("document_type", "Link", options="DocType"),
			field("document_name", "Dynamic Link", options="document_type"),
			field("customer", "Link", options="CRM Customer"),
			field("customer_name", "Data", fetch_from="customer.customer_name"),
		]
	)
	assert checks.check_field_properties(dt) == []
	for index, change, word in [
		(0, {"default": "Pending"}, "Pending"),
		(2, {"options": "customer"}, "Dynamic Link"),
		(4, {"fetch_from": "customer_name.x"}, "fetch_from"),
		(4, {"unique": 1, "fieldtype": "Small Text"}, "unique"),
	]:
		bad = broken(dt, lambda d, index=index, change=change: d["fields"][index].update(change))
		assert fails(checks.check_field_properties(bad), word)


def test_fetch_from_target_validator():
	customer = make_doctype("CRM Customer", fields=[field("customer_name")])
	dt = make_doctype(
		fields=[
			field("customer", "Link", options="CRM Customer"),
			field("name_", fetch_from="customer.customer_name"),
		]
	)
	doctypes = {"CRM Customer": customer, dt.name: dt}
	assert checks.check_fetch_from_targets(dt, doctypes) == []
	bad = broken(dt, lambda d: d["fields"][1].update(fetch_from="customer.company"))
	assert fails(checks.check_fetch_from_targets(bad, doctypes), "company")


# 3. Links and tables


def test_link_options_validator():
	child = make_doctype(
		"CRM Thing Item", fields=[field("product", "Link", options="CRM Product")], istable=1
	)
	product = make_doctype("CRM Product")
	dt = make_doctype(
		fields=[
			field("owner_user", "Link", options="User"),
			field("product", "Link", options="CRM Product"),
			field("items", "Table", options="CRM Thing Item"),
			field("tags", "Table MultiSelect", options="CRM Thing Item"),
		]
	)
	doctypes = {d.name: d for d in (child, product, dt)}
	frappe_names, frappe_children = {"User"}, {"Has Role"}

	def problems(d):
		return checks.check_link_options(d, doctypes, frappe_names, frappe_children)

	assert problems(dt) == [] and problems(child) == []
	assert fails(problems(broken(dt, lambda d: d["fields"][0].update(options="Users"))), "Users")
	assert fails(problems(broken(dt, lambda d: d["fields"][0].update(options=""))), "without options")
	assert fails(problems(broken(dt, lambda d: d["fields"][0].update(options="Has Role"))), "child table")
	assert fails(
		problems(broken(dt, lambda d: d["fields"][1].update(options="CRM Thing Item"))), "child table"
	)
	assert fails(problems(broken(dt, lambda d: d["fields"][2].update(options="CRM Product"))), "not a child")
	assert fails(problems(broken(dt, lambda d: d["fields"][2].update(options="Has Role"))), "not a DocType")
	no_link_child = broken(child, lambda d: d["fields"][0].update(fieldtype="Data", options=None))
	doctypes[child.name] = no_link_child
	assert fails(problems(dt), "no Link field")
	nested = broken(child, lambda d: d["fields"].append(field("sub", "Table", options="CRM Thing Item")))
	assert fails(problems(nested), "nesting")


# 4. Permissions


def test_permission_roles_validator():
	dt = make_doctype()
	assert checks.check_permission_roles(dt, ROLES) == []
	for role in ("All", "Guest"):
		bad = broken(dt, lambda d, role=role: d["permissions"].append(perm(role)))
		assert fails(checks.check_permission_roles(bad, ROLES), role, "everyone")
	bad = broken(dt, lambda d: d["permissions"].append(perm("CRM Sales Usr")))
	assert fails(checks.check_permission_roles(bad, ROLES), "unknown role")
	assert fails(
		checks.check_permission_roles(broken(dt, lambda d: d.update(permissions=[])), ROLES), "no permission"
	)
	child = make_doctype(istable=1)
	assert checks.check_permission_roles(child, ROLES) == []
	bad_child = broken(child, lambda d: d.update(permissions=[perm("CRM Sales User")]))
	assert fails(checks.check_permission_roles(bad_child, ROLES), "child table")


def test_permission_rows_validator():
	dt = make_doctype(is_submittable=1)
	assert checks.check_permission_rows(dt) == []
	for change, word in [
		(lambda d: d["permissions"].append(perm("CRM Sales User")), "more than one row"),
		(lambda d: d["permissions"].append(perm("CRM Sales Manager", permlevel=1)), "level 0"),
		(lambda d: d["permissions"][0].update(cancel=1), "Cancel without Submit"),
		(lambda d: d["permissions"][0].update(submit=1, write=0), "without Write"),
		(lambda d: d.update(is_submittable=0) or d["permissions"][0].update(submit=1), "not submittable"),
		(lambda d: d["permissions"][0].update({"import": 1}), "allow_import"),
		(lambda d: d["permissions"][0].update(read=0, write=0, create=0), "no basic right"),
	]:
		assert fails(checks.check_permission_rows(broken(dt, change)), word)


# 5. Naming


@pytest.mark.parametrize(
	"autoname",
	["hash", "Prompt", "autoincrement", "field:title", "format:TH-{YYYY}-{#####}", "TH-.YYYY.-.#####"],
)
def test_naming_validator_accepts(autoname):
	dt = make_doctype(fields=[field("title", reqd=1, unique=1)], autoname=autoname)
	assert checks.check_naming(dt) == []


@pytest.mark.parametrize(
	"autoname, word",
	[
		("random", "not a naming rule"),
		("field:code", "no field"),
		("field:notes", "unique and mandatory"),
		("format:TH-{YYYY}-{seq}", "{seq}"),
		("format:TH-", "placeholders"),
		("TH-####", "'.'"),
		("TH-.YYYY.-.##x#", "run of '#'"),
		("TH-.YYYY.-.#####!", "characters"),
		("naming_series:", "no naming_series field"),
		("", "no autoname"),
	],
)
def test_naming_validator_rejects(autoname, word):
	dt = make_doctype(fields=[field("title", reqd=1, unique=1), field("notes")], autoname=autoname)
	assert fails(checks.check_naming(dt), word)


def test_naming_series_validator():
	series = field("naming_series", "Select", options="TH-.YYYY.-.#####\nTX-.#####")
	dt = make_doctype(fields=[series], autoname="naming_series:")
	assert checks.check_naming(dt) == []
	assert fails(
		checks.check_naming(broken(dt, lambda d: d["fields"][0].update(options="TH-.YYYY.-"))), "TH-.YYYY.-"
	)
	assert fails(
		checks.check_naming(broken(dt, lambda d: d["fields"][0].update(fieldtype="Data"))), "not a Select"
	)
	assert checks.check_naming(make_doctype(autoname="", istable=1)) == []


def test_amendment_validator():
	dt = make_doctype(fields=[field("amended_from", "Link", options="CRM Thing")], is_submittable=1)
	assert checks.check_amendment(dt) == []
	assert fails(
		checks.check_amendment(broken(dt, lambda d: d["fields"][0].update(options="CRM Other"))), "Link"
	)
	assert fails(checks.check_amendment(broken(dt, lambda d: d.update(fields=[]))), "no amended_from")


# 6. Workflows

WORKFLOW_DOCTYPE = make_doctype(
	"CRM Quote",
	fields=[
		field("needs_approval", "Check"),
		field("workflow_state", "Link", options="Workflow State", allow_on_submit=1),
		field("amended_from", "Link", options="CRM Quote"),
	],
	is_submittable=1,
	permissions=[
		perm("CRM Sales User", submit=1),
		perm("CRM Sales Manager", submit=1, cancel=1, amend=1),
	],
)
WORKFLOW = {
	"name": "CRM Quote Approval",
	"document_type": "CRM Quote",
	"workflow_state_field": "workflow_state",
	"states": [
		{"state": "Draft", "doc_status": "0", "allow_edit": "CRM Sales User"},
		{"state": "Pending", "doc_status": "0", "allow_edit": "CRM Sales Manager"},
		{"state": "Approved", "doc_status": "1", "allow_edit": "CRM Sales Manager"},
		{"state": "Cancelled", "doc_status": 2, "allow_edit": "CRM Sales Manager"},
	],
	"transitions": [
		{"state": "Draft", "action": "Submit", "next_state": "Pending", "allowed": "CRM Sales User"},
		{
			"state": "Draft",
			"action": "Approve",
			"next_state": "Approved",
			"allowed": "CRM Sales User",
			"condition": "not doc.needs_approval",
		},
		{"state": "Pending", "action": "Approve", "next_state": "Approved", "allowed": "CRM Sales Manager"},
		{"state": "Approved", "action": "Cancel", "next_state": "Cancelled", "allowed": "CRM Sales Manager"},
	],
}


def workflow_problems(change=None):
	definition = copy.deepcopy(WORKFLOW)
	if change:
		change(definition)
	return checks.check_workflow(definition, {WORKFLOW_DOCTYPE.name: WORKFLOW_DOCTYPE}, ROLES)


def test_workflow_validator_passes_a_sound_workflow():
	assert workflow_problems() == []


def test_workflow_validator_rejects_a_broken_workflow():
	"""One in-memory definition with many mistakes: each is reported."""

	def break_everything(w):
		w["workflow_state_field"] = "approval_state"
		w["states"][1]["doc_status"] = "3"
		w["states"][2]["allow_edit"] = "Approver"
		w["states"].append({"state": "Archived", "doc_status": "1", "allow_edit": "CRM Sales Manager"})
		w["transitions"] += [
			{"state": "Approved", "action": "Reopen", "next_state": "Draft", "allowed": "CRM Sales Manager"},
			{"state": "Draft", "action": "Drop", "next_state": "Cancelled", "allowed": "CRM Sales Manager"},
			{
				"state": "Cancelled",
				"action": "Revive",
				"next_state": "Approved",
				"allowed": "CRM Sales Manager",
			},
			{"state": "Pending", "action": "", "next_state": "Gone", "allowed": "All"},
		]

	problems = workflow_problems(break_everything)
	for words in [
		("no field 'approval_state'",),
		("'Pending'", "not 0/1/2"),
		("unknown role 'Approver'",),
		("'Archived'", "cannot be reached"),
		("'Approved' -> 'Draft'", "back into a draft"),
		("'Draft' -> 'Cancelled'", "never submitted"),
		("'Cancelled' -> 'Approved'", "leaves a cancelled state"),
		("undeclared state 'Gone'",),
		("no action",),
		("given to 'All'",),
	]:
		assert fails(problems, *words), f"not reported: {words}\n" + "\n".join(problems)


@pytest.mark.parametrize(
	"change, words",
	[
		(lambda w: w.update(name=""), ("no name",)),
		(lambda w: w.update(document_type="Quotation"), ("'Quotation'", "not a DocType")),
		(lambda w: w.update(states=[]), ("no states",)),
		(lambda w: w["states"].append(dict(w["states"][0])), ("declared twice",)),
		(lambda w: w["transitions"][3].update(allowed="CRM Sales User"), ("needs 'cancel'",)),
		(lambda w: w["transitions"][1].update(condition="doc.approved_by"), ("'approved_by'",)),
		(lambda w: w["states"].reverse(), ("first state 'Cancelled'", "doc_status 0")),
	],
)
def test_workflow_validator_rejects_each_mistake(change, words):
	problems = workflow_problems(change)
	assert fails(problems, *words), "\n".join(problems)


def test_workflow_validator_requires_a_submittable_doctype_for_submitted_states():
	plain = broken(WORKFLOW_DOCTYPE, lambda d: d.update(is_submittable=0))
	problems = checks.check_workflow(copy.deepcopy(WORKFLOW), {plain.name: plain}, ROLES)
	assert fails(problems, "not submittable")


# 7. hooks.py


def write_module(root, dotted, source):
	path = root.joinpath(*dotted.split(".")).with_suffix(".py")
	path.parent.mkdir(parents=True, exist_ok=True)
	path.write_text(source)


HOOKS_SOURCE = """
import frappe
from crm_app.other import helper as reexported

LIMIT = 3


def job():
	pass


class Handler:
	pass


@frappe.whitelist()
def get_count(doctype):
	return 0


def plain():
	pass
"""


@pytest.fixture
def hooks_root(tmp_path):
	write_module(tmp_path, "crm_app.__init__", "")
	write_module(tmp_path, "crm_app.jobs", HOOKS_SOURCE)
	write_module(tmp_path, "crm_app.pkg.__init__", "def install():\n\tpass\n")
	return tmp_path


GOOD_HOOKS = {
	"app_include_js": "crm_app.bundle.js",
	"after_install": "crm_app.pkg.install",
	"scheduler_events": {"daily": ["crm_app.jobs.job"], "cron": {"0 * * * *": ["crm_app.jobs.Handler"]}},
	"doc_events": {
		"*": {"validate": "crm_app.jobs.reexported"},
		"ToDo": {"after_insert": ["crm_app.jobs.LIMIT"]},
	},
	"override_whitelisted_methods": {"frappe.client.get_count": "crm_app.jobs.get_count"},
	"jinja": {"methods": ["crm_app.jobs.job"]},
}


def test_hook_path_validator_passes_sound_hooks(hooks_root):
	assert checks.check_hook_paths(GOOD_HOOKS, hooks_root) == []


@pytest.mark.parametrize(
	"hook, value, words",
	[
		("after_install", "crm_app.pkg.instal", ("defines no 'instal'",)),
		("after_migrate", "crm_app.missing.after_migrate", ("module 'crm_app.missing' not found",)),
		("before_uninstall", "install.before_uninstall", ("not a dotted path",)),
		("scheduler_events", {"daily": ["crm_app.jobs.jobs"]}, ("'jobs'",)),
		("scheduler_events", {"dialy": ["crm_app.jobs.job"]}, ("unknown frequency",)),
		("scheduler_events", {"cron": ["crm_app.jobs.job"]}, ("cron takes a dict",)),
		("doc_events", {"CRM Thing": {"on_udpate": "crm_app.jobs.job"}}, ("unknown event 'on_udpate'",)),
		("doc_events", {"CRM Thing": {"on_update": "crm_app.jobs.nope"}}, ("'nope'",)),
		("permission_query_conditions", {"CRM Thing": "crm_app.jobs.Nope"}, ("'Nope'",)),
		("additional_timeline_content", {"CRM Thing": ["crm_app.jobs.x"]}, ("'x'",)),
		("override_whitelisted_methods", {"frappe.client.get_count": "crm_app.jobs.plain"}, ("whitelist",)),
		("override_whitelisted_methods", {"crm_app.jobs.gone": "crm_app.jobs.get_count"}, ("'gone'",)),
		("some_custom_hook", {"a": ["crm_app.jobs.missing"]}, ("'missing'",)),
	],
)
def test_hook_path_validator_rejects(hooks_root, hook, value, words):
	problems = checks.check_hook_paths({**GOOD_HOOKS, hook: value}, hooks_root)
	assert fails(problems, *words), "\n".join(problems)


def test_hook_path_validator_checks_frappe_paths_only_against_a_frappe_source(hooks_root, tmp_path):
	hooks = {"override_whitelisted_methods": {"frappe.client.get_cnt": "crm_app.jobs.get_count"}}
	assert checks.check_hook_paths(hooks, hooks_root) == []
	frappe_root = tmp_path / "frappe_src"
	write_module(frappe_root, "frappe.client", "def get_count():\n\tpass\n")
	assert fails(checks.check_hook_paths(hooks, hooks_root, frappe_root), "get_cnt")


def hook_doctypes():
	customer = make_doctype(
		"CRM Customer",
		fields=[
			field("sales_owner", "Link", options="User", search_index=1),
			field("contacts", "Table", options="CRM Customer Contact"),
		],
	)
	contact = make_doctype("CRM Customer Contact", fields=[field("contact_name")], istable=1)
	interaction = make_doctype(
		"CRM Interaction",
		fields=[
			field("customer", "Link", options="CRM Customer", search_index=1),
			field("owner_user", "Link", options="User"),
		],
	)
	article = make_doctype(
		"CRM Article",
		fields=[field("published", "Check"), field("visibility", "Select", options="Internal\nPublic")],
	)
	return {d.name: d for d in (customer, contact, interaction, article)}


HOOK_DOCTYPES = {
	"crm_owner_fields": {"CRM Customer": "sales_owner"},
	"crm_pool_doctypes": ["CRM Customer"],
	"crm_owner_moved": {"CRM Customer": ["x.y"]},
	"crm_linked_doctypes": {"CRM Interaction": {"customer": "CRM Customer"}},
	"crm_people_doctypes": {"CRM Interaction": ["owner_user"]},
	"crm_child_doctypes": {"CRM Customer Contact": ["CRM Customer"]},
	"crm_published_doctypes": {
		"CRM Article": {"published": "published", "audience": "visibility", "public": "Public"}
	},
	"permission_query_conditions": {"CRM Customer": "x.y", "CRM Interaction": "x.y"},
	"has_permission": {"CRM Customer": "x.y"},
	"additional_timeline_content": {"CRM Customer": ["x.y"]},
	"doc_events": {"*": {}, "ToDo": {}, "CRM Customer": {}},
}


def test_hook_doctype_validator_passes_sound_hooks():
	assert checks.check_hook_doctypes(HOOK_DOCTYPES, hook_doctypes(), {"ToDo"}) == []


@pytest.mark.parametrize(
	"hook, value, words",
	[
		("permission_query_conditions", {"CRM Custmer": "x.y"}, ("'CRM Custmer'",)),
		("has_permission", {"Customer": "x.y"}, ("'Customer'",)),
		("additional_timeline_content", {"CRM Lead": ["x.y"]}, ("'CRM Lead'",)),
		("doc_events", {"Sales Invoice": {}}, ("'Sales Invoice'",)),
		("crm_owner_fields", {"CRM Customer": "owner_user"}, ("no field 'owner_user'",)),
		("crm_owner_fields", {"CRM Interaction": "customer"}, ("not a Link to 'User'",)),
		("crm_pool_doctypes", ["CRM Interaction"], ("no owner field",)),
		("crm_owner_moved", {"CRM Interaction": ["x.y"]}, ("never moved",)),
		("crm_people_doctypes", {"CRM Interaction": ["lead"]}, ("no field 'lead'",)),
		("crm_people_doctypes", {"CRM Interaction": ["customer"]}, ("not a Link to 'User'",)),
		("crm_linked_doctypes", {"CRM Interaction": {"customer": "CRM Lead"}}, ("'CRM Lead'",)),
		("crm_child_doctypes", {"CRM Customer Contact": ["CRM Interaction"]}, ("has no table",)),
		("crm_child_doctypes", {"CRM Customer Contact": []}, ("also a table of 'CRM Customer'",)),
		("crm_child_doctypes", {}, ("missing from crm_child_doctypes",)),
		(
			"crm_published_doctypes",
			{"CRM Article": {"published": "visibility", "audience": "visibility", "public": "Public"}},
			("CRM Article.visibility is not a Check field",),
		),
		(
			"crm_published_doctypes",
			{"CRM Article": {"published": "published", "audience": "published", "public": "Public"}},
			("CRM Article.published is not a Select field",),
		),
		(
			"crm_published_doctypes",
			{"CRM Article": {"published": "published", "audience": "visibility", "public": "Everyone"}},
			("'Everyone' is not an option",),
		),
		("crm_published_doctypes", {"CRM Articel": {}}, ("'CRM Articel'",)),
	],
)
def test_hook_doctype_validator_rejects(hook, value, words):
	hooks = {**HOOK_DOCTYPES, hook: value}
	problems = checks.check_hook_doctypes(hooks, hook_doctypes(), {"ToDo"})
	assert fails(problems, *words), "\n".join(problems)


def test_hook_doctype_validator_requires_indexed_permission_fields():
	doctypes = hook_doctypes()
	doctypes["CRM Customer"] = broken(doctypes["CRM Customer"], lambda d: d["fields"][0].pop("search_index"))
	doctypes["CRM Interaction"] = broken(
		doctypes["CRM Interaction"], lambda d: d["fields"][0].pop("search_index")
	)
	problems = checks.check_hook_doctypes(HOOK_DOCTYPES, doctypes, {"ToDo"})
	assert fails(problems, "sales_owner", "search_index")
	assert fails(problems, "CRM Interaction.customer", "search_index")


# 8. Imports


@pytest.mark.parametrize(
	"source, bad",
	[
		("import re\nfrom decimal import Decimal\nfrom crm_app.domain.errors import DomainError\n", False),
		("from .errors import DomainError\nfrom . import names\n", False),
		("import frappe\n", True),
		("from frappe.utils import flt\n", True),
		("def f():\n\timport frappe\n", True),
		("import importlib\nfrappe = importlib.import_module('frappe')\n", True),
		("from crm_app.permissions import owner_field\n", True),
		("from .. import hooks\n", True),
		("from ..customers import merge\n", True),
	],
)
def test_domain_import_validator(tmp_path, source, bad):
	path = tmp_path / "crm_app" / "domain" / "rules.py"
	assert bool(checks.check_domain_imports(path, source, tmp_path)) is bad


@pytest.mark.parametrize(
	"module, source, bad",
	[
		("crm_app.customers.merge", "from crm_app.domain import names\nimport crm_app.permissions\n", False),
		("crm_app.customers.merge", "from crm_app.api.counts import get_count\n", True),
		("crm_app.customers.merge", "from crm_app import api\n", True),
		("crm_app.customers.merge", "import crm_app.api.customers\n", True),
		("crm_app.customers.merge", "def f():\n\tfrom ..api import leads\n", True),
		("crm_app.hooks", "from crm_app.api import counts\n", True),
		("crm_app.api.leads", "from crm_app.api.counts import get_count\nfrom . import pool\n", False),
		("crm_app.api.__init__", "from .counts import get_count\n", False),
	],
)
def test_api_import_validator(tmp_path, module, source, bad):
	path = tmp_path.joinpath(*module.split(".")).with_suffix(".py")
	assert bool(checks.check_api_imports(path, source, tmp_path)) is bad


@pytest.mark.parametrize(
	"template, bad",
	[
		("{% autoescape true %}<b>{{ doc.customer_name }}</b>{% endautoescape %}", False),
		('<h1>{{ _("Quotation") }}</h1><p>{{ doc.customer_name | e }}</p>', False),
		("<script>const t = {{ title | tojson }};</script>", False),
		(
			"{% autoescape true %}{{ doc.terms | safe }}{# safe: sanitized on save #}{% endautoescape %}",
			False,
		),
		("<b>{{ doc.customer_name }}</b>", True),
		('{{ _("Hello {0}").format(doc.customer_name) }}', True),
		("{% autoescape true %}{{ doc.terms | safe }}{% endautoescape %}", True),
		("{% autoescape true %}{{ a }}{% endautoescape %}{{ b }}", True),
	],
)
def test_template_escaping_validator(template, bad):
	assert bool(checks.check_template_escaping("t.html", template)) is bad
