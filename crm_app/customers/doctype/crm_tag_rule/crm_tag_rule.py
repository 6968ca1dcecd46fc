import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, now_datetime

from crm_app.domain.errors import DomainError
from crm_app.domain.tag_rules import Condition, matching_customers_sql, validate_condition
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
		"""Tag every customer that meets the conditions and untag those that no longer do, in three statements."""
		matching, params = matching_customers_sql(
			[as_condition(row) for row in self.conditions], now_datetime()
		)
		# row names salted with a secret of this run, so no one can guess a row's name from rule and customer
		params.update(rule=self.name, tag=self.tag, user=frappe.session.user, salt=frappe.generate_hash())
		removed = self.remove_tags(keep=(matching, params))
		frappe.db.sql(
			f"""
			insert into `tabCRM Customer Tag`
				(name, creation, modified, owner, modified_by, docstatus, idx,
				parent, parenttype, parentfield, tag, source, tag_rule)
			select md5(concat(%(salt)s, m.name)), %(now)s, %(now)s, %(user)s, %(user)s, 0, 0,
				m.name, 'CRM Customer', 'tags', %(tag)s, 'Rule', %(rule)s
			from ({matching}) m
			where not exists (
				select 1 from `tabCRM Customer Tag` t
				where t.parent = m.name and t.parenttype = 'CRM Customer' and t.tag = %(tag)s
			)
			""",
			params,
		)
		added = affected_rows()
		self.matched_customers = frappe.db.sql(f"select count(*) from ({matching}) m", params)[0][0]
		self.last_applied_at = now_datetime()
		self.db_set({"matched_customers": self.matched_customers, "last_applied_at": self.last_applied_at})
		return added, removed

	def remove_tags(self, keep: tuple[str, dict] | None = None) -> int:
		"""Drop this rule's tags; with `keep`, only from customers outside that query or under an old tag."""
		params = {"rule": self.name, "tag": self.tag}
		condition = ""
		if keep:
			matching, params = keep
			condition = f"and (t.tag <> %(tag)s or t.parent not in (select m.name from ({matching}) m))"
		frappe.db.sql(
			f"""
			delete t from `tabCRM Customer Tag` t
			where t.tag_rule = %(rule)s and t.source = 'Rule' and t.parenttype = 'CRM Customer' {condition}
			""",
			params,
		)
		return affected_rows()


def as_condition(row) -> Condition:
	return Condition(
		metric=row.metric,
		operator=row.operator,
		value=row.value,
		period_days=cint(row.period_days),
		fieldname=row.fieldname or None,
	)


def affected_rows() -> int:
	return frappe.db.sql("select row_count()")[0][0]


def apply_enabled_rules() -> None:
	for name in frappe.get_all("CRM Tag Rule", filters={"enabled": 1}, pluck="name", order_by="name"):
		frappe.get_doc("CRM Tag Rule", name).apply()
