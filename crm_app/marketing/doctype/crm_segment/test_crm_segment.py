"""CRM Segment: conditions from the tag rules' catalogue, compiled into one SELECT that agrees with the tag rules'
queries, counted within the reach of whoever asks."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, now_datetime

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.customers.doctype.crm_tag_rule.crm_tag_rule import as_condition
from crm_app.customers.doctype.crm_tag_rule.test_crm_tag_rule import log_interactions, make_tag
from crm_app.domain.tag_rules import matching_customers, matching_queries
from crm_app.marketing import segments
from crm_app.sales_pipeline.doctype.crm_sales_order.test_crm_sales_order import make_submitted_order


def make_segment(conditions: list[dict], **values):
	return frappe.get_doc(
		{
			"doctype": "CRM Segment",
			"segment_name": f"测试客群{frappe.generate_hash(length=8)}",
			"conditions": conditions,
			**values,
		}
	).insert()


def with_tag(tag: str) -> dict:
	return {"metric": "Has Tag", "operator": "=", "value": tag}


def tagged(tag: str, *more: str) -> list[dict]:
	return [{"tag": name} for name in (tag, *more)]


class TestCRMSegment(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.sales_a, cls.sales_b = make_user("CRM Sales User"), make_user("CRM Sales User")
		# a tag of this test's own, so that only its customers match
		cls.base, cls.tag = make_tag(), make_tag()
		today = getdate()
		cls.regular = make_customer(sales_owner=cls.sales_a, tags=tagged(cls.base))
		for days in (10, 50, 90):
			make_submitted_order(cls.regular.name, 400, transaction_date=add_days(today, -days))
		cls.lapsed = make_customer(sales_owner=cls.sales_b, tags=tagged(cls.base))
		make_submitted_order(cls.lapsed.name, 9000, transaction_date=add_days(today, -400))
		cls.tagged = make_customer(
			sales_owner=cls.sales_b,
			tags=tagged(cls.base, cls.tag),
			customer_type="Individual",
			birthday="1990-03-08",
		)
		cls.contact_born = make_customer(
			sales_owner=cls.sales_a,
			tags=tagged(cls.base),
			contacts=[{"contact_name": "王芳", "birthday": "1985-03-20"}],
		)
		log_interactions(cls.contact_born.name, 3)

	def names(self, conditions: list[dict], user: str = "Administrator") -> set[str]:
		segment = make_segment([with_tag(self.base), *conditions])
		where, params = segments.customer_filter(segment, user)
		return set(frappe.db.sql_list(f"select name from `tabCRM Customer` where {where}", params))

	def test_each_metric_selects_the_customers_it_describes(self):
		cases = [
			([{"metric": "Order Count", "operator": ">=", "value": "3", "period_days": 365}], {self.regular}),
			([{"metric": "Order Amount", "operator": ">", "value": "5000"}], {self.lapsed}),
			(
				[{"metric": "Days Since Last Order", "operator": ">=", "value": "365"}],
				{self.lapsed, self.tagged, self.contact_born},
			),
			([{"metric": "Has Tag", "operator": "=", "value": self.tag}], {self.tagged}),
			(
				[{"metric": "Has Tag", "operator": "!=", "value": self.tag}],
				{self.regular, self.lapsed, self.contact_born},
			),
			([{"metric": "Birthday Month", "operator": "=", "value": "3"}], {self.tagged, self.contact_born}),
			(
				[{"metric": "Days Since Last Interaction", "operator": "<=", "value": "7"}],
				{self.contact_born},
			),
		]
		for conditions, expected in cases:
			self.assertEqual(self.names(conditions), {c.name for c in expected}, conditions)

	def test_the_one_select_agrees_with_the_tag_rules_queries(self):
		conditions = [
			with_tag(self.base),
			{"metric": "Order Count", "operator": "<", "value": "2", "period_days": 365},
			{"metric": "Days Since Last Order", "operator": ">", "value": "30"},
		]
		segment = make_segment(conditions)
		rows = [as_condition(row) for row in segment.conditions]
		by_tag_rule = matching_customers(
			[(q.meets, frappe.db.sql_list(q.sql, q.params)) for q in matching_queries(rows, now_datetime())]
		)
		self.assertEqual(self.names(conditions[1:]), by_tag_rule)

	def test_a_salesperson_counts_only_customers_in_reach(self):
		segment = make_segment([with_tag(self.base)])
		self.assertEqual(segments.count(segment, "Administrator"), 4)
		self.assertEqual(segments.count(segment, self.sales_a), 2)
		self.assertEqual(self.names([], self.sales_b), {self.lapsed.name, self.tagged.name})

	def test_conditions_are_checked_on_save(self):
		bad = [
			{"metric": "Has Tag", "operator": "=", "value": "没有这个标签"},
			{"metric": "Birthday Month", "operator": "=", "value": "13"},
			{"metric": "Has Tag", "operator": ">", "value": self.tag},
		]
		for condition in bad:
			with self.assertRaises(frappe.ValidationError, msg=condition):
				make_segment([condition])
		with self.assertRaises(frappe.ValidationError):
			make_segment([])
