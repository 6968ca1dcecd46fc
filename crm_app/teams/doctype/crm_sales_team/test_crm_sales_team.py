"""CRM Sales Team: a tree of teams; who a manager leads (sub-teams included), who manages a user, and the
visibility cache that must follow every change."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_user
from crm_app.teams.doctype.crm_sales_team.crm_sales_team import managers_of, users_led_by


def make_team(manager: str | None = None, members: tuple[str, ...] = (), parent: str | None = None):
	return frappe.get_doc(
		{
			"doctype": "CRM Sales Team",
			"team_name": f"测试团队{frappe.generate_hash(length=8)}",
			"parent_crm_sales_team": parent,
			"manager": manager,
			"members": [{"user": user} for user in members],
		}
	).insert()


class TestCRMSalesTeam(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		# 华东 (director: a, b) > 杭州 (lead: c) > 西湖 (no manager: d)
		cls.director, cls.lead = make_user("CRM Sales Manager"), make_user("CRM Sales Manager")
		cls.a, cls.b, cls.c, cls.d = (make_user("CRM Sales User") for _ in range(4))
		cls.east = make_team(cls.director, (cls.a, cls.b))
		cls.hangzhou = make_team(cls.lead, (cls.c,), parent=cls.east.name)
		cls.xihu = make_team(None, (cls.d,), parent=cls.hangzhou.name)

	def test_repeated_member_is_refused(self):
		user = make_user("CRM Sales User")
		with self.assertRaisesRegex(frappe.ValidationError, "is listed twice in team"):
			make_team(members=(user, user))

	def test_the_tree_is_nested(self):
		east = frappe.get_doc("CRM Sales Team", self.east.name)
		xihu = frappe.get_doc("CRM Sales Team", self.xihu.name)
		self.assertTrue(east.lft < xihu.lft < xihu.rgt < east.rgt)

	def test_a_manager_leads_every_team_below_theirs(self):
		self.assertEqual(
			set(users_led_by(self.director)), {self.director, self.a, self.b, self.lead, self.c, self.d}
		)
		self.assertEqual(set(users_led_by(self.lead)), {self.lead, self.c, self.d})

	def test_someone_leading_nothing_sees_only_themselves(self):
		self.assertEqual(users_led_by(self.a), [self.a])

	def test_managers_of_a_member_are_the_nearest_managers_above(self):
		self.assertEqual(managers_of(self.a), {self.director})
		self.assertEqual(managers_of(self.c), {self.lead})
		# 西湖 has no manager of its own, so the 杭州 lead manages d
		self.assertEqual(managers_of(self.d), {self.lead})
		# a manager is managed by the manager of the team above
		self.assertEqual(managers_of(self.lead), {self.director})
		self.assertEqual(managers_of(self.director), set())

	def test_a_member_of_two_teams_has_both_managers(self):
		other_manager = make_user("CRM Sales Manager")
		make_team(other_manager, (self.b,))
		self.assertEqual(managers_of(self.b), {self.director, other_manager})

	def test_team_changes_clear_the_visibility_cache(self):
		manager, member, newcomer = make_user("CRM Sales Manager"), make_user("CRM Sales User"), make_user()
		team = make_team(manager, (member,))
		self.assertEqual(set(users_led_by(manager)), {manager, member})  # now cached
		team.append("members", {"user": newcomer})
		team.save()
		self.assertEqual(set(users_led_by(manager)), {manager, member, newcomer})
		sub = make_team(None, (self.c,), parent=team.name)
		self.assertIn(self.c, users_led_by(manager))
		frappe.delete_doc("CRM Sales Team", sub.name)
		self.assertNotIn(self.c, users_led_by(manager))

	def test_moving_a_sub_team_moves_its_people(self):
		other_manager = make_user("CRM Sales Manager")
		other = make_team(other_manager)
		sub = make_team(None, (make_user("CRM Sales User"),), parent=self.east.name)
		member = sub.members[0].user
		self.assertIn(member, users_led_by(self.director))
		sub.parent_crm_sales_team = other.name
		sub.save()
		self.assertNotIn(member, users_led_by(self.director))
		self.assertIn(member, users_led_by(other_manager))
		self.assertEqual(managers_of(member), {other_manager})
