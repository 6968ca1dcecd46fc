"""CRM Duplicate Candidate: queued when a customer gets a name like another's, once per pair, seen only by
those who may see both customers, and settled by merging the pair."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.customers.duplicates import record_duplicate_candidate
from crm_app.customers.merge import merge_customers
from crm_app.teams.doctype.crm_sales_team.test_crm_sales_team import make_team


def similar_pair(**values) -> tuple:
	"""Two customers whose names differ only in script, spacing and company suffix."""
	tag = frappe.generate_hash(length=6)
	original = make_customer(customer_name=f"杭州新叶{tag}贸易有限公司", **values)
	similar = make_customer(customer_name=f"杭州 新葉{tag}貿易有限責任公司", **values)
	return original, similar


def candidates(customer: str, similar_customer: str) -> list[str]:
	return frappe.get_all(
		"CRM Duplicate Candidate",
		filters={"customer": customer, "similar_customer": similar_customer},
		pluck="name",
	)


class TestCRMDuplicateCandidate(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_a_similar_name_queues_the_newer_customer_against_the_older(self):
		original, similar = similar_pair()
		names = candidates(similar.name, original.name)
		self.assertEqual(len(names), 1)
		candidate = frappe.get_doc("CRM Duplicate Candidate", names[0])
		self.assertEqual(
			(candidate.customer_name, candidate.similar_customer_name),
			(similar.customer_name, original.customer_name),
		)
		self.assertEqual((candidate.status, candidate.reason), ("Open", "Similar Name"))
		self.assertEqual(candidates(original.name, similar.name), [])

	def test_renaming_into_a_similar_name_queues_it_too(self):
		tag = frappe.generate_hash(length=6)
		original = make_customer(customer_name=f"宁波{tag}五金有限公司")
		later = make_customer()
		later.customer_name = f"宁波{tag}五金公司"
		later.save()
		self.assertEqual(len(candidates(later.name, original.name)), 1)

	def test_a_pair_is_recorded_once(self):
		original, similar = make_customer(), make_customer()
		record_duplicate_candidate(similar.name, original.name)
		record_duplicate_candidate(similar.name, original.name)
		self.assertEqual(len(candidates(similar.name, original.name)), 1)

	def test_a_dismissed_pair_is_not_queued_again(self):
		original, similar = similar_pair()
		frappe.db.set_value(
			"CRM Duplicate Candidate", candidates(similar.name, original.name)[0], "status", "Dismissed"
		)
		record_duplicate_candidate(similar.name, original.name)
		self.assertEqual(len(candidates(similar.name, original.name)), 1)

	def test_merging_the_pair_settles_the_candidate(self):
		original, similar = similar_pair()
		merge_customers(similar.name, original.name)
		self.assertFalse(
			frappe.db.exists(
				"CRM Duplicate Candidate", {"customer": original.name, "similar_customer": original.name}
			)
		)
		self.assertFalse(frappe.db.exists("CRM Duplicate Candidate", {"customer": similar.name}))

	def test_only_a_manager_who_sees_both_customers_sees_the_candidate(self):
		manager, other_manager = make_user("CRM Sales Manager"), make_user("CRM Sales Manager")
		ours, theirs = make_user("CRM Sales User"), make_user("CRM Sales User")
		make_team(manager, (ours,))
		make_team(other_manager, (theirs,))
		tag = frappe.generate_hash(length=6)
		original = make_customer(customer_name=f"苏州{tag}纺织有限公司", sales_owner=ours)
		similar = make_customer(customer_name=f"苏州{tag}紡織有限公司", sales_owner=theirs)
		candidate = candidates(similar.name, original.name)[0]
		self.assertTrue(
			frappe.has_permission("CRM Duplicate Candidate", "read", doc=candidate, user="Administrator")
		)
		frappe.set_user(manager)
		self.assertFalse(frappe.has_permission("CRM Duplicate Candidate", "read", doc=candidate))
		self.assertNotIn(candidate, frappe.get_list("CRM Duplicate Candidate", pluck="name"))
		frappe.set_user("Administrator")
		team = frappe.get_doc("CRM Sales Team", {"manager": manager})
		team.append("members", {"user": theirs})
		team.save()
		frappe.set_user(manager)
		self.assertTrue(frappe.has_permission("CRM Duplicate Candidate", "read", doc=candidate))
		self.assertIn(candidate, frappe.get_list("CRM Duplicate Candidate", pluck="name"))
