"""The nightly customer value statements (crm_app/analytics/customer_value.py) over a real database agree with
the pure rules (crm_app/domain/rfm.py, churn.py) applied to the same figures: RFM scores with ties, value tiers
with every change logged, the rhythm of buying and the churn due date."""

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from crm_app.analytics import customer_value
from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.domain.churn import median_interval
from crm_app.domain.rfm import MEASURES, score_all, tier_of
from crm_app.sales_pipeline.doctype.crm_sales_order.test_crm_sales_order import make_submitted_order
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import get_settings


class TestCRMValueTierChange(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.today = getdate()
		cls.sales = make_user("CRM Sales User")
		# (days ago of each order, amount): a steady customer, a big one, a tie, an old one and a new one
		cls.histories = {
			"steady": [(160, 300), (115, 300), (70, 300)],
			"big": [(3, 20000), (40, 15000)],
			"tie_a": [(10, 500)],
			"tie_b": [(10, 500)],
			"lapsed": [(500, 800)],
		}
		cls.customers = {}
		for key, orders in cls.histories.items():
			customer = make_customer(sales_owner=cls.sales).name
			for days_ago, amount in orders:
				make_submitted_order(customer, amount, transaction_date=cls.today - timedelta(days=days_ago))
			cls.customers[key] = customer
		cls.never = make_customer(sales_owner=cls.sales).name
		customer_value.update_order_figures(cls.today)
		customer_value.update_scores(cls.today)
		customer_value.update_tiers()
		customer_value.update_rhythms()
		customer_value.update_churn_due_dates()

	def stored(self, customer: str):
		return frappe.db.get_value("CRM Customer", customer, "*", as_dict=True)

	def test_order_figures(self):
		steady = self.stored(self.customers["steady"])
		self.assertEqual((steady.window_orders, steady.window_amount, steady.order_days), (3, 900, 3))
		self.assertEqual(getdate(steady.last_order_date), self.today - timedelta(days=70))
		lapsed = self.stored(self.customers["lapsed"])
		self.assertEqual((lapsed.window_orders, lapsed.window_amount, lapsed.order_days), (0, 0, 1))
		self.assertEqual(self.stored(self.never).order_days, 0)

	def test_scores_are_the_quintiles_of_every_customer_who_ordered_in_the_window(self):
		rows = frappe.db.sql(
			"""select name, datediff(%s, last_order_date) as days, window_orders, window_amount, recency_score,
			frequency_score, monetary_score, value_tier from `tabCRM Customer` where window_orders > 0""",
			self.today,
			as_dict=True,
		)
		measured = {
			"recency": [-row.days for row in rows],
			"frequency": [row.window_orders for row in rows],
			"monetary": [float(row.window_amount) for row in rows],
		}
		expected = {measure: score_all(values) for measure, values in measured.items()}
		rules = get_settings().tier_rules()
		for index, row in enumerate(rows):
			scores = tuple(expected[measure][index] for measure in MEASURES)
			self.assertEqual((row.recency_score, row.frequency_score, row.monetary_score), scores, row.name)
			self.assertEqual(row.value_tier, tier_of(rules, scores), row.name)
		tie_a, tie_b = self.stored(self.customers["tie_a"]), self.stored(self.customers["tie_b"])
		self.assertEqual(
			(tie_a.recency_score, tie_a.frequency_score, tie_a.monetary_score),
			(tie_b.recency_score, tie_b.frequency_score, tie_b.monetary_score),
		)

	def test_who_bought_only_before_the_window_is_dormant_and_who_never_bought_has_no_tier(self):
		lapsed = self.stored(self.customers["lapsed"])
		self.assertEqual((lapsed.recency_score, lapsed.value_tier), (0, "Dormant Customer"))
		self.assertFalse(self.stored(self.never).value_tier)

	def test_every_tier_change_is_logged(self):
		for customer in self.customers.values():
			tier = self.stored(customer).value_tier
			log = frappe.get_all(
				"CRM Value Tier Change",
				filters={"customer": customer},
				fields=["from_tier", "to_tier"],
				order_by="creation asc",
			)
			self.assertEqual(log[-1].to_tier, tier)
			self.assertIsNone(log[0].from_tier)
		frappe.db.set_value("CRM Customer", self.customers["big"], "value_tier", "Regular Customer")
		self.assertEqual(customer_value.update_tiers(), 1)
		self.assertEqual(
			frappe.get_all(
				"CRM Value Tier Change",
				filters={"customer": self.customers["big"]},
				fields=["from_tier", "to_tier"],
				order_by="creation desc",
				limit=1,
			)[0],
			{"from_tier": "Regular Customer", "to_tier": self.stored(self.customers["big"]).value_tier},
		)
		self.assertEqual(customer_value.update_tiers(), 0)

	def test_rhythm_and_churn_due_date(self):
		policy = get_settings().churn_policy()
		for key, orders in self.histories.items():
			dates = [self.today - timedelta(days=days_ago) for days_ago, _amount in orders]
			stored = self.stored(self.customers[key])
			self.assertEqual(stored.purchase_interval_days, median_interval(dates) or 0, key)
			due = policy.due_date(max(dates), len(set(dates)), median_interval(dates))
			self.assertEqual(getdate(stored.churn_due_date), due, key)
		self.assertIsNone(self.stored(self.never).churn_due_date)


class TestChurnEpisodes(FrappeTestCase):
	def test_a_customer_whose_orders_were_all_cancelled_is_no_longer_at_risk(self):
		frappe.set_user("Administrator")
		today = getdate()
		customer = make_customer(sales_owner=make_user("CRM Sales User")).name
		orders = [
			make_submitted_order(customer, 100, transaction_date=today - timedelta(days=days))
			for days in (200, 160, 120)
		]
		steps = (
			customer_value.update_order_figures,
			lambda day: customer_value.update_rhythms(),
			lambda day: customer_value.update_churn_due_dates(),
			customer_value.warn_of_churn,
		)
		for step in steps:
			step(today)
		self.assertEqual(frappe.db.get_value("CRM Customer", customer, "churn_risk"), 1)
		for sales_order in orders:
			sales_order.cancel()
		for step in steps:
			step(today)
		self.assertEqual(frappe.db.get_value("CRM Customer", customer, "churn_risk"), 0)
		self.assertFalse(
			frappe.db.exists(
				"ToDo",
				{"reference_name": customer, "crm_churn_warning": 1, "status": "Open"},
			)
		)
