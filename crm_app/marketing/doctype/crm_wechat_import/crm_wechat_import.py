import frappe
from frappe.model.document import Document

from crm_app.marketing import wechat


class CRMWeChatImport(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		if self.is_new():
			self.imported_by = frappe.session.user
			wechat.check_file(self)

	def after_insert(self):
		wechat.start(self)
