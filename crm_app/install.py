"""Install and migrate hooks: roles, China defaults, seed records and declared workflows."""

import json
from pathlib import Path

import frappe

from crm_app.defaults import INDUSTRIES, ROLES, SOURCE_CHANNELS, TAG_RULES, TAGS

WORKFLOWS_DIR = Path(__file__).parent / "workflows"


def after_install():
	after_migrate()
	set_china_defaults()
	seed_records()


def after_migrate():
	ensure_roles()
	sync_workflows()


def before_uninstall():
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


def insert_if_missing(doctype: str, name: str, values: dict) -> None:
	if not frappe.db.exists(doctype, name):
		frappe.get_doc({"doctype": doctype, **values}).insert(ignore_permissions=True)


def seed_records():
	"""Starting records an admin may edit or delete afterwards; they are never re-created by a migrate."""
	for channel in SOURCE_CHANNELS:
		insert_if_missing("CRM Channel", channel, {"channel_name": channel})
	for industry in INDUSTRIES:
		insert_if_missing("CRM Industry", industry, {"industry_name": industry})
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
