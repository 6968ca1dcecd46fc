import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.domain.scoring import DIMENSIONS


class CRMSettings(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		for fieldname in ("pool_return_days", "pool_daily_claim_limit", "default_max_idle_days"):
			if (self.get(fieldname) or 0) < 1:
				frappe.throw(_("{0} must be at least 1").format(_(self.meta.get_label(fieldname))))
		if not 0 <= (self.quotation_discount_threshold or 0) <= 100:
			frappe.throw(_("The approval threshold must be between 0 and 100%"))
		if not 0 <= (self.default_tax_rate or 0) <= 100:
			frappe.throw(_("VAT rate must be between 0 and 100%"))
		seen = set()
		for row in self.bant_weights:
			if (row.dimension, row.answer) in seen:
				frappe.throw(
					_("Row {0}: {1} / {2} is listed twice").format(row.idx, _(row.dimension), _(row.answer))
				)
			seen.add((row.dimension, row.answer))
		if (
			sum(max((r.points for r in self.bant_weights if r.dimension == d), default=0) for d in DIMENSIONS)
			> 100
		):
			frappe.throw(_("The best answers add up to more than 100 points"))


def get_settings():
	return frappe.get_cached_doc("CRM Settings")


def bant_weights() -> dict[tuple[str, str], int]:
	return {(row.dimension, row.answer): row.points for row in get_settings().bant_weights}
