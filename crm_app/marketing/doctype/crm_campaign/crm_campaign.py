import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from crm_app.marketing import campaigns, templates
from crm_app.permissions import check_people_in_reach


class CRMCampaign(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		self.total_cost = sum(flt(row.amount) for row in self.costs)
		if any(flt(row.amount) < 0 for row in self.costs) or flt(self.budget) < 0:
			frappe.throw(_("Budget and costs cannot be negative"))
		if self.start_date and self.end_date and self.end_date < self.start_date:
			frappe.throw(_("The campaign cannot end before it starts"))
		self.utm_campaign = (self.utm_campaign or "").strip() or None
		if not self.is_new():
			check_people_in_reach([self.owner])
		if self.status not in (campaigns.DRAFT, None) and self.has_value_changed("segment"):
			frappe.throw(_("The segment of a campaign that has started cannot change"))
		for field in templates.TEMPLATE_FIELDS:
			templates.check(self, field)

	@frappe.whitelist(methods=["POST"])
	def start(self) -> str:
		self.check_permission("write")
		return campaigns.start(self)

	@frappe.whitelist(methods=["POST"])
	def pause(self) -> str:
		self.check_permission("write")
		return campaigns.set_status(self, campaigns.PAUSED)

	@frappe.whitelist(methods=["POST"])
	def resume(self) -> str:
		self.check_permission("write")
		return campaigns.set_status(self, campaigns.SENDING)

	@frappe.whitelist(methods=["POST"])
	def cancel_sending(self) -> str:
		self.check_permission("write")
		return campaigns.set_status(self, campaigns.CANCELLED)
