"""CRM Audience: a segment's customers in the taker's reach, snapshot in one statement; later changes to the
customers do not change it."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.customers.doctype.crm_tag_rule.test_crm_tag_rule import make_tag
from crm_app.marketing import segments
from crm_app.marketing.doctype.crm_segment.test_crm_segment import make_segment, tagged, with_tag


class TestCRMAudience(FrappeTestCase):
	def test_the_snapshot_holds_the_segment_as_it_was_in_the_takers_reach(self):
		frappe.set_user("Administrator")
		sales_a, sales_b = make_user("CRM Sales User"), make_user("CRM Sales User")
		tag = make_tag()
		mine = [make_customer(sales_owner=sales_a, tags=tagged(tag)).name for _ in range(3)]
		make_customer(sales_owner=sales_b, tags=tagged(tag))
		segment = make_segment([with_tag(tag)])

		everyone = segments.take_audience(segment, "Administrator")
		in_reach = segments.take_audience(segment, sales_a)
		self.assertEqual(frappe.db.get_value("CRM Audience", everyone, "member_count"), 4)
		self.assertEqual(
			sorted(frappe.get_all("CRM Audience Member", {"audience": in_reach}, pluck="customer")),
			sorted(mine),
		)
		frappe.db.delete("CRM Customer Tag", {"parent": mine[0]})
		self.assertEqual(frappe.db.count("CRM Audience Member", {"audience": in_reach}), 3)
		self.assertEqual(segments.count(segment, sales_a), 2)
