"""CRM Pool Log, written by crm_app.sales_pipeline.pool: every claim from the public pool (公海), release into it
and return of an idle record is logged, and the rules around them hold (daily claim limit, only the owner or their
manager releases, idle records go back after the configured days)."""

import frappe
from frappe.desk.form import assign_to
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime, today

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user, unique_mobile
from crm_app.sales_pipeline import pool
from crm_app.sales_pipeline.doctype.crm_sales_order.test_crm_sales_order import make_submitted_order
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import get_settings
from crm_app.teams.doctype.crm_sales_team.test_crm_sales_team import make_team


def pool_customer():
	customer = frappe.get_doc({"doctype": "CRM Customer", "customer_name": f"公海客户{unique_mobile()}"})
	customer.flags.into_pool = True
	return customer.insert()


def logs_of(doctype: str, name: str) -> list[dict]:
	return frappe.get_all(
		"CRM Pool Log",
		filters={"document_type": doctype, "document_name": name},
		fields=["action", "user", "previous_owner", "reason"],
		order_by="creation asc",
	)


def owner_changes(name: str) -> list[list]:
	versions = frappe.get_all("Version", {"ref_doctype": "CRM Customer", "docname": name}, pluck="data")
	return [change for data in versions for change in frappe.parse_json(data)["changed"]]


class TestCRMPoolLog(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.manager = make_user("CRM Sales Manager", "CRM Sales User")
		cls.sales = make_user("CRM Sales User")
		cls.other = make_user("CRM Sales User")
		make_team(cls.manager, (cls.sales,))
		# the leads made here stay in the pool: the admin has switched off dealing them out
		frappe.db.set_value("Assignment Rule", pool.LEAD_ASSIGNMENT_RULE, "disabled", 1)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_a_claim_makes_the_salesperson_the_owner_and_is_logged(self):
		customer = pool_customer().name
		frappe.set_user(self.sales)
		pool.claim("CRM Customer", customer)
		owner = frappe.db.get_value("CRM Customer", customer, ["sales_owner", "owner_since"], as_dict=True)
		self.assertEqual(owner.sales_owner, self.sales)
		self.assertTrue(owner.owner_since)
		self.assertEqual(
			logs_of("CRM Customer", customer),
			[{"action": "Claim", "user": self.sales, "previous_owner": None, "reason": None}],
		)
		self.assertIn(["sales_owner", "", self.sales], owner_changes(customer))

	def test_a_claimed_record_cannot_be_claimed_again(self):
		customer = pool_customer().name
		frappe.set_user(self.sales)
		pool.claim("CRM Customer", customer)
		with self.assertRaisesRegex(frappe.ValidationError, "no longer in the public pool"):
			pool.claim("CRM Customer", customer)
		frappe.set_user(self.other)
		with self.assertRaises(frappe.DoesNotExistError):  # to someone else it is simply not there
			pool.claim("CRM Customer", customer)
		self.assertEqual(len(logs_of("CRM Customer", customer)), 1)

	def test_leads_are_claimed_the_same_way(self):
		lead = frappe.get_doc({"doctype": "CRM Lead", "lead_name": "刘女士", "mobile_no": unique_mobile()})
		lead.flags.into_pool = True
		lead.insert()
		frappe.set_user(self.sales)
		pool.claim("CRM Lead", lead.name)
		self.assertEqual(frappe.db.get_value("CRM Lead", lead.name, "lead_owner"), self.sales)
		self.assertEqual(logs_of("CRM Lead", lead.name)[0]["action"], "Claim")

	def test_only_pool_doctypes_are_claimed(self):
		with self.assertRaisesRegex(frappe.ValidationError, "not kept in the public pool"):
			pool.claim("CRM Opportunity", "OPP-whatever")

	def test_the_daily_claim_limit_holds(self):
		user = make_user("CRM Sales User")
		limit = get_settings().pool_daily_claim_limit
		pool.log_pool_action("Claim", "CRM Customer", [(f"CUST-{i}", None) for i in range(limit - 1)], user)
		customer, another = pool_customer().name, pool_customer().name
		frappe.set_user(user)
		pool.claim("CRM Customer", customer)
		with self.assertRaisesRegex(frappe.ValidationError, f"today's limit of {limit} claims"):
			pool.claim("CRM Customer", another)
		self.assertIsNone(frappe.db.get_value("CRM Customer", another, "sales_owner"))

	def test_a_release_empties_the_owner_cancels_follow_ups_and_is_logged(self):
		customer = make_customer(sales_owner=self.sales).name
		todo = frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": self.sales,
				"reference_type": "CRM Customer",
				"reference_name": customer,
				"description": "回访",
			}
		).insert()
		frappe.set_user(self.sales)
		pool.release("CRM Customer", customer, reason="客户暂无需求")
		owner = frappe.db.get_value("CRM Customer", customer, ["sales_owner", "owner_since"], as_dict=True)
		self.assertEqual((owner.sales_owner, owner.owner_since), (None, None))
		self.assertEqual(frappe.db.get_value("ToDo", todo.name, "status"), "Cancelled")
		self.assertEqual(
			logs_of("CRM Customer", customer),
			[
				{
					"action": "Release",
					"user": self.sales,
					"previous_owner": self.sales,
					"reason": "客户暂无需求",
				}
			],
		)
		self.assertIn(["sales_owner", self.sales, ""], owner_changes(customer))

	def test_a_released_record_no_longer_shows_its_former_owner_as_assigned(self):
		customer = make_customer(sales_owner=self.sales).name
		assign_to.add({"assign_to": [self.sales], "doctype": "CRM Customer", "name": customer})
		pool.release("CRM Customer", customer)
		self.assertEqual(
			frappe.parse_json(frappe.db.get_value("CRM Customer", customer, "_assign") or "[]"), []
		)

	def test_a_record_in_the_pool_cannot_be_released(self):
		customer = pool_customer().name
		with self.assertRaisesRegex(frappe.ValidationError, "already in the public pool"):
			pool.release("CRM Customer", customer)

	def test_only_the_owner_or_their_manager_releases(self):
		customer = make_customer(sales_owner=self.sales).name
		frappe.set_user(self.other)
		with self.assertRaises(frappe.DoesNotExistError):
			pool.release("CRM Customer", customer)
		frappe.set_user(self.manager)
		pool.release("CRM Customer", customer)
		self.assertEqual(
			logs_of("CRM Customer", customer)[0],
			{"action": "Release", "user": self.manager, "previous_owner": self.sales, "reason": None},
		)

	def test_idle_records_return_to_the_pool_and_their_owner_is_told(self):
		settings = frappe.get_doc("CRM Settings")
		original = settings.recycle_customers_with_orders

		def restore():
			settings.reload()
			settings.recycle_customers_with_orders = original
			settings.save()

		self.addCleanup(restore)
		settings.recycle_customers_with_orders = 0
		settings.save()

		days = get_settings().pool_return_days
		long_ago = add_days(now_datetime(), -(days + 10))
		idle, followed_up, with_order = (make_customer(sales_owner=self.sales).name for _ in range(3))
		for name in (idle, followed_up, with_order):
			frappe.db.set_value("CRM Customer", name, "owner_since", long_ago)
		frappe.get_doc(
			{"doctype": "CRM Interaction", "customer": followed_up, "summary": "电话回访"}
		).insert()
		make_submitted_order(with_order)

		returned = pool.return_idle_records()
		self.assertGreaterEqual(returned["CRM Customer"], 1)
		self.assertIsNone(frappe.db.get_value("CRM Customer", idle, "sales_owner"))
		self.assertEqual(frappe.db.get_value("CRM Customer", followed_up, "sales_owner"), self.sales)
		self.assertEqual(frappe.db.get_value("CRM Customer", with_order, "sales_owner"), self.sales)
		[log] = logs_of("CRM Customer", idle)
		self.assertEqual((log.action, log.previous_owner), ("Return", self.sales))
		self.assertIn(str(days), log.reason)
		self.assertTrue(
			frappe.db.exists("Notification Log", {"for_user": self.sales, "subject": ("like", f"%{idle}%")})
		)

	def test_salespeople_cannot_read_the_log(self):
		frappe.set_user(self.sales)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_list("CRM Pool Log", limit=1)
		frappe.set_user(self.manager)
		self.assertIsInstance(frappe.get_list("CRM Pool Log", limit=1), list)

	def test_claims_from_earlier_days_do_not_count_towards_today(self):
		user = make_user("CRM Sales User")
		pool.log_pool_action("Claim", "CRM Customer", [("CUST-old", None)], user)
		frappe.db.set_value("CRM Pool Log", {"user": user}, "creation", add_days(today(), -1))
		self.assertEqual(pool.claims_today(user), 0)
