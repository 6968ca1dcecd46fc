import json

import frappe
from frappe.model.document import Document

from crm_app.domain.sla import WEEKDAYS
from crm_app.domain.ticket_status import DONE, NEW
from crm_app.service.tickets import TICKET

RULE_PREFIX = "CRM Ticket: "


class CRMServiceTeam(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		self.team_name = (self.team_name or "").strip()

	def on_update(self):
		sync_assignment_rule(self)

	def on_trash(self):
		frappe.delete_doc_if_exists("Assignment Rule", rule_name(self.name), force=True)


def rule_name(team: str) -> str:
	return f"{RULE_PREFIX}{team}"


def sync_assignment_rule(team) -> None:
	"""Frappe's Assignment Rule deals the team's new tickets out to its agents, round robin or by load; a ticket
	already with an agent, or of another team, is left alone, and a team without agents keeps its queue."""
	name = rule_name(team.name)
	users = [row.user for row in team.members]
	values = {
		"document_type": TICKET,
		"description": "工单：{{ subject }}",
		"priority": 1,
		"rule": team.assignment or "Round Robin",
		"disabled": 0 if users else 1,
		# evaluated by Frappe on the ticket as a dict; the team's name is quoted as a Python literal
		"assign_condition": f"service_team == {json.dumps(team.name, ensure_ascii=False)} and not agent "
		f"and status == {json.dumps(NEW)}",
		"close_condition": f"status in {json.dumps(list(DONE))}",
		"users": [{"user": user} for user in users],
	}
	if frappe.db.exists("Assignment Rule", name):
		rule = frappe.get_doc("Assignment Rule", name)
		rule.update(values)
		rule.save(ignore_permissions=True)
	else:
		frappe.get_doc(
			{
				"doctype": "Assignment Rule",
				"name": name,
				"assignment_days": [{"day": day} for day in WEEKDAYS],
				**values,
			}
		).insert(ignore_permissions=True)


def take_ticket_from_assignment(todo, method=None) -> None:
	"""The agent a team's rule assigned a ticket to becomes its agent."""
	if todo.reference_type != TICKET or not (todo.assignment_rule or "").startswith(RULE_PREFIX):
		return
	if not frappe.db.get_value(TICKET, todo.reference_name, "agent"):
		frappe.db.set_value(TICKET, todo.reference_name, "agent", todo.allocated_to, update_modified=False)
