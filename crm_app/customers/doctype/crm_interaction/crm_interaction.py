import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from crm_app.customers.doctype.crm_customer.crm_customer import refresh_follow_up_summaries


class CRMInteraction(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		self.summary = (self.summary or "").strip()
		if not self.summary:
			frappe.throw(_("Please write what was discussed"))
		self.validate_contact()
		self.validate_follow_up_date()

	def validate_contact(self):
		if not self.contact_name:
			return
		contacts = frappe.get_all(
			"CRM Customer Contact",
			filters={"parenttype": "CRM Customer", "parent": self.customer},
			pluck="contact_name",
		)
		if self.contact_name not in contacts:
			frappe.throw(_("{0} is not a contact of customer {1}").format(self.contact_name, self.customer))

	def validate_follow_up_date(self):
		if self.next_follow_up_date and getdate(self.next_follow_up_date) < getdate(self.interaction_time):
			frappe.throw(_("The next follow-up date cannot be earlier than the interaction"))

	def on_update(self):
		before = self.get_doc_before_save()
		refresh_follow_up_summaries(list({self.customer, before.customer if before else self.customer}))

	def after_delete(self):
		refresh_follow_up_summaries([self.customer])
