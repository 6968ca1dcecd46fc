"""Deny by default, decided once per request as soon as Frappe knows who is asking (an `auth_hooks` hook).

1. Users whose roles are all CRM roles, and Website users, call only the whitelisted methods the app lists in
   hooks (`crm_desk_methods`, `crm_portal_methods`). A method Frappe or another app adds starts closed to them.
2. A request that names a CRM record, or a row of Frappe's side tables about one, answers "not found" unless
   the user may see it, so a hidden record and a missing one give the same status and the same message.
3. Sort and group clauses sent for the app's DocTypes are column names, never SQL.
"""

import json
import re

import frappe
from frappe import _
from frappe.api import API_URL_MAP
from frappe.modules.utils import load_doctype_module
from frappe.permissions import AUTOMATIC_ROLES
from werkzeug.exceptions import HTTPException

from crm_app.permissions import crm_doctypes, is_visible, reference_fields, throw_not_found

# (DocType argument, name argument) pairs by which Frappe's whitelisted methods name a record.
REFERENCE_ARGUMENTS = (
	("doctype", "name"),
	("doctype", "docname"),
	("doctype", "doc_name"),
	("doctype", "docnames"),
	("doctype", "items"),
	("dt", "dn"),
	("dt", "docs"),
	("reference_doctype", "reference_name"),
	("ref_doctype", "docname"),
	("ref_doctype", "ref_docname"),
	("attached_to_doctype", "attached_to_name"),
	("doc", "name"),
)
# Arguments that carry a whole document (savedocs, apply_workflow, run_doc_method).
DOCUMENT_ARGUMENTS = ("doc", "docs", "document")
SORT_ARGUMENTS = ("order_by", "group_by", "sort_by", "sort_order")

_NAME = r"(?:`[^`]+`|\w+)"
_TERM = rf"{_NAME}(?:\.{_NAME})?(?:\s+(?:asc|desc))?"
PLAIN_SORT = re.compile(rf"\s*(?:{_TERM}(?:\s*,\s*{_TERM})*)?\s*", re.IGNORECASE)


def check_request() -> None:
	request = getattr(frappe.local, "request", None)
	if not request or frappe.session.user == "Administrator":
		return
	route_args, methods = resolve(request)
	if methods and (allowed := allowed_methods(frappe.session.user)) is not None:
		if refused := [method for method in methods if method not in allowed]:
			frappe.logger("crm_app.perimeter").info(f"refused {refused} to {frappe.session.user}")
			frappe.throw(_("Not permitted"), frappe.PermissionError)
	check_sort_arguments({**frappe.form_dict, **route_args})
	# /api/resource/<DocType>/<name> names its record in the URL; a body there is a document, not arguments
	for doctype, name in named_records(route_args or frappe.form_dict):
		if not is_visible(doctype, name):
			throw_not_found(doctype, name)


def resolve(request) -> tuple[dict, list[str]]:
	"""The URL's own arguments (DocType and name of /api/resource/…) and the whitelisted methods it runs."""
	form = frappe.form_dict
	if not request.path.startswith("/api/"):
		return {}, with_document_method([form.cmd] if form.cmd else [], form)
	try:
		rule, args = API_URL_MAP.bind_to_environ(request.environ).match(return_rule=True)
	except HTTPException:
		return {}, []  # Frappe answers unknown routes itself
	path = rule.rule.split("/", 3)[-1] if rule.rule.startswith("/api/v") else rule.rule.split("/", 2)[-1]
	if path.startswith("method/"):
		method = args.get("method") or path.removeprefix("method/")
		if doctype := args.get("doctype"):
			method = f"{doctype_module(doctype)}.{method}"
		return {}, with_document_method([method.split("/")[0]], form)
	if (
		"/method/" in path
		or form.get("run_method")
		or (path.startswith("resource/") and request.method == "POST")
	):
		if args.get("name"):
			doc_method = args.get("method") or form.get("run_method") or ""
			return args, [f"{args['doctype']}.{doc_method}"]
	return args, []


def doctype_module(doctype: str) -> str:
	try:
		return load_doctype_module(doctype).__name__
	except Exception:  # an unknown DocType names no method anyone may call
		frappe.clear_last_message()
		return doctype


def with_document_method(methods: list[str], form) -> list[str]:
	"""run_doc_method runs a controller method; both must be allowed."""
	if "run_doc_method" not in methods:
		return methods
	doc = parse_document(form.get("docs") or form.get("document"))
	doctype = form.get("dt") or (doc or {}).get("doctype")
	return [*methods, f"{doctype}.{form.get('method')}"]


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


def check_sort_arguments(arguments: dict) -> None:
	if not is_app_doctype(arguments.get("doctype")):
		return
	for key in SORT_ARGUMENTS:
		value = arguments.get(key)
		if value and not (isinstance(value, str) and PLAIN_SORT.fullmatch(value)):
			frappe.throw(_("Sort and group by column names only"), frappe.ValidationError)


def is_app_doctype(doctype) -> bool:
	return (
		isinstance(doctype, str)
		and bool(frappe.db.exists("DocType", doctype, cache=True))
		and frappe.get_meta(doctype).module in frappe.get_module_list("crm_app")
	)


def named_records(arguments: dict):
	"""(DocType, name) of every record the arguments name that has row rules."""
	for doctype_key, name_key in REFERENCE_ARGUMENTS:
		doctype, names = arguments.get(doctype_key), arguments.get(name_key)
		if isinstance(doctype, str) and names and has_row_rules(doctype):
			for name in as_names(names):
				yield doctype, name
	for key in DOCUMENT_ARGUMENTS:
		for doc in as_documents(arguments.get(key)):
			doctype, name = doc.get("doctype"), doc.get("name")
			if isinstance(doctype, str) and name and not doc.get("__islocal") and has_row_rules(doctype):
				yield doctype, name


def has_row_rules(doctype: str) -> bool:
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
