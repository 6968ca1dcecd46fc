import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from crm_app.customers.doctype.crm_interaction.crm_interaction import refresh_follow_up_summaries
from crm_app.customers.duplicates import (
	first_duplicate,
	identifiers,
	others_sharing,
	refuse_duplicates,
	throw_duplicate,
)
from crm_app.domain.scoring import bant_score
from crm_app.marketing.consent import grant_from_inquiry
from crm_app.permissions import may_read_owned, refresh_owner_copies, validate_owner_change
from crm_app.sales_pipeline.doctype.crm_sales_stage.crm_sales_stage import first_stage
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import bant_weights
from crm_app.sales_pipeline.pool import claim
from crm_app.validation import normalize_address, normalize_identifiers

# How a lead's say in the purchase becomes the contact's role on the customer.
DECISION_ROLE_BY_AUTHORITY = {
	"Decision Maker": "Decision Maker",
	"Influencer": "Influencer",
	"No Authority": "User",
}


class CRMLead(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		self.lead_name = (self.lead_name or "").strip()
		self.company_name = (self.company_name or "").strip() or None
		normalize_identifiers(self)
		normalize_address(self)
		validate_owner_change(self, "lead_owner")
		self.score = self.bant_score()
		if self.status == "Converted" and not self.converted_customer:
			frappe.throw(_("Use Convert to turn a lead into a customer"))
		refuse_duplicates(self, "CRM Lead")
		if not self.converted_customer:
			refuse_duplicates(self, "CRM Customer")

	def show_unique_validation_message(self, e):
		refuse_duplicates(self, "CRM Lead", for_update=True)
		super().show_unique_validation_message(e)

	def bant_score(self) -> int:
		answers = {
			"Budget": self.bant_budget,
			"Authority": self.bant_authority,
			"Need": self.bant_need,
			"Timeline": self.bant_timeline,
		}
		return bant_score(answers, bant_weights())

	def convert(self, opportunity_name: str | None = None, amount: float | None = None) -> dict:
		"""Make (or find) the customer, a first opportunity, and link the lead to both."""
		if self.converted_customer:
			frappe.throw(
				_("Lead {0} was already converted to customer {1}").format(self.name, self.converted_customer)
			)
		if not self.lead_owner:  # a lead in the public pool is claimed first, under the pool's rules
			claim("CRM Lead", self.name)
			self.reload()
		customer = self.existing_customer() or self.create_customer()
		if self.marketing_consent_confirmed_at:
			grant_from_inquiry(customer, self)
		opportunity = frappe.get_doc(
			{
				"doctype": "CRM Opportunity",
				"opportunity_name": opportunity_name
				or _("{0} - first deal").format(self.company_name or self.lead_name),
				"customer": customer,
				"contact_name": self.lead_name,
				"opportunity_owner": self.lead_owner or frappe.session.user,
				"stage": first_stage(),
				"amount": amount,
				"source_lead": self.name,
				"campaign": self.campaign,
			}
		)
		opportunity.flags.computed_fields_set = True
		opportunity.insert()
		frappe.db.set_value("CRM Interaction", {"lead": self.name}, "customer", customer)
		refresh_owner_copies("CRM Customer", [customer])
		refresh_follow_up_summaries("CRM Customer", [customer])
		self.update(
			{
				"status": "Converted",
				"converted_customer": customer,
				"converted_opportunity": opportunity.name,
				"converted_at": now_datetime(),
			}
		)
		self.flags.computed_fields_set = True
		self.save()
		return {"customer": customer, "opportunity": opportunity.name}

	def existing_customer(self) -> str | None:
		"""The customer this lead already is, matched on mobile, e-mail or credit code, if the user may see it."""
		if not (found := first_duplicate(self, others_sharing(self, "CRM Customer", identifiers(self)))):
			return None
		existing, label = found
		if not may_read_owned("CRM Customer", existing.name, existing.owner):
			throw_duplicate("CRM Customer", existing, label)
		return existing.name

	def create_customer(self) -> str:
		contact = {
			"contact_name": self.lead_name,
			"decision_role": DECISION_ROLE_BY_AUTHORITY.get(self.bant_authority),
			"job_title": self.job_title,
			"mobile_no": self.mobile_no,
			"email_id": self.email_id,
			"wechat_id": self.wechat_id,
			"is_primary": 1,
		}
		customer = frappe.get_doc(
			{
				"doctype": "CRM Customer",
				"customer_name": self.company_name or self.lead_name,
				"customer_type": "Company" if self.company_name else "Individual",
				"uscc": self.uscc,
				"mobile_no": self.mobile_no,
				"email_id": self.email_id,
				"wechat_id": self.wechat_id,
				"source_channel": self.source_channel,
				"industry": self.industry,
				"province": self.province,
				"city": self.city,
				"district": self.district,
				"sales_owner": self.lead_owner or frappe.session.user,
				"contacts": [contact] if self.company_name else [],
			}
		)
		return customer.insert().name
