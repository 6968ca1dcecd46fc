"""Deny by default, decided once per request as soon as Frappe knows who is asking (an `auth_hooks` hook).

1. Users whose roles are all CRM roles, and Website users, call only the whitelisted methods the app lists in
   hooks (`crm_desk_methods`, `crm_portal_methods`), and only those again where a call names another method to
   run (run_doc_method, a search's query, an upload's method). A method Frappe or another app adds starts closed.
2. A request that names a CRM record, or a row of Frappe's side tables about one, answers "not found" unless
   the user may see it, so a hidden record and a missing one give the same status and the same message: as an
   argument, inside an argument (`args`), or as a link of a record the request sends.
3. Arguments are what they say: sort and group clauses for the app's DocTypes are column names, JSON arguments
   parse, required arguments are there, and values sent for the app's records fit their fields.
"""

import functools
import inspect
import json
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

import frappe
from frappe import _
from frappe.api import API_URL_MAP
from frappe.api.v1 import get_request_form_data
from frappe.modules.utils import load_doctype_module
from frappe.permissions import AUTOMATIC_ROLES
from werkzeug.exceptions import Forbidden, HTTPException

from crm_app.permissions import (
	crm_doctypes,
	is_desk_file_of_portal_record,
	is_visible,
	reference_fields,
	throw_link_not_found,
	throw_not_found,
)
from crm_app.validation import check_submitted_document, json_argument

# (DocType argument, name argument) pairs by which Frappe's whitelisted methods name a record.
REFERENCE_ARGUMENTS = (
	("doctype", "name"),
	("doctype", "docname"),
	("doctype", "doc_name"),
	("doctype", "docnames"),
	("dt", "dn"),
	("dt", "docs"),
	("reference_doctype", "reference_name"),
	("ref_doctype", "docname"),
	("ref_doctype", "ref_docname"),
	("attached_to_doctype", "attached_to_name"),
	("doc", "name"),
)
# Pairs only some methods use, where the name argument means something else elsewhere.
METHOD_REFERENCE_ARGUMENTS = {
	"frappe.desk.reportview.delete_items": (("doctype", "items"),),
	"frappe.desk.form.utils.get_next": (("doctype", "value"),),
}
# Arguments that carry a whole document (savedocs, apply_workflow, run_doc_method, inserts, print previews).
DOCUMENT_ARGUMENTS = ("doc", "docs", "document")
# Arguments that carry the arguments of the call itself (frappe.desk.form.assign_to.add).
NESTED_ARGUMENTS = ("args",)
# Arguments that name another whitelisted method for the call to run.
METHOD_ARGUMENTS = {
	"frappe.desk.search.search_link": "query",
	"frappe.desk.search.search_widget": "query",
	"upload_file": "method",
	"frappe.handler.upload_file": "method",
}
# Arguments Frappe parses as JSON wherever they appear.
JSON_ARGUMENTS = (
	"filters",
	"or_filters",
	"fields",
	"current_filters",
	"doc",
	"docs",
	"document",
	"args",
	"chart",
	"data",
	"order",
	"assign_to",
	"custom_columns",
	"user_settings",
	"settings",
)
# Arguments only the server sets: an assignment rule's name makes its assignee the owner of a pool record.
SERVER_ARGUMENTS = ("assignment_rule",)
SORT_ARGUMENTS = ("order_by", "group_by", "sort_by", "sort_order")
# Arguments that name a DocType's fields. Frappe leaves out of a list the fields a user may not read (their
# permission level), but would still filter, sort and group by them, which tells their values as surely.
FIELD_ARGUMENTS = (
	"fields",
	"filters",
	"or_filters",
	"current_filters",
	"fieldname",
	"field",
	"aggregate_on",
	"order_by",
	"group_by",
	"sort_by",
)

_NAME = r"(?:`[^`]+`|\w+)"
_TERM = rf"{_NAME}(?:\.{_NAME})?(?:\s+(?:asc|desc))?"
PLAIN_SORT = re.compile(rf"\s*(?:{_TERM}(?:\s*,\s*{_TERM})*)?\s*", re.IGNORECASE)


@dataclass
class Route:
	args: dict = field(default_factory=dict)  # the URL's own: DocType and name of /api/resource/…
	methods: list[str] = field(default_factory=list)  # the whitelisted methods it runs
	document: object = None  # what a REST write sends as the record


def check_request() -> None:
	request = getattr(frappe.local, "request", None)
	if not request or frappe.session.user == "Administrator":
		return
	if request.path.startswith("/private/files/"):
		check_private_file(request.path)
	form = frappe.form_dict
	check_json_arguments(form)
	route = resolve(request)
	if route.methods and (allowed := allowed_methods(frappe.session.user)) is not None:
		if refused := [method for method in route.methods if method not in allowed]:
			frappe.logger("crm_app.perimeter").info(f"refused {refused} to {frappe.session.user}")
			frappe.throw(_("Not permitted"), frappe.PermissionError)
	for method in route.methods:
		check_required_arguments(method)
	drop_server_arguments(form)
	check_sort_arguments({**form, **route.args})
	check_field_arguments({**form, **route.args})
	for doctype, name in named_records(route, form):
		if not is_visible(doctype, name):
			throw_not_found(doctype, name)
	for label, doctype, name in linked_records_of(route, form):
		if not is_visible(doctype, name):
			throw_link_not_found(label, name)
	for doctype, document in submitted_documents(route, form):
		if is_app_doctype(doctype):
			check_submitted_document(doctype, document)


def check_private_file(path: str) -> None:
	"""Frappe serves a private file to whoever may read the record it is attached to, and a customer's contact
	may read their tickets: the files the desk attached to one stay on the desk, refused exactly as Frappe
	refuses a file that does not exist."""
	user = frappe.session.user
	files = frappe.get_all(
		"File", filters={"file_url": unquote(path)}, fields=["owner", "attached_to_doctype"], limit=20
	)
	if files and all(is_desk_file_of_portal_record(file, user) for file in files):
		raise Forbidden(_("You don't have permission to access this file"))


def resolve(request) -> Route:
	form = frappe.form_dict
	if form.cmd:  # Frappe runs a `cmd` before it looks at the path, whatever the path
		return Route(methods=called_methods(form.cmd, form))
	if not request.path.startswith("/api/"):
		return Route()
	try:
		rule, args = API_URL_MAP.bind_to_environ(request.environ).match(return_rule=True)
	except HTTPException:
		return Route()  # Frappe answers unknown routes itself
	path = rule.rule.split("/", 3)[-1] if rule.rule.startswith("/api/v") else rule.rule.split("/", 2)[-1]
	if path.startswith("method/"):
		method = args.get("method") or path.removeprefix("method/")
		if doctype := args.get("doctype"):
			method = f"{doctype_module(doctype)}.{method}"
		return Route(methods=called_methods(method.split("/")[0], form))
	if "/method/" in path or form.get("run_method") or (args.get("name") and request.method == "POST"):
		doc_method = args.get("method") or form.get("run_method") or ""
		return Route(args, [f"{args['doctype']}.{doc_method}"])
	if request.method in ("POST", "PUT", "PATCH"):
		body = get_request_form_data() if path.startswith("resource/") else dict(form)
		return Route(args, document=body)
	return Route(args)


def called_methods(method: str, form) -> list[str]:
	"""The method a call names, and any it runs in turn: a controller method for run_doc_method, a search's
	query, an upload's follow-up method."""
	methods = [method]
	if method == "run_doc_method":
		doc = next(iter(as_documents(form.get("docs") or form.get("document"))), {})
		methods.append(f"{form.get('dt') or doc.get('doctype')}.{form.get('method')}")
	elif (argument := METHOD_ARGUMENTS.get(method)) and form.get(argument):
		methods.append(str(form.get(argument)))
	return methods


def doctype_module(doctype: str) -> str:
	try:
		return load_doctype_module(doctype).__name__
	except Exception:  # an unknown DocType names no method anyone may call
		frappe.clear_last_message()
		return doctype


def restriction(user: str) -> str | None:
	"""'portal' for Website users, 'desk' for users whose roles are all CRM roles, None for everyone else."""
	if user == "Guest":
		return None
	if frappe.get_cached_value("User", user, "user_type") == "Website User":
		return "portal"
	roles = set(frappe.get_roles(user)) - set(AUTOMATIC_ROLES)
	if roles <= set(frappe.get_hooks("crm_roles")):
		return "desk"
	return None


def allowed_methods(user: str) -> set[str] | None:
	"""The whitelisted methods this user may call, or None when the perimeter leaves them to Frappe."""
	kind = restriction(user)
	return set(frappe.get_hooks(f"crm_{kind}_methods")) if kind else None


def check_json_arguments(form) -> None:
	"""JSON arguments that do not parse are the caller's mistake (417), not a server error."""
	for container in argument_containers(form):
		for key in JSON_ARGUMENTS:
			value = container.get(key)
			if isinstance(value, str) and value.strip()[:1] in ("[", "{", '"'):
				json_argument(value, key)


def check_required_arguments(method: str) -> None:
	"""A call that leaves out an argument the method needs is the caller's mistake (417), not a server error."""
	try:
		fn = frappe.get_attr(frappe.override_whitelisted_method(method))
	except Exception:  # not a function (a doctype method, or a name Frappe will refuse itself)
		frappe.clear_last_message()
		return
	if missing := [name for name in required_arguments(fn) if frappe.form_dict.get(name) is None]:
		frappe.throw(_("Missing argument: {0}").format(", ".join(missing)), frappe.ValidationError)


@functools.cache
def required_arguments(fn) -> tuple[str, ...]:
	try:
		parameters = inspect.signature(fn).parameters.values()
	except (TypeError, ValueError):
		return ()
	if any(p.kind == p.VAR_KEYWORD for p in parameters):
		return ()
	return tuple(
		p.name
		for p in parameters
		if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self"
	)


def drop_server_arguments(form) -> None:
	"""What only the server may say is not taken from a client, at any depth of the call's arguments."""
	if "System Manager" in frappe.get_roles():
		return
	for container in argument_containers(form):
		for key in SERVER_ARGUMENTS:
			container.pop(key, None)


def argument_containers(form) -> list[dict]:
	"""The call's arguments, and those nested in an `args` argument (parsed in place, so the call gets them)."""
	containers = [form]
	for key in NESTED_ARGUMENTS:
		nested = form.get(key)
		if isinstance(nested, str) and nested.strip().startswith("{"):
			try:
				form[key] = nested = json.loads(nested)
			except ValueError:
				continue
		if isinstance(nested, dict):
			containers.append(nested)
	return containers


def check_sort_arguments(arguments: dict) -> None:
	if not is_app_doctype(arguments.get("doctype")):
		return
	for key in SORT_ARGUMENTS:
		value = arguments.get(key)
		if value and not (isinstance(value, str) and PLAIN_SORT.fullmatch(value)):
			frappe.throw(_("Sort and group by column names only"), frappe.ValidationError)


def check_field_arguments(arguments: dict) -> None:
	if not is_app_doctype(arguments.get("doctype")):
		return
	hidden = unreadable_fields(arguments["doctype"])
	if not hidden:
		return
	named = " ".join(
		value if isinstance(value, str) else json.dumps(value, default=str)
		for key in FIELD_ARGUMENTS
		if (value := arguments.get(key))
	)
	if re.search(rf"\b(?:{'|'.join(map(re.escape, hidden))})\b", named):
		frappe.throw(_("Not permitted"), frappe.PermissionError)


def unreadable_fields(doctype: str) -> list[str]:
	"""The fields of `doctype` at a permission level the user may not read."""
	meta = frappe.get_meta(doctype)
	levels = {field.permlevel for field in meta.fields if field.permlevel}
	if not levels:
		return []
	readable = set(meta.get_permlevel_access("read"))
	return [field.fieldname for field in meta.fields if field.permlevel and field.permlevel not in readable]


def is_app_doctype(doctype) -> bool:
	return (
		isinstance(doctype, str)
		and bool(frappe.db.exists("DocType", doctype, cache=True))
		and frappe.get_meta(doctype).module in frappe.get_module_list("crm_app")
	)


def named_records(route: Route, form):
	"""(DocType, name) of every record with row rules the request names: by argument pairs, inside nested
	arguments, and as a saved record it sends."""
	if route.args:  # /api/resource/<DocType>/<name> names its record in the URL; a body there is the record
		yield from argument_records(route.args, REFERENCE_ARGUMENTS)
	else:
		pairs = REFERENCE_ARGUMENTS + sum((METHOD_REFERENCE_ARGUMENTS.get(m, ()) for m in route.methods), ())
		for container in argument_containers(form):
			yield from argument_records(container, pairs)
	for doctype, document in submitted_documents(route, form):
		name = document.get("name")
		if (
			document is not route.document
			and not document.get("__islocal")
			and name
			and has_row_rules(doctype)
		):
			yield doctype, name


def linked_records_of(route: Route, form):
	"""(label, DocType, name) of every record with row rules that a record the request sends links to, saved or
	not, leaving out the links a saved record keeps as they are stored (it may keep a link to a record that has
	since moved out of the user's reach)."""
	for doctype, document in submitted_documents(route, form):
		name = route.args.get("name") if document is route.document else document.get("name")
		saved = name if isinstance(name, str) and not document.get("__islocal") else None
		yield from linked_records(doctype, document, stored_links(doctype, saved))


def argument_records(arguments: dict, pairs):
	for doctype_key, name_key in pairs:
		doctype, names = arguments.get(doctype_key), arguments.get(name_key)
		if isinstance(doctype, str) and names and has_row_rules(doctype):
			for name in as_names(names):
				yield doctype, name


def linked_records(doctype, document: dict, stored: dict):
	"""The records with row rules a record links to, its table rows' links included, except those it keeps."""
	if not isinstance(doctype, str) or not frappe.db.exists("DocType", doctype, cache=True):
		return
	meta = frappe.get_meta(doctype)
	links = {df.fieldname: (df.label, df.options) for df in meta.get_link_fields()}
	for name_field, doctype_field in reference_fields(doctype).items():
		links[name_field] = (meta.get_label(name_field), document.get(doctype_field))
	for fieldname, (label, target) in links.items():
		value = document.get(fieldname)
		if value and isinstance(value, str) and value != stored.get(fieldname) and has_row_rules(target):
			yield _(label, context=doctype), target, value
	for df in meta.get_table_fields():
		for row in document.get(df.fieldname) or []:
			if isinstance(row, dict):
				yield from linked_records(df.options, row, stored.get(row.get("name")) or {})


def stored_links(doctype, name: str | None) -> dict:
	"""{field: value} of a saved record's links, and {row name: {field: value}} of its table rows'."""
	if not name or not isinstance(doctype, str) or not frappe.db.exists("DocType", doctype, cache=True):
		return {}
	meta = frappe.get_meta(doctype)
	fields = [df.fieldname for df in meta.get_link_fields()] + list(reference_fields(doctype))
	stored = (frappe.db.get_value(doctype, name, fields, as_dict=True) or {}) if fields else {}
	for df in meta.get_table_fields():
		child_fields = [d.fieldname for d in frappe.get_meta(df.options).get_link_fields()]
		child_fields += list(reference_fields(df.options))
		if child_fields:
			for row in frappe.get_all(
				df.options, {"parent": name, "parenttype": doctype}, ["name", *child_fields]
			):
				stored[row.pop("name")] = row
	return stored


def submitted_documents(route: Route, form):
	"""(DocType, values) of every record the request sends: to save, or to work on unsaved."""
	if isinstance(route.document, dict):
		yield route.args.get("doctype"), route.document
	elif route.document is not None:
		frappe.throw(_("The request must carry a record"), frappe.ValidationError)
	for container in argument_containers(form):
		for key in DOCUMENT_ARGUMENTS:
			for doc in as_documents(container.get(key)):
				yield doc.get("doctype") or container.get("doctype"), doc
	if "frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs" in route.methods:
		if isinstance(values := parse_document(form.get("data")), dict):
			yield form.get("doctype"), values
	if "frappe.client.set_value" in route.methods:
		values = parse_document(form.get("fieldname"))
		yield (
			form.get("doctype"),
			values if isinstance(values, dict) else {form.get("fieldname"): form.get("value")},
		)


def has_row_rules(doctype) -> bool:
	if not isinstance(doctype, str):
		return False
	if doctype in crm_doctypes():
		return True
	return bool(frappe.db.exists("DocType", doctype, cache=True)) and bool(reference_fields(doctype))


def as_names(value) -> list:
	"""A name, or a list of names as a list or as JSON (bulk actions)."""
	if isinstance(value, str) and value.startswith("["):
		try:
			value = json.loads(value)
		except ValueError:
			return [value]
	if isinstance(value, list):
		return [item.get("name") if isinstance(item, dict) else item for item in value if item]
	return [value]


def parse_document(value):
	if isinstance(value, str):
		try:
			return json.loads(value)
		except ValueError:
			return None
	return value


def as_documents(value) -> list[dict]:
	value = parse_document(value)
	if isinstance(value, dict):
		return [value]
	if isinstance(value, list):
		return [item for item in value if isinstance(item, dict)]
	return []
