"""Deny by default, decided once per request as soon as Frappe knows who is asking (an `auth_hooks` hook).

1. Users whose roles are all CRM roles, and Website users, call only the whitelisted methods the app lists in
   hooks (`crm_desk_methods`, `crm_portal_methods`). A method Frappe or another app adds starts closed to them.
2. A request that names a CRM record, or a row of Frappe's side tables about one, answers "not found" unless
   the user may see it, so a hidden record and a missing one give the same status and the same message.
3. Sort and group clauses sent for the app's DocTypes are column names, never SQL.
"""

import functools
import inspect
import json
import re
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.api import API_URL_MAP
from frappe.api.v1 import get_request_form_data
from frappe.modules.utils import load_doctype_module
from frappe.permissions import AUTOMATIC_ROLES
from werkzeug.exceptions import HTTPException

from crm_app.permissions import crm_doctypes, is_visible, reference_fields, throw_not_found
from crm_app.validation import check_submitted_document

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


@dataclass
class Route:
	args: dict = field(default_factory=dict)  # the URL's own: DocType and name of /api/resource/…
	methods: list[str] = field(default_factory=list)  # the whitelisted methods it runs
	document: object = None  # what a REST write sends as the record


def check_request() -> None:
	request = getattr(frappe.local, "request", None)
	if not request or frappe.session.user == "Administrator":
		return
	route = resolve(request)
	if route.methods and (allowed := allowed_methods(frappe.session.user)) is not None:
		if refused := [method for method in route.methods if method not in allowed]:
			frappe.logger("crm_app.perimeter").info(f"refused {refused} to {frappe.session.user}")
			frappe.throw(_("Not permitted"), frappe.PermissionError)
	for method in route.methods:
		check_required_arguments(method)
	check_sort_arguments({**frappe.form_dict, **route.args})
	# /api/resource/<DocType>/<name> names its record in the URL; a body there is a document, not arguments
	for doctype, name in named_records(route.args or frappe.form_dict):
		if not is_visible(doctype, name):
			throw_not_found(doctype, name)
	for doctype, document in submitted_documents(route):
		if is_app_doctype(doctype):
			check_submitted_document(doctype, document)


def resolve(request) -> Route:
	form = frappe.form_dict
	if not request.path.startswith("/api/"):
		return Route(methods=with_document_method([form.cmd] if form.cmd else [], form))
	try:
		rule, args = API_URL_MAP.bind_to_environ(request.environ).match(return_rule=True)
	except HTTPException:
		return Route()  # Frappe answers unknown routes itself
	path = rule.rule.split("/", 3)[-1] if rule.rule.startswith("/api/v") else rule.rule.split("/", 2)[-1]
	if path.startswith("method/"):
		method = args.get("method") or path.removeprefix("method/")
		if doctype := args.get("doctype"):
			method = f"{doctype_module(doctype)}.{method}"
		return Route(methods=with_document_method([method.split("/")[0]], form))
	if "/method/" in path or form.get("run_method") or (args.get("name") and request.method == "POST"):
		doc_method = args.get("method") or form.get("run_method") or ""
		return Route(args, [f"{args['doctype']}.{doc_method}"])
	if request.method in ("POST", "PUT", "PATCH"):
		body = get_request_form_data() if path.startswith("resource/") else dict(form)
		return Route(args, document=body)
	return Route(args)


def submitted_documents(route: Route):
	"""(DocType, values) of every record the request sends to be saved."""
	if route.document is not None:
		yield route.args.get("doctype"), route.document
	form = frappe.form_dict
	for key in DOCUMENT_ARGUMENTS:
		for doc in as_documents(form.get(key)):
			yield doc.get("doctype"), doc
	if "frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs" in route.methods:
		if values := parse_document(form.get("data")):
			yield form.get("doctype"), values
	if "frappe.client.set_value" in route.methods:
		values = parse_document(form.get("fieldname"))
		yield (
			form.get("doctype"),
			values if isinstance(values, dict) else {form.get("fieldname"): form.get("value")},
		)


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
