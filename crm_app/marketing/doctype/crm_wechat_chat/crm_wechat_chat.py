import frappe
from frappe.model.document import Document


class CRMWeChatChat(Document):
	# begin: auto-generated types
	# end: auto-generated types

	pass


def on_doctype_update():
	# one chat per user and conversation: an import finds it again, and a re-import updates it in place
	frappe.db.add_unique("CRM WeChat Chat", ["imported_by", "chat_key"], "imported_by_chat_key")
