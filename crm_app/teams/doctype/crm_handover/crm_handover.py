import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, get_fullname, now_datetime

from crm_app.permissions import check_people_in_reach
from crm_app.teams.handover import transfer_records


class CRMHandover(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		"""Runs on submit too: a manager hands over only within the teams they lead."""
		check_people_in_reach([self.from_user, self.to_user])
		if self.from_user == self.to_user:
			frappe.throw(_("The successor must be someone other than the leaving salesperson"))
		if not frappe.db.get_value("User", self.to_user, "enabled"):
			frappe.throw(_("The successor {0} is disabled").format(escape_html(get_fullname(self.to_user))))

	def before_submit(self):
		moved = transfer_records(self.from_user, self.to_user)
		self.handed_over_at = now_datetime()
		self.moved_records = []
		for doctype, count in sorted(moved.items()):
			self.append("moved_records", {"document_type": doctype, "records": count})
