"""CRM Tag Rule: conditions are checked on save, and apply() tags and untags customers in SQL."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer


def make_tag() -> str:
	return (
		frappe.get_doc({"doctype": "CRM Tag", "tag_name": f"测试标签{frappe.generate_hash(length=8)}"})
		.insert()
		.name
	)


def make_rule(tag: str, conditions: list[dict], **values):
	return frappe.get_doc(
		{
			"doctype": "CRM Tag Rule",
			"rule_name": f"测试规则{frappe.generate_hash(length=8)}",
			"tag": tag,
			"conditions": conditions,
			**values,
		}
	).insert()


def log_interactions(customer: str, *days_ago: int) -> None:
	for days in days_ago:
		frappe.get_doc(
			{
				"doctype": "CRM Interaction",
				"customer": customer,
				"summary": "跟进",
				"interaction_time": add_days(now_datetime(), -days),
			}
		).insert()


def tags_of(customer: str) -> dict[str, tuple[str, str | None]]:
	rows = frappe.get_all(
		"CRM Customer Tag",
		filters={"parenttype": "CRM Customer", "parent": customer},
		fields=["tag", "source", "tag_rule"],
	)
	return {row.tag: (row.source, row.tag_rule) for row in rows}


def busy_vip_rule(tag: str, **values):
	"""Two or more interactions in the last 30 days, and tier VIP."""
	return make_rule(
		tag,
		[
			{"metric": "Interaction Count", "operator": ">=", "value": "2", "period_days": 30},
			{"metric": "Customer Field", "fieldname": "tier", "operator": "=", "value": "VIP"},
		],
		**values,
	)


class TestCRMTagRule(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.tag = make_tag()

	def test_a_rule_needs_conditions(self):
		with self.assertRaises(frappe.ValidationError):
			make_rule(self.tag, [])

	def test_invalid_conditions_are_refused_with_their_row(self):
		for condition, message in (
			(
				{"metric": "Interaction Count", "operator": ">=", "value": "很多"},
				"Row 1: Interaction Count needs a number, not 很多",
			),
			(
				{"metric": "Interaction Count", "operator": ">=", "value": "1", "period_days": -5},
				"Row 1: The period must not be negative",
			),
			(
				{"metric": "Customer Field", "fieldname": "tier", "operator": ">=", "value": "VIP"},
				"Row 1: Customer fields can only be compared with = or !=",
			),
			(
				{"metric": "Customer Field", "operator": "=", "value": "VIP"},
				"Row 1: Tag rules cannot use the customer field",
			),
		):
			with self.subTest(condition=condition):
				with self.assertRaisesRegex(frappe.ValidationError, message):
					make_rule(self.tag, [condition])

	def test_apply_tags_matching_customers_and_untags_those_that_stop_matching(self):
		busy = make_customer(tier="VIP")
		quiet = make_customer(tier="VIP")
		busy_but_regular = make_customer(tier="Regular")
		log_interactions(busy.name, 1, 10)
		log_interactions(quiet.name, 1)
		log_interactions(busy_but_regular.name, 1, 2, 3)
		rule = busy_vip_rule(self.tag)

		added, removed = rule.apply()
		self.assertGreaterEqual(added, 1)
		self.assertEqual(tags_of(busy.name), {self.tag: ("Rule", rule.name)})
		self.assertEqual(tags_of(quiet.name), {})
		self.assertEqual(tags_of(busy_but_regular.name), {})
		self.assertGreaterEqual(frappe.db.get_value("CRM Tag Rule", rule.name, "matched_customers"), 1)
		self.assertTrue(frappe.db.get_value("CRM Tag Rule", rule.name, "last_applied_at"))

		log_interactions(quiet.name, 2)
		frappe.db.set_value("CRM Customer", busy.name, "tier", "Regular")
		added, removed = rule.apply()
		self.assertEqual((added, removed), (1, 1))
		self.assertEqual(tags_of(busy.name), {})
		self.assertEqual(tags_of(quiet.name), {self.tag: ("Rule", rule.name)})

	def test_applying_twice_changes_nothing(self):
		customer = make_customer(tier="VIP")
		log_interactions(customer.name, 1, 2)
		rule = busy_vip_rule(self.tag)
		rule.apply()
		self.assertEqual(rule.apply(), (0, 0))
		self.assertEqual(len(tags_of(customer.name)), 1)

	def test_interactions_before_the_period_do_not_count(self):
		recent = make_customer(tier="VIP")
		old = make_customer(tier="VIP")
		log_interactions(recent.name, 1, 29)
		log_interactions(old.name, 1, 45)
		busy_vip_rule(self.tag).apply()
		self.assertIn(self.tag, tags_of(recent.name))
		self.assertNotIn(self.tag, tags_of(old.name))

	def test_no_interaction_at_all_counts_as_long_ago(self):
		never = make_customer(tier="Key Account")
		long_ago = make_customer(tier="Key Account")
		today = make_customer(tier="Key Account")
		log_interactions(long_ago.name, 40)
		log_interactions(today.name, 0)
		make_rule(
			self.tag,
			[
				{"metric": "Days Since Last Interaction", "operator": ">=", "value": "30"},
				{"metric": "Customer Field", "fieldname": "tier", "operator": "=", "value": "Key Account"},
			],
		).apply()
		self.assertIn(self.tag, tags_of(never.name))
		self.assertIn(self.tag, tags_of(long_ago.name))
		self.assertNotIn(self.tag, tags_of(today.name))

	def test_only_submitted_orders_count(self):
		product = frappe.get_doc(
			{
				"doctype": "CRM Product",
				"product_code": f"T-{frappe.generate_hash(length=8)}",
				"product_name": "测试产品",
				"list_price": 100,
			}
		).insert()
		ordered, drafted = make_customer(tier="VIP"), make_customer(tier="VIP")
		for customer, submit in ((ordered, True), (drafted, False)):
			order = frappe.get_doc(
				{
					"doctype": "CRM Sales Order",
					"customer": customer.name,
					"items": [{"product": product.name, "qty": 1}],
				}
			).insert()
			if submit:
				order.submit()
		make_rule(
			self.tag,
			[
				{"metric": "Order Count", "operator": "=", "value": "0"},
				{"metric": "Customer Field", "fieldname": "tier", "operator": "=", "value": "VIP"},
			],
		).apply()
		self.assertNotIn(self.tag, tags_of(ordered.name))
		self.assertIn(self.tag, tags_of(drafted.name))

	def test_a_manual_tag_is_neither_duplicated_nor_removed(self):
		matching = make_customer(tier="VIP", tags=[{"tag": self.tag}])
		not_matching = make_customer(tier="Regular", tags=[{"tag": self.tag}])
		log_interactions(matching.name, 1, 2)
		busy_vip_rule(self.tag).apply()
		self.assertEqual(tags_of(matching.name), {self.tag: ("Manual", None)})
		self.assertEqual(tags_of(not_matching.name), {self.tag: ("Manual", None)})

	def test_disabling_the_rule_removes_its_tags(self):
		customer = make_customer(tier="VIP")
		log_interactions(customer.name, 1, 2)
		rule = busy_vip_rule(self.tag)
		rule.apply()
		self.assertIn(self.tag, tags_of(customer.name))
		rule.reload()
		rule.enabled = 0
		rule.save()
		self.assertEqual(tags_of(customer.name), {})

	def test_deleting_the_rule_removes_its_tags(self):
		manual = make_tag()
		customer = make_customer(tier="VIP", tags=[{"tag": manual}])
		log_interactions(customer.name, 1, 2)
		rule = busy_vip_rule(self.tag)
		rule.apply()
		frappe.delete_doc("CRM Tag Rule", rule.name)
		self.assertEqual(tags_of(customer.name), {manual: ("Manual", None)})

	def test_changing_the_tag_moves_customers_to_the_new_tag(self):
		customer = make_customer(tier="VIP")
		log_interactions(customer.name, 1, 2)
		rule = busy_vip_rule(self.tag)
		rule.apply()
		new_tag = make_tag()
		rule.reload()
		rule.tag = new_tag
		rule.save()
		rule.apply()
		self.assertEqual(tags_of(customer.name), {new_tag: ("Rule", rule.name)})
