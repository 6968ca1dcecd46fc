"""CRM Service Team: its Assignment Rule follows its agents and routing picks the team that matches best."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_user
from crm_app.service.doctype.crm_service_team.crm_service_team import rule_name
from crm_app.service.tickets import route


def new_team(**values):
	return frappe.get_doc(
		{"doctype": "CRM Service Team", "team_name": f"服务组{frappe.generate_hash(length=8)}", **values}
	).insert()


class TestCRMServiceTeam(FrappeTestCase):
	def test_the_assignment_rule_follows_the_agents(self):
		agent = make_user("CRM Service Agent")
		team = new_team()
		rule = frappe.get_doc("Assignment Rule", rule_name(team.name))
		self.assertEqual((rule.document_type, rule.disabled, rule.users), ("CRM Ticket", 1, []))
		self.assertIn(team.name, rule.assign_condition)
		team.append("members", {"user": agent})
		team.assignment = "Load Balancing"
		team.save()
		rule.reload()
		self.assertEqual(
			([row.user for row in rule.users], rule.disabled, rule.rule), ([agent], 0, "Load Balancing")
		)
		team.delete()
		self.assertFalse(frappe.db.exists("Assignment Rule", rule.name))

	def test_routing_prefers_the_team_that_sets_more_of_the_ticket(self):
		general = new_team(product_type="Consumable")
		exact = new_team(product_type="Consumable", channel="Email")
		ticket = frappe._dict(product_type="Consumable", channel="Email", service_level=None)
		self.assertEqual(route(ticket), exact.name)
		self.assertEqual(route(frappe._dict(ticket, channel="Phone")), general.name)
		self.assertIsNone(route(frappe._dict(product_type="Service", channel="On Site", service_level=None)))
