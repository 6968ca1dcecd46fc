import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.customers.doctype.crm_tag_rule.crm_tag_rule import as_condition
from crm_app.domain.errors import DomainError
from crm_app.domain.tag_rules import validate_condition
from crm_app.validation import throw_domain_error


class CRMSegment(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		if not self.conditions:
			frappe.throw(_("A segment needs at least one condition"))
		for row in self.conditions:
			try:
				validate_condition(as_condition(row))
			except DomainError as error:
				throw_domain_error(error, _("Row {0}").format(row.idx))
			if row.metric == "Has Tag" and not frappe.db.exists("CRM Tag", row.value):
				frappe.throw(_("Row {0}: there is no tag {1}").format(row.idx, frappe.bold(row.value)))
