"""CRM WeChat Chat: a chat no customer matches waits for its user, who picks the customer by hand; its
messages then land on that customer's timeline, and later imports of the chat follow that choice."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.marketing import wechat
from crm_app.marketing.doctype.crm_wechat_import.test_crm_wechat_import import (
	chat_file,
	import_and_run,
	interactions_of,
	wechatmsg_csv,
)


class TestCRMWeChatChat(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.sales = make_user("CRM Sales User")
		cls.other_sales = make_user("CRM Sales User")

	def tearDown(self):
		frappe.set_user("Administrator")

	def unmatched_chat(self, wechat_id: str) -> str:
		done = import_and_run(chat_file(wechatmsg_csv(wechat_id)))
		return frappe.get_value("CRM WeChat Chat", {"wechat_import": done.name}, "name")

	def test_an_unmatched_chat_waits_then_lands_where_its_user_says(self):
		# 赵总 is not a name the chat gives, so nothing matches it
		mine = make_customer(sales_owner=self.sales, contacts=[{"contact_name": "赵总"}])
		wechat_id = f"wxid_{frappe.generate_hash(length=10)}"
		frappe.set_user(self.sales)
		name = self.unmatched_chat(wechat_id)
		chat = frappe.get_doc("CRM WeChat Chat", name)
		self.assertEqual((chat.status, chat.message_count, chat.imported_by), ("Unmatched", 6, self.sales))
		self.assertIn("赵六: 在吗", chat.preview)

		self.assertEqual(wechat.match_by_hand(name, mine.name, "赵总"), {"interactions": 6, "duplicates": 0})
		rows = interactions_of(mine.name)
		self.assertEqual(len(rows), 6)
		chat.reload()
		self.assertEqual((chat.status, chat.customer, chat.pending_messages), ("Matched", mine.name, None))
		with self.assertRaisesRegex(frappe.ValidationError, "already matched"):
			wechat.match_by_hand(name, mine.name)

		# the next export of the chat goes where the user put it, without repeating a message
		again = import_and_run(chat_file(wechatmsg_csv(wechat_id), "again.csv"))
		self.assertEqual((again.chats_matched, again.new_interactions, again.duplicates_skipped), (1, 0, 6))

	def test_a_chat_cannot_go_to_a_customer_out_of_reach_nor_be_seen_by_another(self):
		theirs = make_customer(sales_owner=self.other_sales)
		frappe.set_user(self.sales)
		name = self.unmatched_chat(f"wxid_{frappe.generate_hash(length=10)}")
		with self.assertRaises(frappe.DoesNotExistError):
			wechat.match_by_hand(name, theirs.name)
		self.assertEqual(interactions_of(theirs.name), [])
		frappe.set_user(self.other_sales)
		self.assertFalse(frappe.get_list("CRM WeChat Chat", filters={"name": name}))
		with self.assertRaises(frappe.DoesNotExistError):
			wechat.match_by_hand(name, theirs.name)
