"""Find every string the app shows to users, so the zh translation can be checked for gaps. No frappe needed.

Frappe translates by exact lookup: `_("text")` in Python and Jinja, `__("text")` in JavaScript, and the desk
passes DocType names, field labels, descriptions, Select options, role names, report names, workspace labels
and workflow states through the same dictionary. Each `*_messages` function below reads one kind of source and
yields `Message`s; `app_messages()` runs them all over the app. The rules mirror Frappe v15's own extractors
(frappe/gettext/extractors/*.py) and its runtime: Python's `_()` strips HTML tags and surrounding whitespace
before the lookup, JavaScript's `__()` looks the text up exactly as written.

Strings that need no entry: ones with no Latin letter once `{0}`-style placeholders are removed (numbers,
punctuation, bare placeholders), and ones that already contain Chinese characters.
"""

from __future__ import annotations

import ast
import csv
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
APP_DIR = REPO_ROOT / "crm_app"
ZH_CSV = APP_DIR / "translations" / "zh.csv"

# Folders that hold generated or third-party files, never sources.
SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "dist"})

# Select fields whose options are codes rather than words (frappe/gettext/extractors/doctype.py).
CODE_SELECT_FIELDS = frozenset(
	{"naming_series", "number_format", "float_precision", "currency_precision", "minimum_password_score"}
)

PLACEHOLDER = re.compile(r"\{[^{}\s]*\}|%(?:\([A-Za-z_]\w*\))?[sd]")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
HTML_TAG = re.compile(r"<[^<>]+>")
LATIN_LETTER = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class Message:
	text: str
	origin: str  # where it was found, for the failure report: "path:line" or "path: what"


def needs_translation(text: str) -> bool:
	if not text or CJK.search(text):
		return False
	return bool(LATIN_LETTER.search(PLACEHOLDER.sub("", text)))


def placeholders(text: str) -> Counter:
	"""The `{0}`, `{name}`, `%s` placeholders of a string, counted: a translation must keep every one."""
	return Counter(PLACEHOLDER.findall(text))


def server_key(text: str) -> str:
	"""The key Python's `frappe._` looks up: HTML tags removed, then surrounding whitespace."""
	if HTML_TAG.search(text):
		text = HTML_TAG.sub("", text)
	return text.strip()


# --------------------------------------------------------------------------------------------------------------
# Metadata JSON


def doctype_messages(data: dict, origin: str = "") -> Iterator[Message]:
	"""DocType name and description; each field's label and description; each option of a Select field."""
	name = data.get("name", "")
	yield Message(name, f"{origin}: DocType name")
	if data.get("description"):
		yield Message(data["description"], f"{origin}: DocType description")
	for field in data.get("fields", []):
		what = f"{origin}: field {field.get('fieldname')}"
		if field.get("label"):
			yield Message(field["label"], f"{what} label")
		if field.get("description"):
			yield Message(field["description"], f"{what} description")
		if field.get("fieldtype") == "Select" and field.get("fieldname") not in CODE_SELECT_FIELDS:
			options = [option for option in (field.get("options") or "").split("\n") if option.strip()]
			if options and "icon" in options[0]:
				continue
			for option in options:
				yield Message(option, f"{what} option")
	for link in data.get("links", []):
		if link.get("group"):
			yield Message(link["group"], f"{origin}: connections group")
	for permission in data.get("permissions", []):
		if permission.get("role"):
			yield Message(permission["role"], f"{origin}: role")


def report_messages(data: dict, origin: str = "") -> Iterator[Message]:
	if data.get("report_name"):
		yield Message(data["report_name"], f"{origin}: report name")


def workspace_messages(data: dict, origin: str = "") -> Iterator[Message]:
	"""Workspace label and title, chart, number card, link, card and shortcut labels, and header texts."""
	for key in ("label", "title"):
		if data.get(key):
			yield Message(data[key], f"{origin}: workspace {key}")
	for table in ("charts", "number_cards", "links", "shortcuts", "quick_lists", "custom_blocks"):
		for row in data.get(table, []):
			if row.get("label"):
				yield Message(row["label"], f"{origin}: {table} label")
			if row.get("description"):
				yield Message(row["description"], f"{origin}: {table} description")
	# Header and paragraph blocks: the desk translates the text inside the markup (blocks/header.js).
	for block in json.loads(data.get("content") or "[]"):
		if block.get("type") in ("header", "paragraph"):
			text = server_key(block.get("data", {}).get("text") or "")
			if text:
				yield Message(text, f"{origin}: {block['type']} block")


def number_card_messages(data: dict, origin: str = "") -> Iterator[Message]:
	if data.get("label"):
		yield Message(data["label"], f"{origin}: number card label")


def dashboard_chart_messages(data: dict, origin: str = "") -> Iterator[Message]:
	if data.get("chart_name"):
		yield Message(data["chart_name"], f"{origin}: chart name")


def notification_messages(data: dict, origin: str = "") -> Iterator[Message]:
	"""The subject and message are Jinja: their `_("...")` calls are the translatable parts."""
	for key in ("subject", "message"):
		yield from jinja_messages(data.get(key) or "", f"{origin} {key}")


def print_format_messages(data: dict, origin: str = "") -> Iterator[Message]:
	yield from jinja_messages(data.get("html") or "", f"{origin} html")


def workflow_messages(data: dict, origin: str = "") -> Iterator[Message]:
	"""The desk shows workflow states and action buttons translated."""
	for state in data.get("states", []):
		if state.get("state"):
			yield Message(state["state"], f"{origin}: workflow state")
		if state.get("message"):
			yield Message(state["message"], f"{origin}: workflow state message")
	for transition in data.get("transitions", []):
		if transition.get("action"):
			yield Message(transition["action"], f"{origin}: workflow action")


# --------------------------------------------------------------------------------------------------------------
# Code


# `_(` not preceded by a name character, a dot or another underscore, then one quoted literal.
JINJA_CALL = re.compile(r"""(?<![\w.])_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*[,)]""", re.S)


def _unescape(text: str) -> str:
	return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def jinja_messages(source: str, origin: str = "") -> Iterator[Message]:
	"""Literal first arguments of `_("...")` / `_('...')` in a Jinja template."""
	for match in JINJA_CALL.finditer(source):
		raw = match.group(1) if match.group(1) is not None else match.group(2)
		line = source.count("\n", 0, match.start()) + 1
		yield Message(server_key(_unescape(raw)), f"{origin}:{line}")


def _literal_string(node: ast.AST) -> str | None:
	"""The value of a string literal, including `"a" "b"` (one Constant in the AST) and `"a" + "b"`."""
	if isinstance(node, ast.Constant) and isinstance(node.value, str):
		return node.value
	if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
		left, right = _literal_string(node.left), _literal_string(node.right)
		if left is not None and right is not None:
			return left + right
	return None


def _called_name(node: ast.Call) -> str | None:
	if isinstance(node.func, ast.Name):
		return node.func.id
	if isinstance(node.func, ast.Attribute):
		return node.func.attr
	return None


def python_messages(
	source: str, origin: str = "", functions: Iterable[str] = ("_", "_lt")
) -> Iterator[Message]:
	"""Literal first arguments of calls to `functions` (by bare or dotted name) in Python source."""
	functions = frozenset(functions)
	calls = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)]
	for node in sorted(calls, key=lambda call: (call.lineno, call.col_offset)):
		if node.args and _called_name(node) in functions:
			text = _literal_string(node.args[0])
			if text is not None:
				yield Message(server_key(text), f"{origin}:{node.lineno}")


def _skip_space_and_comments(source: str, i: int) -> int:
	while i < len(source):
		if source[i].isspace():
			i += 1
		elif source.startswith("//", i):
			end = source.find("\n", i)
			i = len(source) if end < 0 else end
		elif source.startswith("/*", i):
			end = source.find("*/", i + 2)
			i = len(source) if end < 0 else end + 2
		else:
			break
	return i


def _js_string(source: str, i: int) -> tuple[str | None, int]:
	"""Read the JS string literal at `source[i]`; `None` for a template literal with `${}` substitutions."""
	quote = source[i]
	out, i = [], i + 1
	while i < len(source) and source[i] != quote:
		if source[i] == "\\" and i + 1 < len(source):
			escaped = source[i + 1]
			if escaped == "u" and re.match(r"[0-9a-fA-F]{4}", source[i + 2 : i + 6]):
				out.append(chr(int(source[i + 2 : i + 6], 16)))
				i += 6
				continue
			if escaped != "\n":  # a backslash before a newline continues the line
				out.append({"n": "\n", "t": "\t", "r": "\r"}.get(escaped, escaped))
			i += 2
			continue
		if quote == "`" and source.startswith("${", i):
			end = source.find("`", i)
			return None, (len(source) if end < 0 else end + 1)
		out.append(source[i])
		i += 1
	return "".join(out), i + 1


JS_CALL = re.compile(r"(?<![\w$.])__\(")


def js_messages(source: str, origin: str = "") -> Iterator[Message]:
	"""Literal first arguments of `__("...")`, `__('...')` and `` __(`...`) `` (no `${}`) in JavaScript.

	`"a" + "b"` is joined. A first argument that is anything else (a variable, `"a" + x`) is not a literal and is
	skipped: what it holds must be translated where it comes from (a Select option, a label).
	"""
	for match in JS_CALL.finditer(source):
		i = _skip_space_and_comments(source, match.end())
		parts = []
		while i < len(source) and source[i] in "\"'`":
			text, i = _js_string(source, i)
			if text is None:
				parts = None
				break
			parts.append(text)
			i = _skip_space_and_comments(source, i)
			if i < len(source) and source[i] == "+":
				i = _skip_space_and_comments(source, i + 1)
			else:
				break
		if parts and i < len(source) and source[i] in ",)":
			line = source.count("\n", 0, match.start()) + 1
			yield Message("".join(parts), f"{origin}:{line}")


def constant_strings(source: str, name: str, index: int | None = None) -> list[str]:
	"""The strings of a module-level constant: a string, a tuple/list/set of them, or a dict's values.

	With `index`, each item is a tuple and the string is taken at that position.
	"""
	for node in ast.parse(source).body:
		targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
		if isinstance(node, ast.Assign | ast.AnnAssign) and any(
			getattr(t, "id", None) == name for t in targets
		):
			value = node.value
			if isinstance(value, ast.Dict):
				items = value.values
			elif isinstance(value, ast.Tuple | ast.List | ast.Set):
				items = value.elts
			else:
				items = [value]
			if index is not None:
				items = [item.elts[index] for item in items if isinstance(item, ast.Tuple | ast.List)]
			return [text for text in map(_literal_string, items) if text is not None]
	raise LookupError(f"{name} is not assigned at module level")


# --------------------------------------------------------------------------------------------------------------
# The whole app


# Strings that reach _() or __() through a variable, so no call shows them: (file in the app, module-level
# constant, position in each item or None). A constant named here that disappears fails the test, so the
# table cannot silently go stale; add a line when new code translates labels kept in a constant.
TRANSLATED_CONSTANTS = (
	("defaults.py", "ROLES", None),  # role names, shown translated wherever the desk lists roles
	("domain/completeness.py", "CHECKS", 1),  # column labels of the data-completeness report
	("customers/duplicates.py", "UNIQUE_IDENTIFIERS", None),  # field named in duplicate errors
	("validation.py", "IDENTIFIER_NORMALIZERS", 1),  # field named in front of validation errors
	("sales_pipeline/doctype/crm_sales_stage/crm_sales_stage.py", "KANBAN_BOARD", None),  # kanban page title
)


def _files(pattern: str, app_dir: Path) -> list[Path]:
	return sorted(p for p in app_dir.glob(pattern) if not SKIPPED_DIRS & set(p.relative_to(app_dir).parts))


def _json_messages(pattern: str, extractor, app_dir: Path) -> Iterator[Message]:
	for path in _files(pattern, app_dir):
		data = json.loads(path.read_text(encoding="utf-8"))
		if isinstance(data, dict):
			yield from extractor(data, str(path.relative_to(app_dir.parent)))


def app_messages(app_dir: Path = APP_DIR, constants=TRANSLATED_CONSTANTS) -> list[Message]:
	"""Every translatable string in the app, in file order; the same text may appear more than once."""

	def rel(path: Path) -> str:
		return str(path.relative_to(app_dir.parent))

	messages: list[Message] = []
	messages += _json_messages("*/doctype/*/*.json", doctype_messages, app_dir)
	messages += _json_messages("*/report/*/*.json", report_messages, app_dir)
	messages += _json_messages("*/workspace/*/*.json", workspace_messages, app_dir)
	messages += _json_messages("*/number_card/*/*.json", number_card_messages, app_dir)
	messages += _json_messages("*/dashboard_chart/*/*.json", dashboard_chart_messages, app_dir)
	messages += _json_messages("*/notification/*/*.json", notification_messages, app_dir)
	messages += _json_messages("*/print_format/*/*.json", print_format_messages, app_dir)
	messages += _json_messages("workflows/*.json", workflow_messages, app_dir)

	for relative, constant, index in constants:
		path = app_dir / relative
		source = path.read_text(encoding="utf-8")
		messages += [
			Message(text, f"{rel(path)}: {constant}") for text in constant_strings(source, constant, index)
		]

	# Module names show in the desk (module filters, Module Def); the app title in the apps switcher.
	modules = app_dir / "modules.txt"
	if modules.exists():
		for module in modules.read_text(encoding="utf-8").splitlines():
			if module.strip():
				messages.append(Message(module.strip(), f"{rel(modules)}: module"))
	hooks = app_dir / "hooks.py"
	if hooks.exists():
		for node in ast.parse(hooks.read_text(encoding="utf-8")).body:
			if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "app_title":
				messages.append(Message(ast.literal_eval(node.value), f"{rel(hooks)}: app_title"))

	# Templates: Jinja's _() on the server, and __() in client-side templates and inline scripts.
	for path in _files("**/*.html", app_dir):
		source = path.read_text(encoding="utf-8")
		messages += jinja_messages(source, rel(path))
		messages += js_messages(source, rel(path))

	for path in _files("**/*.py", app_dir):
		source = path.read_text(encoding="utf-8")
		messages += python_messages(source, rel(path))
		if path.parent == app_dir / "domain":
			# English templates that callers translate with _(error.message).
			messages += python_messages(source, rel(path), functions=("DomainError",))

	for path in _files("**/*.js", app_dir):
		messages += js_messages(path.read_text(encoding="utf-8"), rel(path))

	return [message for message in messages if needs_translation(message.text)]


# --------------------------------------------------------------------------------------------------------------
# The translation file


@dataclass(frozen=True)
class Translation:
	source: str
	translation: str
	context: str
	line: int  # the row's number in the file, counting rows rather than physical lines
	columns: int = 2


def read_translations(path: Path = ZH_CSV) -> list[Translation]:
	"""Rows of a Frappe v15 translation CSV, read the way frappe.translate.read_csv_file reads them."""
	rows = []
	with open(path, encoding="utf-8", newline="") as file:
		for row in csv.reader(file):
			if not row:
				continue
			translation, context = (row[1] if len(row) > 1 else ""), (row[2] if len(row) > 2 else "")
			rows.append(Translation(row[0], translation, context, len(rows) + 1, len(row)))
	return rows


def translation_problems(rows: list[Translation]) -> list[str]:
	"""Malformed rows, empty translations, placeholders that differ, the same key translated twice."""
	problems = []
	seen: dict[tuple[str, str], Translation] = {}
	for row in rows:
		where = f"row {row.line} {row.source!r}"
		if row.columns not in (2, 3):
			problems.append(f"{where}: {row.columns} columns; Frappe reads only source,translation[,context]")
		if not row.source:
			problems.append(f"{where}: empty source")
		if not row.translation.strip():
			problems.append(f"{where}: empty translation")
		elif placeholders(row.source) != placeholders(row.translation):
			problems.append(
				f"{where}: placeholders {sorted(placeholders(row.source).elements())} in the source but "
				f"{sorted(placeholders(row.translation).elements())} in {row.translation!r}"
			)
		key = (row.source, row.context)
		if key in seen and seen[key].translation != row.translation:
			problems.append(f"{where}: translated twice, also on row {seen[key].line}")
		seen.setdefault(key, row)
	return problems


def missing_translations(messages: Iterable[Message], rows: Iterable[Translation]) -> dict[str, list[str]]:
	"""Message text -> where it is used, for each text with no context-free row in the translation file."""
	translated = {row.source for row in rows if not row.context and row.translation.strip()}
	missing: dict[str, list[str]] = {}
	for message in messages:
		if message.text not in translated:
			missing.setdefault(message.text, []).append(message.origin)
	return missing
