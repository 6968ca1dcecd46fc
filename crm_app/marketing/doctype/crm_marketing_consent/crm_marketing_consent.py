import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from crm_app.domain.errors import DomainError
from crm_app.marketing.consent import CUSTOMER_WITHDRAWALS, GRANTED, normalized_address, owner_of_address
from crm_app.validation import throw_domain_error


class CRMMarketingConsent(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		try:
			self.address = normalized_address(self.channel, self.address)
		except DomainError as error:
			throw_domain_error(error, _("Address"))
		known, contact = owner_of_address(self.customer, self.channel, self.address)
		if not known:
			frappe.throw(_("{0} is not an address of this customer or of its contacts").format(self.address))
		self.contact = contact
		before = self.get_doc_before_save()
		customer_withdrew = before and before.withdrawn_via in CUSTOMER_WITHDRAWALS
		# staff say how the customer gave it again; a confirmation through the inquiry page's link is the customer's
		# own act (crm_app/marketing/consent.py)
		given_again = self.flags.confirmed_by_holder or self.has_value_changed("note")
		if self.status == GRANTED and customer_withdrew and not given_again:
			frappe.throw(
				_("The customer withdrew this consent themselves; say in the note how they gave it again")
			)
		if self.status == GRANTED and (not before or before.status != GRANTED):
			# a consent recorded later keeps the moment it was given (the inquiry page's)
			given = self.granted_at if not before else None
			self.granted_at, self.withdrawn_at, self.withdrawn_via = given or now_datetime(), None, None
		elif self.status != GRANTED and (not before or before.status == GRANTED):
			self.withdrawn_at, self.withdrawn_via = now_datetime(), "By Staff"


def on_doctype_update():
	frappe.db.add_unique(
		"CRM Marketing Consent", ["customer", "channel", "address"], "crm_consent_of_address"
	)
	frappe.db.add_index("CRM Marketing Consent", ["channel", "address"], "crm_consent_by_address")
