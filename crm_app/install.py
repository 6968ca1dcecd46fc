"""Install and migrate hooks: roles, China defaults, seed records and declared workflows."""

import json
from pathlib import Path

import frappe
from frappe.custom.doctype.property_setter.property_setter import make_property_setter

from crm_app.analytics.product_sales import start_counting as start_counting_product_sales
from crm_app.customers.search import create_table as create_search_table
from crm_app.customers.search import drop_table as drop_search_table
from crm_app.defaults import (
	BANT_WEIGHTS,
	HOLIDAY_CALENDAR,
	INDUSTRIES,
	KNOWLEDGE_CATEGORIES,
	LOST_REASONS,
	PORTAL_ROLE,
	ROLES,
	SALES_STAGES,
	SERVICE_AT_RISK_PERCENT,
	SERVICE_DAYS,
	SERVICE_HOURS,
	SERVICE_LEVEL,
	SERVICE_TARGETS,
	SOURCE_CHANNELS,
	TAG_RULES,
	TAGS,
)
from crm_app.domain.rfm import DEFAULT_RULES
from crm_app.follow_ups import (
	FOLLOW_UP_FIELDS,
	drop_follow_up_index,
	index_follow_ups,
	install_follow_up_field,
)
from crm_app.sales_pipeline.doctype.crm_sales_stage.crm_sales_stage import KANBAN_BOARD, sync_kanban_columns
from crm_app.sales_pipeline.pool import LEAD_ASSIGNMENT_CONDITION, LEAD_ASSIGNMENT_RULE, salespeople
from crm_app.service.doctype.crm_holiday_calendar.crm_holiday_calendar import install_china_calendar
from crm_app.service.knowledge import create_table as create_knowledge_table
from crm_app.service.knowledge import drop_table as drop_knowledge_table

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

WORKFLOWS_DIR = Path(__file__).parent / "workflows"


def after_install():
	after_migrate()
	hide_error_tracebacks()
	set_china_defaults()
	seed_records()
	seed_pipeline()
	seed_service_levels()
	start_counting_product_sales()


def after_migrate():
	create_search_table()
	create_knowledge_table()
	ensure_roles()
	install_follow_up_field()
	index_follow_ups()
	grant_frappe_rights()
	sync_workflows()
	show_people_by_name()
	warn_if_desk_bundle_missing()


def show_people_by_name():
	"""Links to users show the person's name rather than their e-mail address: 销售负责人 in lists and forms,
	owners on kanban cards, assignees in reports. Set once; an administrator may turn it off again."""
	if frappe.db.exists("Property Setter", {"doc_type": "User", "property": "show_title_field_in_link"}):
		return
	make_property_setter(
		"User",
		None,
		"show_title_field_in_link",
		1,
		"Check",
		for_doctype=True,
		validate_fields_for_doctype=False,
	)


def warn_if_desk_bundle_missing():
	"""The desk's buttons and pickers come from the app's script bundle, which `bench get-app` builds but an app
	linked into apps/ by hand does not."""
	if "crm_app.bundle.js" not in (frappe.utils.get_assets_json() or {}):
		print("crm_app: the desk scripts are not built yet; run `bench build --app crm_app`")


def before_uninstall():
	drop_search_table()
	drop_knowledge_table()
	frappe.db.delete("Property Setter", {"doc_type": "User", "property": "show_title_field_in_link"})
	for field in FOLLOW_UP_FIELDS:
		frappe.delete_doc_if_exists("Custom Field", f"ToDo-{field}", force=True)
	drop_follow_up_index()
	frappe.db.delete("Custom DocPerm", {"role": ("in", ROLES)})
	frappe.delete_doc_if_exists("Kanban Board", KANBAN_BOARD, force=True)
	frappe.delete_doc_if_exists("Assignment Rule", LEAD_ASSIGNMENT_RULE, force=True)
	for workflow in workflow_definitions():
		frappe.delete_doc_if_exists("Workflow", workflow["name"], force=True)
	for role in ROLES:
		frappe.db.delete("Has Role", {"role": role})
		frappe.delete_doc_if_exists("Role", role, force=True)


def ensure_roles():
	for role in ROLES:
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
				ignore_permissions=True
			)
	# the portal role may exist already, made with desk access when a DocType's permissions named it
	frappe.db.set_value("Role", PORTAL_ROLE, "desk_access", 0)


# Frappe features CRM roles use: admins configure who gets leads, which alerts go out and the e-mail wording;
# managers and admins import customers and leads from Excel.
CONFIGURE = ("read", "write", "create", "delete", "report")
IMPORT = ("read", "write", "create")
FRAPPE_RIGHTS = {
	("Assignment Rule", "CRM Admin"): CONFIGURE,
	("Notification", "CRM Admin"): CONFIGURE,
	("Email Template", "CRM Admin"): CONFIGURE,
	("Kanban Board", "CRM Admin"): CONFIGURE,
	("Data Import", "CRM Admin"): IMPORT,
	("Data Import", "CRM Sales Manager"): IMPORT,
	("Data Import Log", "CRM Admin"): ("read",),
	("Data Import Log", "CRM Sales Manager"): ("read",),
}


def grant_frappe_rights():
	from frappe.permissions import add_permission, update_permission_property

	for (doctype, role), rights in FRAPPE_RIGHTS.items():
		if frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": role}):
			continue
		add_permission(doctype, role, 0)
		for right in rights:
			update_permission_property(doctype, role, 0, right, 1, validate=False)


def hide_error_tracebacks():
	"""Error responses say what went wrong, never where in the server's code: Frappe sends the Python traceback
	with every error while System Settings allows it, as it does by default."""
	frappe.db.set_single_value("System Settings", "allow_error_traceback", 0)


def set_china_defaults():
	"""CNY, China and Beijing time, unless the site was already set up for somewhere else."""
	settings = frappe.get_single("System Settings")
	if not settings.country:
		settings.country = "China"
	if not settings.time_zone:
		settings.time_zone = "Asia/Shanghai"
	if not settings.currency:
		settings.currency = "CNY"
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
	if not frappe.db.get_default("currency"):
		frappe.db.set_default("currency", "CNY")
	use_chinese_formats()


def after_setup_wizard(args=None):
	"""The setup wizard sets the country's formats again (China's times with seconds): the Chinese ones win."""
	use_chinese_formats()


def use_chinese_formats():
	"""On a site set up for China: amounts as ¥ (Frappe ships the yuan without a symbol), times to the minute
	(the desk's time picker cannot show seconds and would read "22:13:ss") and weeks from Monday."""
	if not frappe.db.get_value("Currency", "CNY", "symbol"):
		frappe.db.set_value("Currency", "CNY", "symbol", "¥")
	settings = frappe.get_single("System Settings")
	if settings.country != "China":
		return
	chinese = {"time_format": ("HH:mm:ss", "HH:mm"), "first_day_of_the_week": ("Sunday", "Monday")}
	changed = False
	for field, (stock, ours) in chinese.items():
		if settings.get(field) in (None, "", stock):
			settings.set(field, ours)
			changed = True
	if changed:
		# saved as a document: its defaults, which the desk boots with, follow
		settings.flags.ignore_mandatory = True
		settings.save(ignore_permissions=True)


def insert_if_missing(doctype: str, name: str, values: dict) -> bool:
	"""Insert the record unless one of that name exists (perhaps edited by an admin since); True if inserted."""
	if frappe.db.exists(doctype, name):
		return False
	frappe.get_doc({"doctype": doctype, **values}).insert(ignore_permissions=True)
	return True


def seed_records():
	"""Starting records an admin may edit or delete afterwards; they are never re-created by a migrate."""
	for channel in SOURCE_CHANNELS:
		insert_if_missing("CRM Channel", channel, {"channel_name": channel})
	for industry in INDUSTRIES:
		insert_if_missing("CRM Industry", industry, {"industry_name": industry})
	seed_knowledge_categories()
	for tag, color, description in TAGS:
		insert_if_missing("CRM Tag", tag, {"tag_name": tag, "color": color, "description": description})
	for rule_name, tag, conditions in TAG_RULES:
		insert_if_missing(
			"CRM Tag Rule",
			rule_name,
			{
				"rule_name": rule_name,
				"tag": tag,
				"enabled": 1,
				"conditions": [
					{"metric": metric, "operator": operator, "value": value, "period_days": days}
					for metric, operator, value, days in conditions
				],
			},
		)


def seed_knowledge_categories():
	for category in KNOWLEDGE_CATEGORIES:
		insert_if_missing("CRM Knowledge Category", category, {"category_name": category})


def seed_service_levels():
	"""China's holiday calendar, filled from the chinese-calendar package, and the default service level on it."""
	install_china_calendar(HOLIDAY_CALENDAR)
	insert_if_missing(
		"CRM Service Level",
		SERVICE_LEVEL,
		{
			"service_level_name": SERVICE_LEVEL,
			"is_default": 0 if frappe.db.exists("CRM Service Level", {"is_default": 1}) else 1,
			"holiday_calendar": HOLIDAY_CALENDAR,
			"at_risk_percent": SERVICE_AT_RISK_PERCENT,
			"working_hours": [
				{"weekday": day, "start_time": start, "end_time": end}
				for day in SERVICE_DAYS
				for start, end in SERVICE_HOURS
			],
			"targets": [
				{"priority": priority, "response_minutes": response, "resolution_minutes": resolution}
				for priority, response, resolution in SERVICE_TARGETS
			],
		},
	)


def seed_pipeline():
	"""The Chinese default funnel, lost reasons, BANT weights, the funnel board and lead auto-assignment."""
	for reason in LOST_REASONS:
		insert_if_missing("CRM Lost Reason", reason, {"reason_name": reason})
	for stage, order, probability, idle_days, won, lost, requirements in SALES_STAGES:
		insert_if_missing(
			"CRM Sales Stage",
			stage,
			{
				"stage_name": stage,
				"stage_order": order,
				"probability": probability,
				"max_idle_days": idle_days,
				"is_won": won,
				"is_lost": lost,
				"requirements": [stage_requirement(*requirement) for requirement in requirements],
			},
		)
	settings = frappe.get_single("CRM Settings")
	if not settings.bant_weights:
		for dimension, answer, points in BANT_WEIGHTS:
			settings.append("bant_weights", {"dimension": dimension, "answer": answer, "points": points})
		settings.save(ignore_permissions=True)
	if not settings.value_tier_rules:
		for rule in DEFAULT_RULES:
			settings.append(
				"value_tier_rules",
				{
					"tier": rule.tier,
					"min_recency_score": rule.min_recency,
					"min_frequency_score": rule.min_frequency,
					"min_monetary_score": rule.min_monetary,
				},
			)
		settings.save(ignore_permissions=True)
	sync_kanban_columns()
	install_lead_assignment_rule()


def stage_requirement(kind: str, *details) -> dict:
	if kind == "Field":
		return {"requirement_type": kind, "fieldname": details[0]}
	if kind == "Linked Document":
		return {"requirement_type": kind, "document_type": details[0], "submitted_only": details[1]}
	return {"requirement_type": kind}


def install_lead_assignment_rule():
	"""Round robin over everyone who sells, for new leads nobody owns yet; it follows people as they join and
	leave (pool.sync_lead_assignment_users). An admin adds territory or channel rules with a higher priority."""
	if frappe.db.exists("Assignment Rule", LEAD_ASSIGNMENT_RULE):
		return
	users = salespeople()
	frappe.get_doc(
		{
			"doctype": "Assignment Rule",
			"name": LEAD_ASSIGNMENT_RULE,
			"document_type": "CRM Lead",
			"description": "新线索：{{ lead_name }} {{ company_name or '' }}",
			"assign_condition": LEAD_ASSIGNMENT_CONDITION,
			"rule": "Round Robin",
			"priority": 0,
			"assignment_days": [{"day": day} for day in WEEKDAYS],
			"users": [{"user": user} for user in users],
			"disabled": 0 if users else 1,
		}
	).insert(ignore_permissions=True)


def workflow_definitions() -> list[dict]:
	return [json.loads(path.read_text()) for path in sorted(WORKFLOWS_DIR.glob("*.json"))]


def sync_workflows():
	"""Create or update each Workflow declared in crm_app/workflows/, with its states and actions."""
	for definition in workflow_definitions():
		for state in definition["states"]:
			insert_if_missing(
				"Workflow State",
				state["state"],
				{"workflow_state_name": state["state"], "style": state.get("style", "")},
			)
		for transition in definition["transitions"]:
			insert_if_missing(
				"Workflow Action Master", transition["action"], {"workflow_action_name": transition["action"]}
			)
		if frappe.db.exists("Workflow", definition["name"]):
			workflow = frappe.get_doc("Workflow", definition["name"])
		else:
			workflow = frappe.new_doc("Workflow")
			workflow.workflow_name = definition["name"]
		workflow.update(
			{
				"document_type": definition["document_type"],
				"workflow_state_field": definition.get("workflow_state_field", "workflow_state"),
				"is_active": 1,
				"send_email_alert": definition.get("send_email_alert", 0),
				"override_status": definition.get("override_status", 0),
			}
		)
		workflow.set("states", [{k: v for k, v in s.items() if k != "style"} for s in definition["states"]])
		workflow.set("transitions", definition["transitions"])
		workflow.save(ignore_permissions=True)
