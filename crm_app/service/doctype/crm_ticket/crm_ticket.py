import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, now_datetime

from crm_app.service import feedback, tickets


class CRMTicket(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def before_insert(self):
		if self.raised_by and not self.customer:
			tickets.take_in_mail(self)
		if not self.service_team:
			self.service_team = tickets.route(self)

	def validate(self):
		if self.is_new():
			self.opened_on = now_datetime()
		self.subject = (self.subject or "").strip()
		if not self.subject:
			frappe.throw(_("Please give the ticket a subject"))
		if not self.customer and not self.raised_by:
			frappe.throw(_("Please choose the customer"))
		if self.satisfaction and not 1 <= cint(self.satisfaction) <= 10:
			frappe.throw(_("Satisfaction is a score from 1 to 10"))
		self.service_level = self.service_level or tickets.service_level_of(self)
		tickets.track_status(self, self.get_doc_before_save())
		tickets.update_clock(self)

	def on_update(self):
		before = self.get_doc_before_save()
		tickets.tell_salesperson(self, before)
		feedback.ask_for_rating(self, before)
