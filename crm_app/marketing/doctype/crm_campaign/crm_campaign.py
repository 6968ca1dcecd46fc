import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt
from jinja2 import TemplateSyntaxError

from crm_app.marketing import campaigns


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
		if self.status not in (campaigns.DRAFT, None) and self.has_value_changed("segment"):
			frappe.throw(_("The segment of a campaign that has started cannot change"))
		for field in ("email_subject", "email_body", "sms_text"):
			check_template(self, field)

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


def check_template(doc, field: str) -> None:
	"""A template that does not parse is refused when saved, not when a thousand messages fail."""
	try:
		frappe.get_jenv().parse(doc.get(field) or "")
	except TemplateSyntaxError as error:
		frappe.throw(
			_("{0}: the template cannot be read at line {1}: {2}").format(
				_(doc.meta.get_label(field)), error.lineno, error.message
			)
		)
