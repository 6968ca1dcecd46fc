import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.customers.doctype.crm_interaction.crm_interaction import interactions_of
from crm_app.customers.duplicates import (
	desk_link,
	identifiers,
	others_sharing,
	record_duplicate_candidate,
	refuse_duplicates,
)
from crm_app.customers.search import forget_customers, index_customers
from crm_app.domain.completeness import completeness
from crm_app.domain.names import name_key, pinyin_search_key
from crm_app.permissions import validate_owner_change
from crm_app.service.portal import keep_portal_users
from crm_app.validation import normalize_address, normalize_identifiers


class CRMCustomer(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		self.normalize_identifiers()
		self.normalize_contacts()
		normalize_address(self)
		validate_owner_change(self, "sales_owner")
		self.name_key = name_key(self.customer_name)
		self.pinyin_key = pinyin_search_key(self.customer_name)
		# one statement finds both a duplicate and a customer of a similar name
		renamed = self.is_new() or self.has_value_changed("customer_name")
		others = others_sharing(
			self, self.doctype, {**identifiers(self), "name_key": renamed and self.name_key}
		)
		refuse_duplicates(self, others=others)
		self.flag_similar_name(others if renamed else [])
		self.completeness = completeness(self)

	def normalize_identifiers(self):
		self.customer_name = (self.customer_name or "").strip()
		if self.customer_type == "Individual":
			self.uscc = None
		normalize_identifiers(self)

	def normalize_contacts(self):
		for contact in self.contacts:
			contact.contact_name = (contact.contact_name or "").strip()
			normalize_identifiers(contact, prefix=_("Row {0}").format(contact.idx) + " ")
		if sum(1 for contact in self.contacts if contact.is_primary) > 1:
			frappe.throw(_("Only one contact can be the primary contact"))
		keep_portal_users(self)

	def flag_similar_name(self, others: list):
		"""Warn about a similar name now; the candidate for a manager's review is recorded on update."""
		similar = next((other for other in others if self.name_key and other.name_key == self.name_key), None)
		if not similar:
			return
		self.flags.similar_customer = similar.name
		if frappe.has_permission(self.doctype, "read", doc=similar.name):
			message = _("Possible duplicate: {0} has a similar name").format(
				desk_link(self.doctype, similar.name, similar.title)
			)
		else:
			message = _("Possible duplicate: a customer with a similar name exists under another owner")
		frappe.msgprint(message, indicator="orange", alert=True)

	def on_update(self):
		if self.flags.similar_customer:
			record_duplicate_candidate(self.name, self.flags.similar_customer)
		if self.is_new() or self.has_value_changed("customer_name") or self.has_value_changed("mobile_no"):
			index_customers([(self.name, self.customer_name, self.mobile_no)], new=bool(self.flags.in_insert))

	def on_trash(self):
		forget_customers([self.name])

	def show_unique_validation_message(self, e):
		"""A simultaneous save won the race for a unique identifier: report it like any other duplicate."""
		refuse_duplicates(self, for_update=True)
		super().show_unique_validation_message(e)


def on_doctype_update():
	# 客户信息完整率 counts every customer in reach from this index alone
	frappe.db.add_index(
		"CRM Customer", ["sales_owner", "completeness", "last_interaction_at"], "completeness_index"
	)


def build_timeline(customer: str) -> list[dict]:
	"""Interactions, changes and comments of one customer, newest first."""
	entries = [
		{
			"kind": "interaction",
			"time": row.interaction_time,
			"by": row.owner,
			"reference": row.name,
			"type": row.interaction_type,
			"text": row.summary,
			"contact_name": row.contact_name,
		}
		for row in interactions_of("CRM Customer", customer)
	]
	entries += [
		{
			"kind": "change",
			"time": row.creation,
			"by": row.owner,
			"reference": row.name,
			"data": frappe.parse_json(row.data),
		}
		for row in frappe.get_all(
			"Version",
			filters={"ref_doctype": "CRM Customer", "docname": customer},
			fields=["name", "creation", "owner", "data"],
		)
	]
	entries += [
		{
			"kind": "comment",
			"time": row.creation,
			"by": row.owner,
			"reference": row.name,
			"type": row.comment_type,
			"text": row.content,
		}
		for row in frappe.get_all(
			"Comment",
			filters={"reference_doctype": "CRM Customer", "reference_name": customer},
			fields=["name", "creation", "owner", "comment_type", "content"],
		)
	]
	return sorted(entries, key=lambda entry: entry["time"], reverse=True)
