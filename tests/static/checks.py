"""Validators for the app's static metadata, written without frappe so they run anywhere.

Each `check_*` function takes plain data (parsed JSON, paths, dicts) and returns a list of problems as strings;
an empty list means the check passed. The tests in this folder run them on the real tree, and
test_validators.py runs each on a broken definition to prove it can fail.

Frappe validates much of this itself in `DocType.validate`, but `bench migrate` imports DocType JSON with
`ignore_validate` set (frappe/modules/import_file.py), so a mistake in a JSON file reaches the database
unchecked. Where a check mirrors one of Frappe's, the docstring names it.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
APP_NAME = "crm_app"
APP_DIR = REPO_ROOT / APP_NAME
WORKFLOWS_DIR = APP_DIR / "workflows"

if str(REPO_ROOT) not in sys.path:
	sys.path.insert(0, str(REPO_ROOT))

# --------------------------------------------------------------------------------------------------------------
# Frappe v15 facts, copied from its source so no frappe import is needed.

# Options of DocField.fieldtype (frappe/core/doctype/docfield/docfield.json).
FIELDTYPES = frozenset(
	{
		"Autocomplete",
		"Attach",
		"Attach Image",
		"Barcode",
		"Button",
		"Check",
		"Code",
		"Color",
		"Column Break",
		"Currency",
		"Data",
		"Date",
		"Datetime",
		"Duration",
		"Dynamic Link",
		"Float",
		"Fold",
		"Geolocation",
		"Heading",
		"HTML",
		"HTML Editor",
		"Icon",
		"Image",
		"Int",
		"JSON",
		"Link",
		"Long Text",
		"Markdown Editor",
		"Password",
		"Percent",
		"Phone",
		"Read Only",
		"Rating",
		"Section Break",
		"Select",
		"Signature",
		"Small Text",
		"Tab Break",
		"Table",
		"Table MultiSelect",
		"Text",
		"Text Editor",
		"Time",
	}
)
TABLE_FIELDTYPES = frozenset({"Table", "Table MultiSelect"})
# frappe.model.no_value_fields minus the tables: no column, so they cannot be mandatory.
NO_VALUE_FIELDTYPES = frozenset(
	{"Section Break", "Column Break", "Tab Break", "HTML", "Button", "Image", "Fold", "Heading"}
)
# Columns every DocType already has (frappe.model.default_fields, child_table_fields) and names that would
# shadow Document attributes (BaseDocument._reserved_keywords plus the most used Document methods).
RESERVED_FIELDNAMES = frozenset(
	{
		"doctype",
		"name",
		"owner",
		"creation",
		"modified",
		"modified_by",
		"docstatus",
		"idx",
		"parent",
		"parentfield",
		"parenttype",
		"meta",
		"flags",
		"parent_doc",
		"permitted_fieldnames",
		"dont_update_if_missing",
		"insert",
		"save",
		"submit",
		"cancel",
		"delete",
		"validate",
		"reload",
		"get",
		"set",
		"append",
		"update",
		"db_set",
		"as_dict",
		"is_new",
		"run_method",
	}
)

# Core Frappe DocTypes the app may link to; used whether or not a bench is around (every name is checked
# against a bench's Frappe source when one exists, see test_frappe_lists_match_bench).
FRAPPE_DOCTYPES = frozenset(
	{
		"Access Log",
		"Activity Log",
		"Address",
		"Address Template",
		"Assignment Rule",
		"Auto Repeat",
		"Client Script",
		"Comment",
		"Communication",
		"Contact",
		"Country",
		"Currency",
		"Custom DocPerm",
		"Custom Field",
		"Dashboard",
		"Dashboard Chart",
		"Data Import",
		"Deleted Document",
		"DocShare",
		"DocType",
		"Document Naming Rule",
		"Email Account",
		"Email Domain",
		"Email Group",
		"Email Template",
		"Energy Point Log",
		"Error Log",
		"Event",
		"File",
		"Gender",
		"Kanban Board",
		"Language",
		"Letter Head",
		"Module Def",
		"Module Profile",
		"Note",
		"Notification",
		"Notification Log",
		"Number Card",
		"Page",
		"Prepared Report",
		"Print Format",
		"Print Heading",
		"Print Style",
		"Property Setter",
		"Report",
		"Role",
		"Role Profile",
		"Salutation",
		"Scheduled Job Type",
		"Server Script",
		"System Settings",
		"Tag",
		"ToDo",
		"Translation",
		"User",
		"User Group",
		"User Permission",
		"Version",
		"Web Form",
		"Web Page",
		"Workflow",
		"Workflow Action",
		"Workflow Action Master",
		"Workflow State",
		"Workspace",
	}
)
# Frappe child tables: a Link to one of these is always a mistake.
FRAPPE_CHILD_DOCTYPES = frozenset(
	{
		"Block Module",
		"Contact Email",
		"Contact Phone",
		"DefaultValue",
		"DocField",
		"DocPerm",
		"DocType Action",
		"DocType Link",
		"Dynamic Link",
		"Has Role",
		"User Email",
		"User Group Member",
		"Workflow Document State",
		"Workflow Transition",
	}
)

# Roles every Frappe v15 site has. Deliberately NOT here: "Sales User", "Sales Manager", "Accounts User" and
# the like, which Frappe's contact DocTypes create but which belong to ERPNext's world; in this app they are
# almost certainly a typo for a CRM role.
FRAPPE_STANDARD_ROLES = frozenset(
	{
		"Administrator",
		"System Manager",
		"Guest",
		"All",
		"Desk User",
		"Script Manager",
		"Report Manager",
		"Website Manager",
		"Workspace Manager",
		"Dashboard Manager",
		"Inbox User",
		"Prepared Report User",
		"Blogger",
		"Newsletter Manager",
		"Knowledge Base Contributor",
		"Knowledge Base Editor",
		"Translator",
	}
)
# Roles every user (or every visitor) has: granting them anything on a CRM DocType exposes customer data.
FORBIDDEN_ROLES = frozenset({"All", "Guest"})

PERMISSION_RIGHTS = ("select", "read", "write", "create", "submit", "cancel")

# autoname expression, naming series option (frappe.model.naming.NAMING_SERIES_PATTERN) and format params.
NAMING_SERIES_PATTERN = re.compile(r"^[\w\- \/.#{}]+$")
BRACED_PARAMS_PATTERN = re.compile(r"\{([^{}]*)\}")
NAMING_DATE_PARTS = frozenset({"YY", "YYYY", "MM", "DD", "WW", "timestamp"})

# Keys of scheduler_events (frequencies of Scheduled Job Type, scrubbed) and events of doc_events.
SCHEDULER_FREQUENCIES = frozenset(
	{
		"all",
		"hourly",
		"hourly_long",
		"hourly_maintenance",
		"daily",
		"daily_long",
		"daily_maintenance",
		"weekly",
		"weekly_long",
		"monthly",
		"monthly_long",
		"yearly",
		"annual",
		"cron",
	}
)
DOC_EVENTS = frozenset(
	{
		"before_insert",
		"after_insert",
		"before_naming",
		"autoname",
		"before_validate",
		"validate",
		"before_save",
		"on_update",
		"before_submit",
		"on_submit",
		"before_cancel",
		"on_cancel",
		"before_update_after_submit",
		"on_update_after_submit",
		"before_change",
		"on_change",
		"on_trash",
		"after_delete",
		"before_rename",
		"after_rename",
		"before_print",
		"on_payment_authorized",
		"before_discard",
		"on_discard",
		"after_transition",
	}
)

# Hooks whose strings are all dotted paths to callables (besides DocType names and event keys in dicts).
PATH_HOOKS = frozenset(
	{
		"after_install",
		"before_install",
		"after_migrate",
		"before_migrate",
		"before_uninstall",
		"after_uninstall",
		"after_app_install",
		"before_app_install",
		"after_app_uninstall",
		"before_app_uninstall",
		"before_tests",
		"boot_session",
		"extend_bootinfo",
		"on_session_creation",
		"on_login",
		"on_logout",
		"before_request",
		"after_request",
		"before_job",
		"after_job",
		"permission_query_conditions",
		"has_permission",
		"has_website_permission",
		"doc_events",
		"scheduler_events",
		"additional_timeline_content",
		"override_whitelisted_methods",
		"override_doctype_class",
		"standard_queries",
		"auth_hooks",
		"get_translated_dict",
		"jinja",
		"crm_owner_moved",
	}
)
# Hooks (and the parts of them) that name DocTypes of this app.
APP_DOCTYPE_HOOKS = ("permission_query_conditions", "has_permission", "additional_timeline_content")
ASSET_SUFFIXES = frozenset({"js", "css", "scss", "less", "html", "json", "svg", "png", "jpg", "vue", "ts"})
# What a transition condition may read from `doc` besides the DocType's own fields.
CONDITION_NAMES = frozenset(
	{"name", "owner", "creation", "modified", "modified_by", "docstatus", "idx", "doctype", "get", "is_new"}
)
DOTTED_PATH = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")


def scrub(txt: str) -> str:
	"""frappe.scrub: 'Sales Pipeline' -> 'sales_pipeline'."""
	return txt.replace(" ", "_").replace("-", "_").lower()


def bench_path() -> Path | None:
	bench = Path(os.environ.get("FRAPPE_BENCH") or Path.home() / "frappe-bench")
	return bench if (bench / "apps" / "frappe" / "frappe").is_dir() else None


# --------------------------------------------------------------------------------------------------------------
# Loading


@dataclass(frozen=True)
class DocTypeMeta:
	path: Path
	data: dict

	@property
	def name(self) -> str:
		return self.data.get("name") or ""

	@property
	def istable(self) -> bool:
		return bool(self.data.get("istable"))

	@property
	def issingle(self) -> bool:
		return bool(self.data.get("issingle"))

	@property
	def is_submittable(self) -> bool:
		return bool(self.data.get("is_submittable"))

	@property
	def fields(self) -> list[dict]:
		return self.data.get("fields") or []

	def field(self, fieldname: str) -> dict | None:
		return next((f for f in self.fields if f.get("fieldname") == fieldname), None)


def is_doctype_json(data) -> bool:
	return isinstance(data, dict) and data.get("doctype") == "DocType"


def doctype_json_paths(app_dir: Path = APP_DIR) -> list[Path]:
	return sorted(app_dir.glob("*/doctype/*/*.json"))


def read_json(path: Path):
	return json.loads(path.read_text(encoding="utf-8"))


def load_doctypes(app_dir: Path = APP_DIR) -> dict[str, DocTypeMeta]:
	"""The app's DocTypes by name. Files that do not parse are left out: test_doctype_files reports them."""
	doctypes = {}
	for path in doctype_json_paths(app_dir):
		try:
			data = read_json(path)
		except (ValueError, UnicodeDecodeError):
			continue
		if is_doctype_json(data):
			doctypes[data.get("name") or path.stem] = DocTypeMeta(path, data)
	return doctypes


@cache
def app_doctypes() -> dict[str, DocTypeMeta]:
	return load_doctypes(APP_DIR)


@cache
def bench_frappe_doctypes() -> dict[str, bool]:
	"""{name: istable} of the DocTypes in a bench's Frappe source, or {} without a bench."""
	bench = bench_path()
	if not bench:
		return {}
	found = {}
	for path in (bench / "apps" / "frappe" / "frappe").glob("**/doctype/*/*.json"):
		try:
			data = read_json(path)
		except (ValueError, UnicodeDecodeError):
			continue
		if is_doctype_json(data) and data.get("name"):
			found[data["name"]] = bool(data.get("istable"))
	return found


@cache
def frappe_doctypes() -> frozenset[str]:
	"""Frappe DocTypes that may be linked to: the built-in list, plus a bench's real ones when there is one."""
	return FRAPPE_DOCTYPES | {name for name, istable in bench_frappe_doctypes().items() if not istable}


@cache
def frappe_child_doctypes() -> frozenset[str]:
	return FRAPPE_CHILD_DOCTYPES | {name for name, istable in bench_frappe_doctypes().items() if istable}


@cache
def known_roles() -> frozenset[str]:
	from crm_app.defaults import ROLES

	return frozenset(ROLES) | FRAPPE_STANDARD_ROLES


def read_modules(app_dir: Path = APP_DIR) -> list[str]:
	path = app_dir / "modules.txt"
	if not path.exists():
		return []
	return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@cache
def hooks_module():
	import importlib

	return importlib.import_module(f"{APP_NAME}.hooks")


def hook_values(module) -> dict[str, object]:
	"""The public hook variables of a hooks module (no dunder/underscore names, modules or functions)."""
	return {
		name: value
		for name, value in vars(module).items()
		if not name.startswith("_") and not callable(value) and type(value).__name__ != "module"
	}


# --------------------------------------------------------------------------------------------------------------
# 1. Files and folders of each DocType


def check_doctype_files(app_dir: Path = APP_DIR) -> list[str]:
	"""Every JSON in a DocType folder parses; each DocType sits in <module>/doctype/<scrub(name)>/ with a
	matching JSON name, a module listed in modules.txt whose folder holds it, and its controller, plus form
	script and test for non-child DocTypes. Every folder under doctype/ is a DocType's."""
	problems = []
	modules = read_modules(app_dir)
	if not modules:
		problems.append(f"{app_dir / 'modules.txt'}: missing or empty")
	names_seen: dict[str, Path] = {}
	folders_with_doctype = set()
	for path in doctype_json_paths(app_dir):
		rel = path.relative_to(app_dir.parent)
		try:
			data = read_json(path)
		except (ValueError, UnicodeDecodeError) as e:
			problems.append(f"{rel}: does not load as JSON ({e})")
			continue
		if not is_doctype_json(data):
			if path.name != "test_records.json":
				problems.append(f'{rel}: not a DocType JSON (no "doctype": "DocType")')
			continue
		folder = path.parent
		name = data.get("name")
		if not name:
			problems.append(f"{rel}: no name")
			continue
		folders_with_doctype.add(folder)
		if name in names_seen:
			problems.append(f"{rel}: DocType {name!r} is also defined in {names_seen[name]}")
		names_seen[name] = rel
		if scrub(name) != folder.name:
			problems.append(
				f"{rel}: name {name!r} scrubs to {scrub(name)!r}, not to its folder {folder.name!r}"
			)
		if path.stem != folder.name:
			problems.append(f"{rel}: file should be named {folder.name}.json")
		module = data.get("module")
		if not module:
			problems.append(f"{rel}: no module")
		else:
			if module not in modules:
				problems.append(f"{rel}: module {module!r} is not listed in modules.txt")
			module_folder = folder.parent.parent.name
			if scrub(module) != module_folder:
				problems.append(
					f"{rel}: module {module!r} lives in {scrub(module)}/, but the DocType is under {module_folder}/"
				)
		required = [f"{folder.name}.py"]
		if not data.get("istable"):
			required += [f"{folder.name}.js", f"test_{folder.name}.py"]
		for filename in required:
			if not (folder / filename).is_file():
				problems.append(f"{rel}: {filename} is missing next to it")
	for folder in sorted(app_dir.glob("*/doctype/*/")):
		if folder.is_dir() and folder.name != "__pycache__" and folder not in folders_with_doctype:
			if any(folder.glob("*.json")) or any(folder.glob("*.py")):
				problems.append(
					f"{folder.relative_to(app_dir.parent)}: DocType folder without a DocType JSON"
				)
	return problems


def check_module_folders(app_dir: Path = APP_DIR) -> list[str]:
	"""Each module in modules.txt is a package folder of the app (Frappe imports it to find DocTypes)."""
	problems = []
	modules = read_modules(app_dir)
	if len(set(modules)) != len(modules):
		problems.append("modules.txt lists a module twice")
	for module in modules:
		folder = app_dir / scrub(module)
		if not (folder / "__init__.py").is_file():
			problems.append(f"module {module!r}: {folder.relative_to(app_dir.parent)}/__init__.py is missing")
	return problems


# --------------------------------------------------------------------------------------------------------------
# 2. Fields


def check_fields(dt: DocTypeMeta) -> list[str]:
	"""field_order lists the fields in order, fieldnames are unique, legal and unreserved, fieldtypes exist in
	Frappe v15."""
	problems = []
	fields = dt.fields
	fieldnames = [f.get("fieldname") for f in fields]
	for i, f in enumerate(fields):
		fieldname = f.get("fieldname")
		if not fieldname:
			problems.append(f"{dt.name}: field #{i + 1} ({f.get('label')!r}) has no fieldname")
			continue
		if not re.fullmatch(r"[A-Za-z_]\w{0,63}", fieldname, flags=re.ASCII):
			problems.append(
				f"{dt.name}: fieldname {fieldname!r} is not an ASCII identifier of at most 64 characters"
			)
		if fieldname in RESERVED_FIELDNAMES:
			problems.append(f"{dt.name}: fieldname {fieldname!r} is reserved by Frappe")
		if f.get("fieldtype") not in FIELDTYPES:
			problems.append(
				f"{dt.name}.{fieldname}: fieldtype {f.get('fieldtype')!r} is not a Frappe v15 fieldtype"
			)
	duplicates = sorted({n for n in fieldnames if n and fieldnames.count(n) > 1})
	if duplicates:
		problems.append(f"{dt.name}: fieldnames appear more than once: {', '.join(duplicates)}")
	field_order = dt.data.get("field_order")
	if field_order is None:
		problems.append(f"{dt.name}: no field_order")
	elif list(field_order) != fieldnames:
		missing = [n for n in fieldnames if n not in field_order]
		extra = [n for n in field_order if n not in fieldnames]
		detail = []
		if missing:
			detail.append(f"missing from field_order: {', '.join(map(str, missing))}")
		if extra:
			detail.append(f"in field_order but not a field: {', '.join(map(str, extra))}")
		if not detail:
			detail.append("same names in a different order than fields")
		problems.append(f"{dt.name}: field_order does not match fields ({'; '.join(detail)})")
	return problems


def check_field_properties(dt: DocTypeMeta) -> list[str]:
	"""Field settings Frappe's validate_fields would refuse: Check defaults, Select defaults outside the
	options, unique or indexed fields of the wrong type, mandatory layout fields, broken Dynamic Links,
	self-referencing or dangling fetch_from."""
	problems = []
	by_name = {f.get("fieldname"): f for f in dt.fields}
	for f in dt.fields:
		fieldname, fieldtype = f.get("fieldname"), f.get("fieldtype")
		where = f"{dt.name}.{fieldname}"
		default = f.get("default")
		if fieldtype == "Check" and default not in (None, "", 0, 1, "0", "1"):
			problems.append(f"{where}: Check default must be 0 or 1, not {default!r}")
		if fieldtype == "Select" and default:
			options = [o.strip() for o in (f.get("options") or "").split("\n")]
			if default not in options:
				problems.append(f"{where}: default {default!r} is not one of the Select options")
		if f.get("unique") and fieldtype not in ("Data", "Link", "Read Only", "Int"):
			problems.append(f"{where}: a {fieldtype} field cannot be unique")
		if f.get("search_index") and fieldtype in ("Text", "Long Text", "Small Text", "Code", "Text Editor"):
			problems.append(f"{where}: a {fieldtype} field cannot be indexed")
		if f.get("reqd") and fieldtype in NO_VALUE_FIELDTYPES:
			problems.append(f"{where}: a {fieldtype} cannot be mandatory")
		if fieldtype == "Dynamic Link":
			pointer = by_name.get(f.get("options"))
			if not pointer or not (
				pointer.get("fieldtype") == "Select"
				or (pointer.get("fieldtype") == "Link" and pointer.get("options") == "DocType")
			):
				problems.append(f"{where}: Dynamic Link options must name a Link-to-DocType or Select field")
		fetch_from = (f.get("fetch_from") or "").strip()
		if fetch_from:
			source, _, target = fetch_from.partition(".")
			source_field = by_name.get(source)
			if source == fieldname:
				problems.append(f"{where}: fetch_from {fetch_from!r} refers to itself")
			elif not source_field or source_field.get("fieldtype") not in ("Link", "Dynamic Link"):
				problems.append(f"{where}: fetch_from {fetch_from!r} does not start with a Link field")
			elif not target:
				problems.append(f"{where}: fetch_from {fetch_from!r} names no field to fetch")
	return problems


def check_fetch_from_targets(dt: DocTypeMeta, doctypes: dict[str, DocTypeMeta]) -> list[str]:
	"""fetch_from 'link.field' names a field that exists in the linked app DocType."""
	problems = []
	by_name = {f.get("fieldname"): f for f in dt.fields}
	standard = {"name", "owner", "creation", "modified", "modified_by", "docstatus", "idx"}
	for f in dt.fields:
		source, _, target = (f.get("fetch_from") or "").strip().partition(".")
		source_field = by_name.get(source)
		if not target or not source_field or source_field.get("fieldtype") != "Link":
			continue
		linked = doctypes.get(source_field.get("options"))
		if linked and target not in standard and not linked.field(target):
			problems.append(
				f"{dt.name}.{f.get('fieldname')}: fetch_from {source}.{target}, "
				f"but {linked.name} has no field {target!r}"
			)
	return problems


# --------------------------------------------------------------------------------------------------------------
# 3. Links and tables


def check_link_options(
	dt: DocTypeMeta,
	doctypes: dict[str, DocTypeMeta],
	frappe_names: Iterable[str],
	frappe_children: Iterable[str],
) -> list[str]:
	"""Link options name an existing, non-child DocType (the app's or Frappe's); Table and Table MultiSelect
	options name a child DocType of the app; a Table MultiSelect child has a Link field; child tables hold no
	tables of their own (Frappe v15 has no grandchildren)."""
	problems = []
	frappe_names, frappe_children = set(frappe_names), set(frappe_children)
	for f in dt.fields:
		fieldtype, options = f.get("fieldtype"), (f.get("options") or "").strip()
		where = f"{dt.name}.{f.get('fieldname')}"
		if fieldtype == "Link":
			if not options:
				problems.append(f"{where}: Link without options")
			elif options in doctypes:
				if doctypes[options].istable:
					problems.append(f"{where}: Link to child table {options!r}")
			elif options in frappe_children:
				problems.append(f"{where}: Link to Frappe child table {options!r}")
			elif options not in frappe_names:
				problems.append(f"{where}: Link to {options!r}, which is neither an app nor a Frappe DocType")
		elif fieldtype in TABLE_FIELDTYPES:
			if dt.istable:
				problems.append(
					f"{where}: child table {dt.name!r} contains a {fieldtype}; Frappe has no nesting"
				)
			if not options:
				problems.append(f"{where}: {fieldtype} without options")
			elif options not in doctypes:
				problems.append(f"{where}: {fieldtype} of {options!r}, which is not a DocType of this app")
			elif not doctypes[options].istable:
				problems.append(f"{where}: {fieldtype} of {options!r}, which is not a child table (istable)")
			elif fieldtype == "Table MultiSelect" and not any(
				c.get("fieldtype") == "Link" for c in doctypes[options].fields
			):
				problems.append(f"{where}: Table MultiSelect of {options!r}, which has no Link field")
	return problems


# --------------------------------------------------------------------------------------------------------------
# 4. Permissions


def check_permission_roles(dt: DocTypeMeta, roles: Iterable[str]) -> list[str]:
	"""Child tables have no permission rows; other DocTypes have some, each for a role the app ships or a
	standard Frappe role, and never for All or Guest."""
	problems = []
	roles = set(roles)
	permissions = dt.data.get("permissions") or []
	if dt.istable:
		if permissions:
			problems.append(f"{dt.name}: child table has permission rows (they belong on the parent)")
		return problems
	if not permissions:
		problems.append(f"{dt.name}: no permission rows, so nobody but Administrator can use it")
	for row in permissions:
		role = row.get("role")
		if role in FORBIDDEN_ROLES:
			problems.append(f"{dt.name}: grants rights to {role!r}, which exposes CRM data to everyone")
		elif role not in roles:
			problems.append(f"{dt.name}: permission for unknown role {role!r} (install would create it)")
	return problems


def check_permission_rows(dt: DocTypeMeta) -> list[str]:
	"""The rules of Frappe's validate_permissions: some basic right per row, one row per role, level and
	if_owner, level 0 before higher levels, Cancel needs Submit, Submit/Cancel/Amend need Write, Submit and
	Amend only on submittable DocTypes, Import needs Create and allow_import."""
	problems = []
	permissions = dt.data.get("permissions") or []
	seen = set()
	for row in permissions:
		role, level = row.get("role"), int(row.get("permlevel") or 0)
		where = f"{dt.name}: {role!r} at level {level}"
		if not any(row.get(right) for right in PERMISSION_RIGHTS):
			problems.append(f"{where}: no basic right (select, read, write, create, submit or cancel)")
		key = (role, level, int(row.get("if_owner") or 0))
		if key in seen:
			problems.append(f"{where}: more than one row for the same role, level and if_owner")
		seen.add(key)
		if level > 0 and role not in ("All", "Desk User"):
			if not any(p.get("role") == role and not int(p.get("permlevel") or 0) for p in permissions):
				problems.append(f"{where}: no level 0 row for this role")
		if row.get("cancel") and not row.get("submit"):
			problems.append(f"{where}: Cancel without Submit")
		if (row.get("submit") or row.get("cancel") or row.get("amend")) and not row.get("write"):
			problems.append(f"{where}: Submit, Cancel or Amend without Write")
		if (row.get("submit") or row.get("amend")) and not dt.is_submittable:
			problems.append(f"{where}: Submit or Amend on a DocType that is not submittable")
		if row.get("import") and not row.get("create"):
			problems.append(f"{where}: Import without Create")
		if row.get("import") and not dt.data.get("allow_import"):
			problems.append(f"{where}: Import on a DocType without allow_import")
	return problems


# --------------------------------------------------------------------------------------------------------------
# 5. Naming


def naming_expression_problem(expression: str) -> str | None:
	"""Why an old-style expression like 'CUST-.YYYY.-.#####' would not number documents, or None."""
	if not NAMING_SERIES_PATTERN.match(expression):
		return "has characters other than letters, digits, '-', '/', '.', '#', '{', '}' and spaces"
	if "." not in expression:
		return "has no '.' between its parts"
	if not any(re.fullmatch(r"#+", part) for part in expression.split(".")):
		return "has no '.'-separated run of '#' to number documents"
	return None


def check_naming(dt: DocTypeMeta) -> list[str]:
	"""autoname is hash, prompt, autoincrement, naming_series: (with a naming_series Select whose options each
	number documents), field:<unique mandatory field>, format:... (with existing fields) or an expression like
	'PREFIX-.YYYY.-.#####'. Child tables and singles may leave it empty."""
	problems = []
	autoname = (dt.data.get("autoname") or "").strip()
	where = f"{dt.name}: autoname {autoname!r}"
	if not autoname:
		if not (dt.istable or dt.issingle):
			problems.append(f'{dt.name}: no autoname; set one ("hash" if random names are intended)')
		return problems
	if autoname.lower() in ("hash", "prompt") or autoname == "autoincrement":
		return problems
	if autoname == "naming_series:":
		field = dt.field("naming_series")
		if not field:
			problems.append(f"{where}: there is no naming_series field")
		elif field.get("fieldtype") != "Select":
			problems.append(f"{where}: naming_series is a {field.get('fieldtype')}, not a Select")
		else:
			options = [o.strip() for o in (field.get("options") or "").split("\n") if o.strip()]
			if not options:
				problems.append(f"{where}: naming_series has no options")
			for option in options:
				if problem := naming_expression_problem(option):
					problems.append(f"{where}: naming series option {option!r} {problem}")
	elif autoname.startswith("field:"):
		fieldname = autoname[len("field:") :]
		field = dt.field(fieldname)
		if not field:
			problems.append(f"{where}: there is no field {fieldname!r}")
		elif not (field.get("unique") and field.get("reqd")):
			problems.append(f"{where}: the naming field {fieldname!r} must be unique and mandatory")
	elif autoname.startswith("format:"):
		pattern = autoname[len("format:") :]
		params = BRACED_PARAMS_PATTERN.findall(pattern)
		if not params or pattern.count("{") != pattern.count("}"):
			problems.append(f"{where}: a format: pattern needs balanced {{...}} placeholders")
		for param in params:
			param = param.strip()
			if not (re.fullmatch(r"#+", param) or param in NAMING_DATE_PARTS or dt.field(param)):
				problems.append(f"{where}: placeholder {{{param}}} is not a '#' run, a date part or a field")
	elif "." in autoname or "#" in autoname:
		if problem := naming_expression_problem(autoname):
			problems.append(f"{where}: {problem}")
	else:
		problems.append(f"{where}: not a naming rule Frappe v15 knows")
	return problems


def check_amendment(dt: DocTypeMeta) -> list[str]:
	"""A submittable DocType has an amended_from Link to itself (Frappe's make_amendable adds it in the UI)."""
	if not dt.is_submittable:
		return []
	field = dt.field("amended_from")
	if not field:
		return [f"{dt.name}: submittable but has no amended_from field"]
	if field.get("fieldtype") != "Link" or field.get("options") != dt.name:
		return [f"{dt.name}: amended_from must be a Link to {dt.name!r}"]
	return []


# --------------------------------------------------------------------------------------------------------------
# 6. Workflows


def _docstatus(value) -> int | None:
	try:
		status = int(value)
	except (TypeError, ValueError):
		return None
	return status if status in (0, 1, 2) else None


def _can(dt: DocTypeMeta, role: str, right: str) -> bool:
	return any(
		p.get("role") == role and not int(p.get("permlevel") or 0) and p.get(right)
		for p in dt.data.get("permissions") or []
	)


def check_workflow(definition, doctypes: dict[str, DocTypeMeta], roles: Iterable[str]) -> list[str]:
	"""A workflow file as install.sync_workflows reads it: a name; a document_type of this app with the
	workflow_state_field; states with a unique name, doc_status 0/1/2 and a known allow_edit role; transitions
	between declared states with an action and a known allowed role that has the right the move needs; every
	state reachable from the first; no move Frappe's Workflow.validate_docstatus refuses (submitted back to
	draft, draft straight to cancelled, anything out of cancelled); doc_status 1 or 2 only on submittable
	DocTypes; fields named in conditions exist; never All or Guest."""
	if not isinstance(definition, dict):
		return ["workflow definition is not a JSON object"]
	name = definition.get("name")
	label = f"workflow {name!r}"
	problems = []
	roles = set(roles)
	if not name or not isinstance(name, str):
		problems.append(f"{label}: no name")

	document_type = definition.get("document_type")
	dt = doctypes.get(document_type)
	if not dt:
		problems.append(f"{label}: document_type {document_type!r} is not a DocType of this app")
	elif dt.istable:
		problems.append(f"{label}: document_type {document_type!r} is a child table")
	state_field = definition.get("workflow_state_field")
	if not state_field:
		problems.append(f"{label}: no workflow_state_field")
	elif dt and not dt.field(state_field):
		problems.append(f"{label}: {document_type} has no field {state_field!r} (give the DocType its own)")

	def check_role(role, where):
		if role in FORBIDDEN_ROLES:
			problems.append(f"{label}: {where} is given to {role!r}")
		elif role not in roles:
			problems.append(f"{label}: {where} names unknown role {role!r}")

	states = definition.get("states")
	if not isinstance(states, list) or not states:
		problems.append(f"{label}: no states")
		states = []
	docstatus: dict[str, int | None] = {}
	editors: set[tuple[str, object]] = set()
	for i, state in enumerate(states):
		if not isinstance(state, dict) or not state.get("state"):
			problems.append(f"{label}: state #{i + 1} has no name")
			continue
		state_name = state["state"]
		# a state is listed once per role that may edit records in it (Frappe gathers them all)
		if (state_name, state.get("allow_edit")) in editors:
			problems.append(
				f"{label}: state {state_name!r} is declared twice for {state.get('allow_edit')!r}"
			)
		editors.add((state_name, state.get("allow_edit")))
		status = _docstatus(state.get("doc_status"))
		if state_name in docstatus and docstatus[state_name] != status:
			problems.append(f"{label}: state {state_name!r} is declared with two doc_status values")
		if status is None:
			problems.append(
				f"{label}: state {state_name!r} has doc_status {state.get('doc_status')!r}, not 0/1/2"
			)
		elif status and dt and not dt.is_submittable:
			problems.append(
				f"{label}: state {state_name!r} has doc_status {status}, but {dt.name} is not submittable"
			)
		docstatus[state_name] = status
		check_role(state.get("allow_edit"), f"state {state_name!r} allow_edit")

	transitions = definition.get("transitions")
	if not isinstance(transitions, list):
		problems.append(f"{label}: transitions is not a list")
		transitions = []
	graph: dict[str, set[str]] = {s: set() for s in docstatus}
	for i, transition in enumerate(transitions):
		where = f"transition #{i + 1}"
		if not isinstance(transition, dict):
			problems.append(f"{label}: {where} is not an object")
			continue
		source, target = transition.get("state"), transition.get("next_state")
		where = f"transition #{i + 1} {source!r} -> {target!r}"
		for end in (source, target):
			if end not in docstatus:
				problems.append(f"{label}: {where} uses undeclared state {end!r}")
		if not transition.get("action"):
			problems.append(f"{label}: {where} has no action")
		role = transition.get("allowed")
		check_role(role, f"{where} allowed")
		if source in docstatus and target in docstatus:
			graph[source].add(target)
			before, after = docstatus[source], docstatus[target]
			if before == 2:
				problems.append(f"{label}: {where} leaves a cancelled state")
			elif before == 1 and after == 0:
				problems.append(f"{label}: {where} turns a submitted document back into a draft")
			elif before == 0 and after == 2:
				problems.append(f"{label}: {where} cancels a document that was never submitted")
			elif dt and role in roles and before is not None and after is not None:
				# What Document.save/submit/cancel check when apply_workflow moves the document.
				needed = {(0, 0): (), (0, 1): ("submit",), (1, 1): ("submit",), (1, 2): ("cancel",)}
				for right in ("write", *needed[(before, after)]):
					if not _can(dt, role, right):
						problems.append(
							f"{label}: {where} needs {right!r} on {dt.name}, which {role!r} lacks"
						)
				if (before, after) == (1, 1) and state_field and dt.field(state_field):
					if not dt.field(state_field).get("allow_on_submit"):
						problems.append(
							f"{label}: {where} changes {state_field} after submit without allow_on_submit"
						)
		condition = transition.get("condition") or ""
		if dt:
			for fieldname in re.findall(r"\bdoc\.([A-Za-z_]\w*)", condition):
				if not dt.field(fieldname) and fieldname not in CONDITION_NAMES:
					problems.append(
						f"{label}: {where} condition uses {fieldname!r}, not a field of {dt.name}"
					)

	if states and isinstance(states[0], dict) and states[0].get("state") in graph:
		# apply_workflow puts a new document in the first state, so it must be a draft one.
		if docstatus[states[0]["state"]] not in (0, None):
			problems.append(f"{label}: the first state {states[0]['state']!r} must have doc_status 0")
		reached, todo = set(), [states[0]["state"]]
		while todo:
			current = todo.pop()
			if current not in reached:
				reached.add(current)
				todo.extend(graph.get(current, ()))
		for state_name in graph:
			if state_name not in reached:
				problems.append(
					f"{label}: state {state_name!r} cannot be reached from {states[0]['state']!r}"
				)
	return problems


# --------------------------------------------------------------------------------------------------------------
# 7. hooks.py


def _walk_strings(value, keys_too: bool = False) -> Iterator[str]:
	if isinstance(value, str):
		yield value
	elif isinstance(value, dict):
		for key, item in value.items():
			if keys_too:
				yield from _walk_strings(key)
			yield from _walk_strings(item, keys_too)
	elif isinstance(value, list | tuple | set | frozenset):
		for item in value:
			yield from _walk_strings(item, keys_too)


def _top_level_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
	for node in body:
		yield node
		if isinstance(node, ast.If | ast.Try | ast.With):
			for block in ("body", "orelse", "finalbody"):
				yield from _top_level_statements(getattr(node, block, []) or [])
			for handler in getattr(node, "handlers", []) or []:
				yield from _top_level_statements(handler.body)


def _target_names(target: ast.expr) -> Iterator[str]:
	if isinstance(target, ast.Name):
		yield target.id
	elif isinstance(target, ast.Tuple | ast.List):
		for element in target.elts:
			yield from _target_names(element)


def top_level_definitions(source: str) -> dict[str, ast.stmt]:
	"""Names a module defines at top level (def, class, assignment, import) and the statement that does."""
	names = {}
	for node in _top_level_statements(ast.parse(source).body):
		if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
			names[node.name] = node
		elif isinstance(node, ast.Assign):
			for target in node.targets:
				for name in _target_names(target):
					names[name] = node
		elif isinstance(node, ast.AnnAssign) and node.value is not None:
			for name in _target_names(node.target):
				names[name] = node
		elif isinstance(node, ast.Import | ast.ImportFrom):
			for alias in node.names:
				names[alias.asname or alias.name.split(".")[0]] = node
	return names


def module_file(module: str, root: Path) -> Path | None:
	base = root.joinpath(*module.split("."))
	for candidate in (base.with_suffix(".py"), base / "__init__.py"):
		if candidate.is_file():
			return candidate
	return None


def resolve_dotted_path(path: str, root: Path) -> tuple[str | None, ast.stmt | None]:
	"""(problem, defining statement) for 'package.module.attribute' under `root`, without importing it."""
	module, _, attribute = path.rpartition(".")
	file = module_file(module, root) if module else None
	if not file:
		return f"{path}: module {module!r} not found", None
	definition = top_level_definitions(file.read_text(encoding="utf-8")).get(attribute)
	if definition is None:
		return f"{path}: {file.relative_to(root)} defines no {attribute!r} at top level", None
	return None, definition


def is_whitelisted(node: ast.stmt | None) -> bool:
	if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
		return False
	for decorator in node.decorator_list:
		target = decorator.func if isinstance(decorator, ast.Call) else decorator
		if (isinstance(target, ast.Attribute) and target.attr == "whitelist") or (
			isinstance(target, ast.Name) and target.id == "whitelist"
		):
			return True
	return False


def check_hook_paths(
	hooks: dict[str, object], app_root: Path = REPO_ROOT, frappe_root: Path | None = None
) -> list[str]:
	"""Every dotted path to the app in any hook resolves to a top-level name of an existing module, without
	importing it; in hooks that hold only paths, every string is such a path (or a Frappe one, resolved in
	the bench's Frappe source when given); whitelisted-method overrides point at whitelisted functions;
	scheduler_events and doc_events use keys Frappe knows."""
	problems = []
	for hook, value in sorted(hooks.items()):
		if hook.endswith(("_js", "_css")) or "include" in hook:
			continue
		strict = hook in PATH_HOOKS
		for string in _walk_strings(value, keys_too=hook == "override_whitelisted_methods"):
			looks_like_path = bool(DOTTED_PATH.match(string))
			if looks_like_path and string.rpartition(".")[2] in ASSET_SUFFIXES:
				continue
			if looks_like_path and string.startswith(APP_NAME + "."):
				problem, _ = resolve_dotted_path(string, app_root)
			elif looks_like_path and string.startswith("frappe."):
				problem = resolve_dotted_path(string, frappe_root)[0] if frappe_root else None
			elif strict:
				problem = f"{string!r} is not a dotted path to {APP_NAME} or frappe"
			else:
				problem = None
			if problem:
				problems.append(f"hooks.{hook}: {problem}")
	for source, target in (hooks.get("override_whitelisted_methods") or {}).items():
		if isinstance(target, str) and target.startswith(APP_NAME + "."):
			problem, definition = resolve_dotted_path(target, app_root)
			if not problem and not is_whitelisted(definition):
				problems.append(
					f"hooks.override_whitelisted_methods: {target} (for {source}) is not @frappe.whitelist()ed"
				)
	for frequency, jobs in (hooks.get("scheduler_events") or {}).items():
		if frequency not in SCHEDULER_FREQUENCIES:
			problems.append(f"hooks.scheduler_events: unknown frequency {frequency!r}, its jobs never run")
		elif (frequency == "cron") != isinstance(jobs, dict):
			problems.append(f"hooks.scheduler_events[{frequency!r}]: cron takes a dict, the others a list")
	for doctype, events in (hooks.get("doc_events") or {}).items():
		for event in events if isinstance(events, dict) else ():
			if event not in DOC_EVENTS:
				problems.append(f"hooks.doc_events[{doctype!r}]: unknown event {event!r}, never called")
	return problems


def _check_field(
	problems: list[str], where: str, dt: DocTypeMeta, fieldname, link_to: str | None = None, indexed=False
):
	field = dt.field(fieldname) if isinstance(fieldname, str) else None
	if not field:
		problems.append(f"{where}: {dt.name} has no field {fieldname!r}")
		return
	if link_to and (field.get("fieldtype") != "Link" or field.get("options") != link_to):
		problems.append(f"{where}: {dt.name}.{fieldname} is not a Link to {link_to!r}")
	if indexed and not field.get("search_index"):
		problems.append(
			f"{where}: {dt.name}.{fieldname} is filtered on by permission queries but has no search_index"
		)


# Hooks Frappe also reads under the key "*", for every DocType (frappe/permissions.py, frappe/model/db_query.py).
WILDCARD_HOOKS = frozenset({"permission_query_conditions", "has_permission"})


def check_hook_doctypes(
	hooks: dict[str, object], doctypes: dict[str, DocTypeMeta], frappe_names: Iterable[str] = FRAPPE_DOCTYPES
) -> list[str]:
	"""DocTypes named in hooks exist; owner fields are indexed Links to User; fields of customer-scoped and
	linked DocTypes are indexed Links to the DocType they follow; child DocTypes are child tables of exactly
	the parents listed; pool DocTypes have an owner; every table of a row-protected DocType is protected."""
	problems = []
	frappe_names = set(frappe_names)

	def app_doctype(where: str, name) -> DocTypeMeta | None:
		if name not in doctypes:
			problems.append(f"{where}: {name!r} is not a DocType of this app")
		return doctypes.get(name)

	for hook in APP_DOCTYPE_HOOKS:
		for name in hooks.get(hook) or {}:
			if name != "*" or hook not in WILDCARD_HOOKS:
				app_doctype(f"hooks.{hook}", name)
	for name in hooks.get("doc_events") or {}:
		if name != "*" and name not in doctypes and name not in frappe_names:
			problems.append(f"hooks.doc_events: {name!r} is not a DocType of this app or Frappe")

	owner_fields = hooks.get("crm_owner_fields") or {}
	for name, fieldname in owner_fields.items():
		if dt := app_doctype("hooks.crm_owner_fields", name):
			_check_field(problems, "hooks.crm_owner_fields", dt, fieldname, link_to="User", indexed=True)
	for name in hooks.get("crm_owner_moved") or {}:
		if name not in owner_fields:
			problems.append(
				f"hooks.crm_owner_moved: {name!r} is not in crm_owner_fields, so it is never moved"
			)
	for name in hooks.get("crm_pool_doctypes") or []:
		if app_doctype("hooks.crm_pool_doctypes", name) and name not in owner_fields:
			problems.append(f"hooks.crm_pool_doctypes: {name!r} has no owner field in crm_owner_fields")

	# {doctype: {fieldname: linked doctype}}
	linked = hooks.get("crm_linked_doctypes") or {}
	for name, links in linked.items():
		if dt := app_doctype("hooks.crm_linked_doctypes", name):
			for fieldname, target in (links or {}).items():
				if app_doctype(f"hooks.crm_linked_doctypes[{name!r}]", target):
					_check_field(problems, "hooks.crm_linked_doctypes", dt, fieldname, target, True)

	people = hooks.get("crm_people_doctypes") or {}
	for name, fieldnames in people.items():
		if dt := app_doctype("hooks.crm_people_doctypes", name):
			for fieldname in fieldnames:
				_check_field(problems, "hooks.crm_people_doctypes", dt, fieldname, link_to="User")

	children = hooks.get("crm_child_doctypes") or {}
	for name, parents in children.items():
		dt = app_doctype("hooks.crm_child_doctypes", name)
		if dt and not dt.istable:
			problems.append(f"hooks.crm_child_doctypes: {name!r} is not a child table")
		if not dt:
			continue
		embedding = {
			parent.name
			for parent in doctypes.values()
			if any(f.get("fieldtype") in TABLE_FIELDTYPES and f.get("options") == name for f in parent.fields)
		}
		for parent in parents:
			if app_doctype(f"hooks.crm_child_doctypes[{name!r}]", parent) and parent not in embedding:
				problems.append(f"hooks.crm_child_doctypes: {parent!r} has no table of {name!r}")
		for parent in sorted(embedding - set(parents)):
			problems.append(f"hooks.crm_child_doctypes: {name!r} is also a table of {parent!r}, not listed")

	# {doctype: {"published": Check field, "audience": Select field, "public": one of its options}}
	published = hooks.get("crm_published_doctypes") or {}
	for name, fields in published.items():
		if dt := app_doctype("hooks.crm_published_doctypes", name):
			fields = fields or {}
			flag, audience = dt.field(fields.get("published")), dt.field(fields.get("audience"))
			if not flag or flag.get("fieldtype") != "Check":
				problems.append(
					f"hooks.crm_published_doctypes: {name}.{fields.get('published')} is not a Check field"
				)
			if not audience or audience.get("fieldtype") != "Select":
				problems.append(
					f"hooks.crm_published_doctypes: {name}.{fields.get('audience')} is not a Select field"
				)
			elif fields.get("public") not in (audience.get("options") or "").split("\n"):
				problems.append(
					f"hooks.crm_published_doctypes: {fields.get('public')!r} is not an option of "
					f"{name}.{fields.get('audience')}"
				)

	protected = set(owner_fields) | set(linked) | set(people) | set(published)
	listed_children = set(children)
	for name in sorted(protected):
		for f in doctypes[name].fields if name in doctypes else []:
			child = f.get("options")
			if f.get("fieldtype") in TABLE_FIELDTYPES and child not in listed_children:
				problems.append(
					f"hooks: {child!r} (table {name}.{f.get('fieldname')}) is missing from crm_child_doctypes, "
					f"so its rows can be listed without {name}'s row rules"
				)
	return problems


# --------------------------------------------------------------------------------------------------------------
# 8. Imports


def imported_modules(source: str, module_name: str, is_package: bool = False) -> list[tuple[int, str]]:
	"""(line, absolute module) for every import in the source, relative ones resolved; dynamic imports of a
	constant name (importlib.import_module, __import__) included."""
	found = []
	package = module_name if is_package else module_name.rpartition(".")[0]
	for node in ast.walk(ast.parse(source)):
		if isinstance(node, ast.Import):
			found += [(node.lineno, alias.name) for alias in node.names]
		elif isinstance(node, ast.ImportFrom):
			if node.level:
				base = package.split(".")
				base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
				prefix = ".".join(base)
				module = f"{prefix}.{node.module}" if node.module else prefix
			else:
				module = node.module or ""
			# `from a import b` may import the submodule a.b, so each name counts as a.b.
			names = [alias.name for alias in node.names]
			found += [(node.lineno, module if name == "*" else f"{module}.{name}") for name in names]
		elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
			func = node.func
			name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
			if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
				found.append((node.lineno, node.args[0].value))
	return found


def module_name_of(path: Path, root: Path = REPO_ROOT) -> tuple[str, bool]:
	parts = list(path.relative_to(root).with_suffix("").parts)
	is_package = parts[-1] == "__init__"
	if is_package:
		parts = parts[:-1]
	return ".".join(parts), is_package


def _is_under(module: str, package: str) -> bool:
	return module == package or module.startswith(package + ".")


def check_domain_imports(path: Path, source: str, root: Path = REPO_ROOT) -> list[str]:
	"""A pure domain module imports neither frappe nor any part of the app outside crm_app.domain (which
	could import frappe for it)."""
	name, is_package = module_name_of(path, root)
	problems = []
	for line, module in imported_modules(source, name, is_package):
		if _is_under(module, "frappe"):
			problems.append(f"{path.relative_to(root)}:{line}: imports {module}")
		elif _is_under(module, APP_NAME) and not _is_under(module, f"{APP_NAME}.domain"):
			problems.append(f"{path.relative_to(root)}:{line}: imports {module}, outside {APP_NAME}.domain")
	return problems


def check_api_imports(path: Path, source: str, root: Path = REPO_ROOT) -> list[str]:
	"""Only modules inside crm_app.api import crm_app.api: imports flow api -> controllers -> domain."""
	name, is_package = module_name_of(path, root)
	if _is_under(name, f"{APP_NAME}.api"):
		return []
	return [
		f"{path.relative_to(root)}:{line}: imports {module}"
		for line, module in imported_modules(source, name, is_package)
		if _is_under(module, f"{APP_NAME}.api")
	]


# --------------------------------------------------------------------------------------------------------------
# 9. Templates


AUTOESCAPE_BLOCK = re.compile(r"{%-?\s*autoescape\s+true\s*-?%}.*?{%-?\s*endautoescape\s*-?%}", re.DOTALL)
EXPRESSION = re.compile(r"{{-?(.*?)-?}}", re.DOTALL)
TRANSLATED_LITERAL = re.compile(r"""\s*_\(\s*(?:"[^"]*"|'[^']*')\s*\)\s*""")
ESCAPING_FILTER = re.compile(r"\|\s*(?:e|escape|tojson)\s*$")


def check_template_escaping(where: str, template: str) -> list[str]:
	"""What users typed reaches HTML escaped: every expression sits in an `{% autoescape true %}` block, is a
	translated literal, or ends in an escaping filter; `| safe` is allowed only with a `{# safe: why #}` note."""
	problems = []
	for number, line in enumerate(template.splitlines(), 1):
		if re.search(r"\|\s*safe\b", line) and "{# safe:" not in line:
			problems.append(f"{where}:{number}: '| safe' without a {{# safe: … #}} note saying why")
	outside = AUTOESCAPE_BLOCK.sub("", template)
	for match in EXPRESSION.finditer(outside):
		expression = match.group(1).strip()
		if TRANSLATED_LITERAL.fullmatch(expression) or ESCAPING_FILTER.search(expression):
			continue
		problems.append(f"{where}: {{{{ {expression} }}}} is not escaped")
	return problems


def app_templates(app_dir: Path = APP_DIR) -> Iterator[tuple[str, str]]:
	"""(where, template) for every Jinja template the app renders into HTML: pages, print formats and
	notifications."""
	for path in sorted(app_dir.rglob("*.html")):
		yield str(path.relative_to(app_dir.parent)), path.read_text(encoding="utf-8")
	for path in sorted(app_dir.glob("*/print_format/*/*.json")):
		yield str(path.relative_to(app_dir.parent)), read_json(path).get("html") or ""
	for path in sorted(app_dir.glob("*/notification/*/*.json")):
		yield str(path.relative_to(app_dir.parent)), read_json(path).get("message") or ""
