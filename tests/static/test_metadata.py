"""Static checks of the app's metadata: DocType JSON, workflows, hooks and import rules.

Plain Python and pytest, no frappe: these run in any CI venv. The validators live in checks.py, and
test_validators.py proves each of them fails on a broken definition.
"""

import ast
import json

import pytest

from tests.static import checks


def assert_no_problems(problems: list[str]) -> None:
	assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def each_doctype(check, *args) -> list[str]:
	return [problem for dt in checks.app_doctypes().values() for problem in check(dt, *args)]


def python_files(folder):
	return sorted(path for path in folder.rglob("*.py") if "__pycache__" not in path.parts)


def test_app_doctypes_are_found():
	"""Guards every other test here against passing on nothing because a path or glob went wrong."""
	doctypes = checks.app_doctypes()
	assert len(doctypes) >= 10, f"only {len(doctypes)} DocTypes found under {checks.APP_DIR}"
	assert "CRM Customer" in doctypes


# 1. Files and folders


def test_doctype_json_loads_and_sits_in_its_module_folder_with_its_files():
	assert_no_problems(checks.check_doctype_files())


def test_modules_txt_modules_are_packages():
	assert_no_problems(checks.check_module_folders())


# 2. Fields


def test_field_order_matches_unique_fieldnames_of_valid_fieldtypes():
	assert_no_problems(each_doctype(checks.check_fields))


def test_field_properties_pass_frappe_field_validation():
	assert_no_problems(each_doctype(checks.check_field_properties))


def test_fetch_from_names_a_field_of_the_linked_doctype():
	assert_no_problems(each_doctype(checks.check_fetch_from_targets, checks.app_doctypes()))


# 3. Links and tables


def test_link_and_table_options_point_at_existing_doctypes():
	assert_no_problems(
		each_doctype(
			checks.check_link_options,
			checks.app_doctypes(),
			checks.frappe_doctypes(),
			checks.frappe_child_doctypes(),
		)
	)


# 4. Permissions


def test_permission_roles_exist_and_all_or_guest_are_never_granted():
	assert_no_problems(each_doctype(checks.check_permission_roles, checks.known_roles()))


def test_permission_rows_pass_frappe_permission_validation():
	assert_no_problems(each_doctype(checks.check_permission_rows))


def test_defaults_name_existing_roles_doctypes_and_fields():
	from crm_app import defaults

	doctypes, roles = checks.app_doctypes(), checks.known_roles()
	problems = [f"ADMIN_ROLES: unknown role {role!r}" for role in defaults.ADMIN_ROLES if role not in roles]
	if defaults.MANAGER_ROLE not in defaults.ROLES:
		problems.append(f"MANAGER_ROLE {defaults.MANAGER_ROLE!r} is not in ROLES")
	for role, names in defaults.ROLES_SEEING_ALL.items():
		if role not in defaults.ROLES:
			problems.append(f"ROLES_SEEING_ALL: {role!r} is not in ROLES")
		problems += [
			f"ROLES_SEEING_ALL[{role!r}]: no DocType {name!r}" for name in names if name not in doctypes
		]
	opportunity = doctypes.get("CRM Opportunity")
	for stage, *_, requirements in getattr(defaults, "SALES_STAGES", ()):
		for kind, *args in requirements:
			if kind == "Field" and opportunity and not opportunity.field(args[0]):
				problems.append(f"SALES_STAGES {stage}: CRM Opportunity has no field {args[0]!r}")
			elif kind == "Linked Document":
				linked = doctypes.get(args[0])
				if not linked:
					problems.append(f"SALES_STAGES {stage}: no DocType {args[0]!r}")
				elif args[1] and not linked.is_submittable:
					problems.append(f"SALES_STAGES {stage}: {args[0]} is never submitted")
	assert_no_problems(problems)


# 5. Naming


def test_naming_rules_are_valid():
	assert_no_problems(each_doctype(checks.check_naming))


def test_submittable_doctypes_have_amended_from_linking_to_themselves():
	assert_no_problems(each_doctype(checks.check_amendment))


# 6. Workflows


def test_workflow_files_are_valid():
	"""Checks every crm_app/workflows/*.json; with none there is nothing to check (the validator itself is
	proven by test_validators.py::test_workflow_validator_*)."""
	problems = []
	names = {}
	for path in sorted(checks.WORKFLOWS_DIR.glob("*.json")):
		try:
			definition = checks.read_json(path)
		except ValueError as e:
			problems.append(f"{path.name}: does not load as JSON ({e})")
			continue
		problems += [
			f"{path.name}: {problem}"
			for problem in checks.check_workflow(definition, checks.app_doctypes(), checks.known_roles())
		]
		name = definition.get("name") if isinstance(definition, dict) else None
		if name in names:
			problems.append(f"{path.name}: workflow name {name!r} is also used by {names[name]}")
		names[name] = path.name
	assert_no_problems(problems)


# 7. hooks.py


def test_hook_dotted_paths_resolve_without_importing_them():
	bench = checks.bench_path()
	frappe_root = bench / "apps" / "frappe" if bench else None
	assert_no_problems(
		checks.check_hook_paths(checks.hook_values(checks.hooks_module()), frappe_root=frappe_root)
	)


def test_hooks_name_existing_doctypes_and_indexed_fields():
	assert_no_problems(
		checks.check_hook_doctypes(
			checks.hook_values(checks.hooks_module()), checks.app_doctypes(), checks.frappe_doctypes()
		)
	)


# 8. Imports


def test_domain_modules_never_import_frappe():
	files = python_files(checks.APP_DIR / "domain")
	assert files, "no crm_app/domain modules found"
	assert_no_problems(
		[p for path in files for p in checks.check_domain_imports(path, path.read_text(encoding="utf-8"))]
	)


def test_only_the_api_package_imports_crm_app_api():
	files = python_files(checks.APP_DIR)
	assert_no_problems(
		[p for path in files for p in checks.check_api_imports(path, path.read_text(encoding="utf-8"))]
	)


# The built-in Frappe lists, checked against a real Frappe source when a bench is around.


@pytest.mark.skipif(not checks.bench_path(), reason="no Frappe bench to compare with")
def test_builtin_frappe_lists_match_the_bench():
	bench_doctypes = checks.bench_frappe_doctypes()
	problems = [
		f"FRAPPE_DOCTYPES: {n!r} is not a non-child DocType in the bench"
		for n in sorted(checks.FRAPPE_DOCTYPES)
		if bench_doctypes.get(n) is not False
	]
	problems += [
		f"FRAPPE_CHILD_DOCTYPES: {n!r} is not a child DocType in the bench"
		for n in sorted(checks.FRAPPE_CHILD_DOCTYPES)
		if bench_doctypes.get(n) is not True
	]
	frappe_dir = checks.bench_path() / "apps" / "frappe" / "frappe"
	roles = set()
	for path in frappe_dir.glob("**/doctype/*/*.json"):
		data = json.loads(path.read_text(encoding="utf-8"))
		if checks.is_doctype_json(data):
			roles |= {row.get("role") for row in data.get("permissions") or []}
	for source in ("permissions.py", "utils/install.py"):
		tree = ast.parse((frappe_dir / source).read_text(encoding="utf-8"))
		roles |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
	problems += [
		f"FRAPPE_STANDARD_ROLES: {r!r} is not a role of the bench's Frappe"
		for r in sorted(checks.FRAPPE_STANDARD_ROLES - roles)
	]
	assert_no_problems(problems)


# 9. Templates


def test_templates_escape_what_users_typed():
	templates = list(checks.app_templates())
	assert len(templates) >= 5, "too few templates found"
	assert_no_problems([p for where, text in templates for p in checks.check_template_escaping(where, text)])
