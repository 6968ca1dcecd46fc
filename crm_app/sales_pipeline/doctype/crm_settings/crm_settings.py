import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.domain.association import Thresholds
from crm_app.domain.churn import MAX_DAYS, ChurnPolicy
from crm_app.domain.errors import DomainError
from crm_app.domain.rfm import TierRule, validate_rules
from crm_app.domain.scoring import DIMENSIONS
from crm_app.validation import throw_domain_error

# the analysis settings a nightly run cannot do without
ANALYSIS_SETTINGS = (
	"rfm_window_days",
	"churn_multiple",
	"churn_min_orders",
	"churn_default_interval_days",
	"association_window_days",
	"association_min_customers",
)


# fieldname: (default, most)
# the gateway's token proves a reply is the gateway's: long enough not to be guessed
MIN_TOKEN_LENGTH = 16
SENDING_LIMITS = {"messages_per_minute": (300, 10000), "max_send_attempts": (5, 10)}


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
		self.validate_analysis()
		token = self.get_password("sms_reply_token", raise_exception=False) if self.sms_reply_token else ""
		if token and len(token) < MIN_TOKEN_LENGTH:
			frappe.throw(
				_("The SMS reply token must be at least {0} characters long").format(MIN_TOKEN_LENGTH)
			)
		for fieldname, (default, most) in SENDING_LIMITS.items():
			self.set(fieldname, self.get(fieldname) or default)
			if not 1 <= self.get(fieldname) <= most:
				frappe.throw(
					_("{0} must be between {1} and {2}").format(_(self.meta.get_label(fieldname)), 1, most)
				)

	def validate_analysis(self):
		for fieldname in ANALYSIS_SETTINGS:
			if self.get(fieldname) in (None, ""):
				frappe.throw(_("{0} is required").format(_(self.meta.get_label(fieldname))))
		for fieldname in ("rfm_window_days", "association_window_days"):
			if not 1 <= self.get(fieldname) <= MAX_DAYS:
				frappe.throw(
					_("{0} must be between {1} and {2}").format(
						_(self.meta.get_label(fieldname)), 1, MAX_DAYS
					)
				)
		for row in self.value_tier_rules:
			try:
				validate_rules([tier_rule(row)])
			except DomainError as error:
				throw_domain_error(error, _("Value Tier Rules") + " " + _("Row {0}").format(row.idx))
		try:
			self.churn_policy().validate()
			self.association_thresholds().validate()
		except DomainError as error:
			throw_domain_error(error)

	def tier_rules(self) -> list[TierRule]:
		return [tier_rule(row) for row in self.value_tier_rules]

	def churn_policy(self) -> ChurnPolicy:
		return ChurnPolicy(self.churn_multiple, self.churn_min_orders, self.churn_default_interval_days)

	def association_thresholds(self) -> Thresholds:
		return Thresholds(
			self.association_min_customers,
			(self.association_min_support or 0) / 100,
			(self.association_min_confidence or 0) / 100,
			self.association_min_lift or 0,
		)


def tier_rule(row) -> TierRule:
	return TierRule(row.tier, row.min_recency_score, row.min_frequency_score, row.min_monetary_score)


def get_settings():
	return frappe.get_cached_doc("CRM Settings")


def sending_limit(fieldname: str) -> int:
	return get_settings().get(fieldname) or SENDING_LIMITS[fieldname][0]


def bant_weights() -> dict[tuple[str, str], int]:
	return {(row.dimension, row.answer): row.points for row in get_settings().bant_weights}
