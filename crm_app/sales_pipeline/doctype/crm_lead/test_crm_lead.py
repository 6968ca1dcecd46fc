"""CRM Lead: normalized identifiers, BANT score from CRM Settings, no duplicates of leads or customers, and
convert(), which makes the customer and the first opportunity."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import (
	make_customer,
	make_user,
	unique_mobile,
	unique_name,
	unique_uscc,
)
from crm_app.customers.duplicates import DuplicateRecordError
from crm_app.sales_pipeline.doctype.crm_sales_stage.crm_sales_stage import first_stage
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import bant_weights


def make_lead(**values):
	return frappe.get_doc(
		{"doctype": "CRM Lead", "lead_name": "陈先生", "mobile_no": unique_mobile(), **values}
	).insert()


class TestCRMLead(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.sales = make_user("CRM Sales User")
		cls.other_sales = make_user("CRM Sales User")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_identifiers_and_address_are_normalized(self):
		mobile, uscc = unique_mobile(), unique_uscc()
		lead = make_lead(
			lead_name=" 陈先生 ",
			company_name="  ",
			mobile_no=f"+86 {mobile}",
			email_id=f" Chen{mobile}@Example.CN",
			uscc=uscc.lower(),
			province="浙江",
			city="宁波",
		)
		self.assertEqual((lead.lead_name, lead.company_name), ("陈先生", None))
		self.assertEqual((lead.mobile_no, lead.email_id), (f"+86{mobile}", f"chen{mobile}@example.cn"))
		self.assertEqual(lead.uscc, uscc)
		self.assertEqual((lead.province, lead.city), ("浙江省", "宁波市"))
		with self.assertRaisesRegex(frappe.ValidationError, "is not a valid mobile number"):
			make_lead(mobile_no="12345")

	def test_a_new_lead_belongs_to_its_creator(self):
		frappe.set_user(self.sales)
		self.assertEqual(make_lead().lead_owner, self.sales)

	def test_score_adds_the_points_of_each_answer(self):
		weights = bant_weights()
		lead = make_lead(
			bant_budget="Approved",
			bant_authority="Decision Maker",
			bant_need="Definite",
			bant_timeline="Within 3 Months",
		)
		expected = (
			weights[("Budget", "Approved")]
			+ weights[("Authority", "Decision Maker")]
			+ weights[("Need", "Definite")]
			+ weights[("Timeline", "Within 3 Months")]
		)
		self.assertEqual(lead.score, expected)
		self.assertGreater(lead.score, 0)
		lead.bant_timeline = None
		lead.save()
		self.assertEqual(lead.score, expected - weights[("Timeline", "Within 3 Months")])

	def test_an_unanswered_lead_scores_nothing(self):
		self.assertEqual(make_lead().score, 0)

	def test_score_follows_the_weights_an_admin_sets(self):
		settings = frappe.get_doc("CRM Settings")
		original = [
			{"dimension": row.dimension, "answer": row.answer, "points": row.points}
			for row in settings.bant_weights
		]

		def restore():
			settings.reload()
			settings.set("bant_weights", original)
			settings.save()

		self.addCleanup(restore)
		settings.set(
			"bant_weights",
			[
				{"dimension": "Budget", "answer": "Approved", "points": 40},
				{"dimension": "Need", "answer": "Definite", "points": 7},
			],
		)
		settings.save()
		self.assertEqual(
			make_lead(bant_budget="Approved", bant_need="Definite", bant_authority="Unknown").score, 47
		)

	def test_converted_status_needs_a_conversion(self):
		lead = make_lead()
		lead.status = "Converted"
		with self.assertRaisesRegex(frappe.ValidationError, "Use Convert"):
			lead.save()

	def test_a_lead_with_another_leads_identifier_is_refused(self):
		mobile = unique_mobile()
		first = make_lead(mobile_no=mobile)
		with self.assertRaises(DuplicateRecordError) as refused:
			make_lead(mobile_no=f"0086-{mobile}")
		self.assertIn(first.name, str(refused.exception))

	def test_a_lead_for_an_existing_customer_is_refused(self):
		uscc = unique_uscc()
		frappe.set_user(self.other_sales)
		customer = make_customer(uscc=uscc)
		frappe.set_user(self.sales)
		with self.assertRaises(DuplicateRecordError) as refused:
			make_lead(uscc=uscc.lower())
		self.assertIn("already exists under another owner", str(refused.exception))
		self.assertNotIn(customer.name, str(refused.exception))

	def test_convert_makes_a_company_customer_and_the_first_opportunity(self):
		frappe.set_user(self.sales)
		company = unique_name("苏州纺织")
		lead = make_lead(
			lead_name="周丽",
			job_title="采购经理",
			company_name=company,
			email_id=f"{frappe.generate_hash(length=8)}@example.cn",
			bant_authority="Influencer",
			source_channel="抖音",
			province="江苏",
			city="苏州",
		)
		call = frappe.get_doc(
			{"doctype": "CRM Interaction", "lead": lead.name, "summary": "初次电话"}
		).insert()
		result = lead.convert(amount=50000)

		customer = frappe.get_doc("CRM Customer", result["customer"])
		self.assertEqual((customer.customer_name, customer.customer_type), (company, "Company"))
		self.assertEqual((customer.mobile_no, customer.email_id), (lead.mobile_no, lead.email_id))
		self.assertEqual((customer.source_channel, customer.city), ("抖音", "苏州市"))
		self.assertEqual(customer.sales_owner, self.sales)
		self.assertEqual(len(customer.contacts), 1)
		contact = customer.contacts[0]
		self.assertEqual(
			(contact.contact_name, contact.job_title, contact.decision_role, contact.is_primary),
			("周丽", "采购经理", "Influencer", 1),
		)

		opportunity = frappe.get_doc("CRM Opportunity", result["opportunity"])
		self.assertEqual((opportunity.customer, opportunity.source_lead), (customer.name, lead.name))
		self.assertEqual((opportunity.stage, opportunity.amount), (first_stage(), 50000))
		self.assertEqual((opportunity.opportunity_owner, opportunity.contact_name), (self.sales, "周丽"))

		lead.reload()
		self.assertEqual(lead.status, "Converted")
		self.assertEqual(
			(lead.converted_customer, lead.converted_opportunity), (customer.name, opportunity.name)
		)
		self.assertTrue(lead.converted_at)
		self.assertEqual(frappe.db.get_value("CRM Interaction", call.name, "customer"), customer.name)

	def test_the_leads_interactions_count_on_the_customer(self):
		lead = make_lead(company_name=unique_name())
		frappe.get_doc(
			{
				"doctype": "CRM Interaction",
				"lead": lead.name,
				"summary": "初次电话",
				"interaction_time": "2026-01-05 10:00:00",
				"next_follow_up_date": "2026-01-09",
			}
		).insert()
		customer = lead.convert()["customer"]
		figures = frappe.db.get_value(
			"CRM Customer",
			customer,
			["interaction_count", "last_interaction_at", "next_follow_up_date"],
			as_dict=True,
		)
		self.assertEqual(figures.interaction_count, 1)
		self.assertEqual(str(figures.last_interaction_at), "2026-01-05 10:00:00")
		self.assertEqual(str(figures.next_follow_up_date), "2026-01-09")

	def test_an_individual_lead_becomes_an_individual_customer(self):
		lead = make_lead(lead_name=f"王{frappe.generate_hash(length=6)}")
		customer = frappe.get_doc("CRM Customer", lead.convert(opportunity_name="个人订购")["customer"])
		self.assertEqual((customer.customer_name, customer.customer_type), (lead.lead_name, "Individual"))
		self.assertEqual(customer.contacts, [])
		self.assertEqual(
			frappe.db.get_value("CRM Opportunity", {"source_lead": lead.name}, "opportunity_name"), "个人订购"
		)

	def test_a_lead_is_converted_once(self):
		lead = make_lead()
		lead.convert()
		with self.assertRaisesRegex(frappe.ValidationError, "was already converted"):
			lead.convert()

	def test_a_converted_lead_can_still_be_edited(self):
		lead = make_lead(email_id=f"{frappe.generate_hash(length=8)}@example.cn")
		lead.convert()
		lead.reload()
		lead.job_title = "总经理"
		lead.save()
		self.assertEqual(frappe.db.get_value("CRM Lead", lead.name, "job_title"), "总经理")

	def test_convert_links_to_the_customer_that_already_exists(self):
		frappe.set_user(self.sales)
		email = f"{frappe.generate_hash(length=8)}@example.cn"
		lead = make_lead(email_id=email, company_name=unique_name())
		existing = make_customer(email_id=email)
		result = lead.convert()
		self.assertEqual(result["customer"], existing.name)
		self.assertEqual(frappe.db.count("CRM Customer", {"customer_name": lead.company_name}), 0)
		self.assertEqual(
			frappe.db.get_value("CRM Opportunity", result["opportunity"], "customer"), existing.name
		)

	def test_convert_refuses_a_matching_customer_the_user_cannot_see(self):
		email = f"{frappe.generate_hash(length=8)}@example.cn"
		frappe.set_user(self.sales)
		lead = make_lead(email_id=email)
		frappe.set_user(self.other_sales)
		theirs = make_customer(email_id=email)
		frappe.set_user(self.sales)
		with self.assertRaises(DuplicateRecordError) as refused:
			lead.convert()
		self.assertNotIn(theirs.name, str(refused.exception))
		self.assertFalse(frappe.db.get_value("CRM Lead", lead.name, "converted_customer"))
