import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, now_datetime

from crm_app.bulk import CHUNK
from crm_app.domain.errors import DomainError
from crm_app.domain.tag_rules import Condition, matching_customers, matching_queries, validate_condition
from crm_app.validation import throw_domain_error


class CRMTagRule(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		if not self.conditions:
			frappe.throw(_("A tag rule needs at least one condition"))
		for row in self.conditions:
			try:
				validate_condition(as_condition(row))
			except DomainError as error:
				throw_domain_error(error, _("Row {0}").format(row.idx))

	def on_update(self):
		if not self.enabled:
			self.remove_tags()

	def on_trash(self):
		self.remove_tags()

	@frappe.whitelist(methods=["POST"])
	def apply_now(self) -> dict:
		self.check_permission("write")
		added, removed = self.apply()
		return {"added": added, "removed": removed, "matched": self.matched_customers}

	def apply(self) -> tuple[int, int]:
		"""Tag every customer that meets the conditions and untag those that no longer do: the conditions are
		evaluated once, and what changes is written a chunk of customers per statement."""
		matched = matching_customers(
			[
				(query.meets, frappe.db.sql_list(query.sql, query.params))
				for query in matching_queries([as_condition(row) for row in self.conditions], now_datetime())
			]
		)
		tagged, stale = set(), []
		for name, parent, tag, tag_rule, source in frappe.db.sql(
			"""select name, parent, tag, tag_rule, source from `tabCRM Customer Tag`
			where parenttype = 'CRM Customer' and (tag = %(tag)s or tag_rule = %(rule)s)""",
			{"tag": self.tag, "rule": self.name},
		):
			if tag == self.tag:
				tagged.add(parent)
			if tag_rule == self.name and source == "Rule" and (tag != self.tag or parent not in matched):
				stale.append(name)
		for start in range(0, len(stale), CHUNK):
			frappe.db.delete("CRM Customer Tag", {"name": ("in", stale[start : start + CHUNK])})
		untagged = sorted(matched - tagged)
		now = now_datetime()
		params = {"rule": self.name, "tag": self.tag, "user": frappe.session.user, "now": now}
		# row names salted with a secret of this run, so no one can guess a row's name from rule and customer
		params["salt"] = frappe.generate_hash()
		added = 0
		for start in range(0, len(untagged), CHUNK):
			frappe.db.sql(
				"""
				insert into `tabCRM Customer Tag`
					(name, creation, modified, owner, modified_by, docstatus, idx,
					parent, parenttype, parentfield, tag, source, tag_rule)
				select md5(concat(%(salt)s, c.name)), %(now)s, %(now)s, %(user)s, %(user)s, 0, 0,
					c.name, 'CRM Customer', 'tags', %(tag)s, 'Rule', %(rule)s
				from `tabCRM Customer` c where c.name in %(names)s
				""",
				{**params, "names": untagged[start : start + CHUNK]},
			)
			added += frappe.db.sql("select row_count()")[0][0]
		self.matched_customers = len(matched)
		self.last_applied_at = now
		self.db_set({"matched_customers": self.matched_customers, "last_applied_at": self.last_applied_at})
		return added, len(stale)

	def remove_tags(self) -> None:
		"""Drop every tag this rule gave."""
		frappe.db.delete(
			"CRM Customer Tag",
			{"tag_rule": self.name, "source": "Rule", "parenttype": "CRM Customer"},
		)


def as_condition(row) -> Condition:
	return Condition(
		metric=row.metric,
		operator=row.operator,
		value=row.value,
		period_days=cint(row.period_days),
		fieldname=row.fieldname or None,
	)


def apply_enabled_rules() -> None:
	for name in frappe.get_all("CRM Tag Rule", filters={"enabled": 1}, pluck="name", order_by="name"):
		frappe.get_doc("CRM Tag Rule", name).apply()
