import frappe

from crm_app.marketing import wechat


@frappe.whitelist(methods=["POST"])
def match_chat(chat: str, customer: str, contact_name: str | None = None) -> dict:
	"""Say whose an unmatched WeChat chat is: its messages land on that customer's timeline."""
	return wechat.match_by_hand(chat, customer, contact_name)
