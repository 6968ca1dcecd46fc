from frappe.model.document import Document
from frappe.utils import cint

from crm_app.domain.coupons import FIXED_AMOUNT, Terms, check_validity_rules
from crm_app.domain.errors import DomainError
from crm_app.validation import throw_domain_error


class CRMCouponType(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		# a type keeps only the terms of its kind: a fixed amount has no percentage or cap, a percentage no amount
		if self.discount_type == FIXED_AMOUNT:
			self.percentage = self.max_discount = 0
		else:
			self.amount = 0
		try:
			Terms.of(self.discount_type, self.amount, self.percentage, self.max_discount, self.min_spend)
			check_validity_rules(cint(self.days_valid), cint(self.limit_per_customer))
		except DomainError as error:
			throw_domain_error(error)
