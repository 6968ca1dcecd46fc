"""CRM Ticket: its clock follows the status, a reopened ticket does not pay for the time it stood resolved, and
the satisfaction score is 1 to 10."""

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_user


def new_ticket(**values):
	customer = frappe.get_doc(
		{"doctype": "CRM Customer", "customer_name": f"工单测试{frappe.generate_hash(length=8)}"}
	).insert(ignore_permissions=True)
	return frappe.get_doc(
		{"doctype": "CRM Ticket", "subject": "设备无法开机", "customer": customer.name, **values}
	).insert()


class TestCRMTicket(FrappeTestCase):
	def setUp(self):
		frappe.set_user(make_user("CRM Service Manager"))

	def tearDown(self):
		frappe.set_user("Administrator")

	def move(self, ticket, status):
		ticket.status = status
		ticket.save()
		return ticket

	def test_a_new_ticket_runs_on_the_default_service_level(self):
		ticket = new_ticket(priority="Urgent", product_type="Service", channel="On Site")
		self.assertEqual(ticket.status, "New")
		self.assertTrue(
			ticket.service_level and ticket.opened_on and ticket.response_by and ticket.resolution_by
		)
		self.assertLess(get_datetime(ticket.response_by), get_datetime(ticket.resolution_by))

	def test_waiting_on_the_customer_pauses_and_a_reopening_skips_the_resolved_stretch(self):
		ticket = new_ticket()
		self.move(ticket, "In Progress")
		self.assertTrue(ticket.first_responded_on)
		self.move(ticket, "Waiting on Customer")
		self.assertEqual((ticket.sla_status, len(ticket.pauses)), ("Paused", 1))
		self.move(ticket, "In Progress")
		self.assertTrue(ticket.pauses[0].resumed_at)
		self.move(ticket, "Resolved")
		resolved_on = ticket.resolved_on
		self.assertTrue(resolved_on)
		self.move(ticket, "In Progress")
		self.assertIsNone(ticket.resolved_on)
		self.assertEqual(
			(ticket.pauses[-1].reason, get_datetime(ticket.pauses[-1].paused_at)),
			("Resolved", get_datetime(resolved_on)),
		)

	def test_a_higher_priority_brings_the_deadline_forward(self):
		ticket = new_ticket(priority="Low")
		before = get_datetime(ticket.resolution_by)
		ticket.priority = "Urgent"
		ticket.save()
		self.assertLess(get_datetime(ticket.resolution_by), before - timedelta(minutes=1))

	def test_satisfaction_is_from_one_to_ten(self):
		ticket = new_ticket()
		ticket.satisfaction = 11
		self.assertRaises(frappe.ValidationError, ticket.save)
