import frappe
from frappe import _
from frappe.utils.nestedset import NestedSet

from crm_app.replica import primary_reads

# Redis hash: manager -> everyone whose records that manager sees. Any team change clears it.
VISIBILITY_CACHE = "crm_app:team_visibility"


class CRMSalesTeam(NestedSet):
	# begin: auto-generated types
	# end: auto-generated types

	nsm_parent_field = "parent_crm_sales_team"

	def validate(self):
		self.refuse_repeated_members()

	def on_update(self):
		super().on_update()
		clear_team_visibility_cache()

	def on_trash(self):
		super().on_trash()
		clear_team_visibility_cache()

	def refuse_repeated_members(self):
		seen = set()
		for member in self.members:
			if member.user in seen:
				frappe.throw(_("{0} is listed twice in team {1}").format(member.user, self.team_name))
			seen.add(member.user)


def clear_team_visibility_cache():
	frappe.cache.delete_key(VISIBILITY_CACHE)


def users_led_by(manager: str) -> list[str]:
	"""The manager, and every member and manager of the teams they lead, sub-teams included."""
	users = frappe.cache.hget(VISIBILITY_CACHE, manager)
	if users is None:
		# read from the primary even within a replica read: a lagging replica's teams would stay cached
		with primary_reads():
			users = sorted({manager, *users_of_teams("manager", manager)})
		frappe.cache.hset(VISIBILITY_CACHE, manager, users)
	return users


def team_users(team: str) -> list[str]:
	"""Every member and manager of the team and its sub-teams."""
	return sorted(users_of_teams("name", team))


def users_of_teams(field: str, value: str) -> set[str]:
	"""The members and managers of the teams whose `field` (a trusted column name) is `value`, and of their
	sub-teams."""
	rows = frappe.db.sql(
		f"""
		select member.user
		from `tabCRM Sales Team` lead
		join `tabCRM Sales Team` sub on sub.lft >= lead.lft and sub.rgt <= lead.rgt
		join `tabCRM Sales Team Member` member
			on member.parent = sub.name and member.parenttype = 'CRM Sales Team'
		where lead.`{field}` = %(value)s
		union
		select sub.manager
		from `tabCRM Sales Team` lead
		join `tabCRM Sales Team` sub on sub.lft >= lead.lft and sub.rgt <= lead.rgt
		where lead.`{field}` = %(value)s and sub.manager is not null
		""",
		{"value": value},
	)
	return {row[0] for row in rows}


def managers_of(user: str) -> set[str]:
	"""Who manages `user`: the manager of each team they belong to, or of the nearest team above that has one."""
	teams = frappe.get_all(
		"CRM Sales Team Member", filters={"user": user, "parenttype": "CRM Sales Team"}, pluck="parent"
	)
	teams += frappe.get_all("CRM Sales Team", filters={"manager": user}, pluck="parent_crm_sales_team")
	managers = set()
	for team in filter(None, teams):
		while team:
			manager, parent = frappe.db.get_value(
				"CRM Sales Team", team, ["manager", "parent_crm_sales_team"]
			)
			if manager and manager != user:
				managers.add(manager)
				break
			team = parent
	return managers
