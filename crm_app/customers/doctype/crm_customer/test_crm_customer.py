"""CRM Customer: identifiers normalized and unique, contacts checked, addresses completed, owner rules, similar
names queued for review, and the timeline.

The helpers at the top (users, unique identifiers, customers) are shared by the other DocTypes' tests.
"""

import random

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.crm_customer import build_timeline
from crm_app.customers.duplicates import DuplicateRecordError
from crm_app.domain.uscc import ALPHABET, check_character


def unique_mobile() -> str:
	return "139" + "".join(random.choices("0123456789", k=8))


def unique_uscc() -> str:
	body = "91" + "".join(random.choices(ALPHABET, k=15))
	return body + check_character(body)


def unique_name(prefix: str = "测试") -> str:
	return f"{prefix}{frappe.generate_hash(length=8)}有限公司"


def make_user(*roles: str, enabled: int = 1) -> str:
	"""A System User with these roles and a unique e-mail address."""
	email = f"crm-unit-{frappe.generate_hash(length=10)}@crm-unit.example.cn"
	frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": "测试用户",
			"user_type": "System User",
			"send_welcome_email": 0,
			"enabled": enabled,
			"roles": [{"role": role} for role in roles],
		}
	).insert(ignore_permissions=True)
	return email


def make_customer(**values):
	return frappe.get_doc({"doctype": "CRM Customer", "customer_name": unique_name(), **values}).insert()


class TestCRMCustomer(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.sales_a = make_user("CRM Sales User")
		cls.sales_b = make_user("CRM Sales User")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_identifiers_are_normalized(self):
		mobile = unique_mobile()
		uscc = unique_uscc()
		name = unique_name()
		customer = make_customer(
			customer_name=f"  {name} ",
			mobile_no=f"+86 {mobile[:3]}-{mobile[3:7]} {mobile[7:]}",
			email_id=f"  Boss{mobile}@Example.CN ",
			uscc=" ".join([uscc[:6].lower(), uscc[6:]]),
			phone="0571-87654321",
		)
		self.assertEqual(customer.customer_name, name)
		self.assertEqual(customer.mobile_no, f"+86{mobile}")
		self.assertEqual(customer.email_id, f"boss{mobile}@example.cn")
		self.assertEqual(customer.uscc, uscc)
		self.assertEqual(customer.phone, "+8657187654321")

	def test_an_individual_has_no_credit_code(self):
		customer = make_customer(customer_type="Individual", uscc=unique_uscc())
		self.assertIsNone(customer.uscc)

	def test_invalid_identifiers_are_refused(self):
		good = unique_uscc()
		wrong_check = good[:17] + next(c for c in ALPHABET if c != good[17])
		for values, message in (
			({"uscc": wrong_check}, "wrong check character"),
			({"uscc": "9135"}, "has 4 characters instead of 18"),
			({"mobile_no": "12345"}, "12345 is not a valid mobile number"),
			({"mobile_no": "0571-87654321"}, "is not a valid mobile number"),
			({"email_id": "boss@"}, "boss@ is not a valid email address"),
		):
			with self.subTest(values=values):
				name = unique_name()
				with self.assertRaisesRegex(frappe.ValidationError, message):
					make_customer(customer_name=name, **values)
				self.assertFalse(frappe.db.exists("CRM Customer", {"customer_name": name}))

	def test_the_same_mobile_written_differently_is_a_duplicate(self):
		mobile = unique_mobile()
		first = make_customer(mobile_no=mobile)
		with self.assertRaises(DuplicateRecordError) as refused:
			make_customer(mobile_no=f"0086 {mobile}")
		self.assertIn(first.name, str(refused.exception))

	def test_duplicate_email_and_credit_code_are_refused(self):
		email, uscc = f"{frappe.generate_hash(length=8)}@example.cn", unique_uscc()
		make_customer(email_id=email, uscc=uscc)
		with self.assertRaises(DuplicateRecordError):
			make_customer(email_id=email.upper())
		with self.assertRaises(DuplicateRecordError):
			make_customer(uscc=uscc.lower())

	def test_saving_a_customer_again_is_not_a_duplicate_of_itself(self):
		customer = make_customer(mobile_no=unique_mobile(), uscc=unique_uscc())
		customer.remarks = "再次保存"
		customer.save()
		self.assertEqual(frappe.db.get_value("CRM Customer", customer.name, "remarks"), "再次保存")

	def test_a_duplicate_under_another_owner_is_not_named(self):
		mobile = unique_mobile()
		frappe.set_user(self.sales_a)
		theirs = make_customer(mobile_no=mobile)
		frappe.set_user(self.sales_b)
		with self.assertRaises(DuplicateRecordError) as refused:
			make_customer(mobile_no=mobile)
		self.assertIn("already exists under another owner", str(refused.exception))
		self.assertNotIn(theirs.name, str(refused.exception))

	def test_contacts_are_normalized_and_checked(self):
		mobile = unique_mobile()
		customer = make_customer(
			contacts=[
				{"contact_name": " 王伟 ", "mobile_no": f"+86 {mobile}", "is_primary": 1},
				{"contact_name": "李娜", "email_id": " LiNa@Example.cn"},
			]
		)
		self.assertEqual([c.contact_name for c in customer.contacts], ["王伟", "李娜"])
		self.assertEqual(customer.contacts[0].mobile_no, f"+86{mobile}")
		self.assertEqual(customer.contacts[1].email_id, "lina@example.cn")
		with self.assertRaisesRegex(frappe.ValidationError, "Row 2 Mobile No: 999 is not a valid mobile"):
			make_customer(contacts=[{"contact_name": "甲"}, {"contact_name": "乙", "mobile_no": "999"}])

	def test_only_one_primary_contact(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Only one contact can be the primary contact"):
			make_customer(
				contacts=[{"contact_name": "甲", "is_primary": 1}, {"contact_name": "乙", "is_primary": 1}]
			)

	def test_address_is_completed_and_checked(self):
		customer = make_customer(province="浙江", city="杭州", district="西湖")
		self.assertEqual(
			(customer.province, customer.city, customer.district), ("浙江省", "杭州市", "西湖区")
		)
		with self.assertRaisesRegex(frappe.ValidationError, "杭州 is not a city of 广东省"):
			make_customer(province="广东", city="杭州")

	def test_name_and_pinyin_keys_are_kept(self):
		tag = frappe.generate_hash(length=6)
		customer = make_customer(customer_name=f"杭州新叶{tag}贸易有限责任公司")
		self.assertEqual(customer.name_key, f"杭州新叶{tag}贸易")
		self.assertIn("hangzhouxinye", customer.pinyin_key)
		self.assertIn(" hzxy", customer.pinyin_key)

	def test_similar_name_is_queued_for_review_once(self):
		tag = frappe.generate_hash(length=6)
		original = make_customer(customer_name=f"杭州新叶{tag}贸易有限公司")
		similar = make_customer(customer_name=f"杭州 新葉{tag.upper()}貿易 有限責任公司")
		self.assertEqual(similar.name_key, original.name_key)
		pair = {"customer": similar.name, "similar_customer": original.name}
		self.assertEqual(frappe.db.count("CRM Duplicate Candidate", pair), 1)
		similar.remarks = "改了备注"
		similar.save()
		self.assertEqual(frappe.db.count("CRM Duplicate Candidate", pair), 1)

	def test_a_distinct_name_queues_nothing(self):
		customer = make_customer()
		self.assertFalse(frappe.db.exists("CRM Duplicate Candidate", {"customer": customer.name}))

	def test_new_customer_belongs_to_its_creator(self):
		frappe.set_user(self.sales_a)
		customer = make_customer()
		self.assertEqual(customer.sales_owner, self.sales_a)
		self.assertTrue(customer.owner_since)

	def test_sales_user_cannot_give_a_customer_to_someone_else(self):
		frappe.set_user(self.sales_a)
		with self.assertRaisesRegex(frappe.ValidationError, "You cannot make .* the owner"):
			make_customer(sales_owner=self.sales_b)
		customer = make_customer()
		customer.sales_owner = None
		with self.assertRaisesRegex(frappe.ValidationError, "cannot put this .* into the public pool"):
			customer.save()

	def test_admin_assigns_an_owner_and_owner_since_follows(self):
		customer = make_customer(sales_owner=self.sales_a)
		self.assertEqual(customer.sales_owner, self.sales_a)
		customer.sales_owner = None
		customer.save()
		self.assertIsNone(customer.owner_since)

	def test_timeline_has_interactions_changes_and_comments_newest_first(self):
		customer = make_customer()
		interaction = frappe.get_doc(
			{
				"doctype": "CRM Interaction",
				"customer": customer.name,
				"interaction_type": "Visit",
				"summary": "上门拜访",
				"interaction_time": "2020-01-01 10:00:00",
			}
		).insert()
		comment = customer.add_comment("Comment", "老客户介绍")
		entries = build_timeline(customer.name)
		by_kind = {entry["kind"]: entry for entry in entries}
		self.assertEqual(by_kind["interaction"]["reference"], interaction.name)
		self.assertEqual(by_kind["interaction"]["text"], "上门拜访")
		self.assertEqual(by_kind["comment"]["reference"], comment.name)
		times = [entry["time"] for entry in entries]
		self.assertEqual(times, sorted(times, reverse=True))
		self.assertEqual(entries[-1]["kind"], "interaction")
