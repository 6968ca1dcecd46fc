"""CRM Audience Member: a manager lists only the members whose customers are in reach."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.customers.doctype.crm_tag_rule.test_crm_tag_rule import make_tag
from crm_app.marketing import segments
from crm_app.marketing.doctype.crm_segment.test_crm_segment import make_segment, tagged, with_tag


class TestCRMAudienceMember(FrappeTestCase):
	def test_members_follow_the_row_rules_of_their_customers(self):
		frappe.set_user("Administrator")
		manager, other = make_user("CRM Sales Manager"), make_user("CRM Sales User")
		tag = make_tag()
		own = make_customer(sales_owner=manager, tags=tagged(tag)).name
		make_customer(sales_owner=other, tags=tagged(tag))
		audience = segments.take_audience(make_segment([with_tag(tag)]), "Administrator")
		frappe.set_user(manager)
		try:
			seen = frappe.get_list("CRM Audience Member", {"audience": audience}, pluck="customer")
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(seen, [own])
