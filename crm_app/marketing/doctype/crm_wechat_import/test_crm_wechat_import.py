"""CRM WeChat Import: a file that is no chat export is refused before anything is saved; an import lands each
message once on its customer's timeline, as the importing user, in their reach only."""

from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.marketing import wechat

FIXTURES = Path(frappe.get_app_path("crm_app")).parent / "tests" / "fixtures" / "wechat"


def chat_file(content: bytes, name: str = "chat.csv") -> str:
	"""A private file the current user uploaded, as upload_file leaves it; returns its URL."""
	return (
		frappe.get_doc({"doctype": "File", "file_name": name, "content": content, "is_private": 1})
		.insert()
		.file_url
	)


def wechatmsg_csv(wechat_id: str) -> bytes:
	return (FIXTURES / "wechatmsg.csv").read_bytes().replace(b"wxid_zhao6_huadong", wechat_id.encode())


def new_import(file_url: str):
	doc = frappe.get_doc({"doctype": "CRM WeChat Import", "import_file": file_url}).insert()
	# the test runs the import's job itself, here: a worker on the bench must not run it a second time once the
	# job's own commit would queue it
	frappe.db.after_commit.reset()
	return doc


def import_and_run(file_url: str):
	name = new_import(file_url).name
	wechat.run_import(name)
	return frappe.get_doc("CRM WeChat Import", name)


def interactions_of(customer: str) -> list[dict]:
	return frappe.get_all(
		"CRM Interaction",
		filters={"customer": customer},
		fields=["interaction_type", "summary", "owner", "customer_owner", "wechat_message_key"],
		order_by="interaction_time asc",
	)


class TestCRMWeChatImport(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.sales = make_user("CRM Sales User")
		cls.other_sales = make_user("CRM Sales User")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_a_file_that_is_no_chat_is_refused_and_nothing_saved(self):
		frappe.set_user(self.sales)
		before = frappe.db.count("CRM WeChat Import")
		url = chat_file("这不是聊天记录\n只是一段话\n".encode(), "notes.txt")
		with self.assertRaisesRegex(frappe.ValidationError, "No message headers were found"):
			frappe.get_doc({"doctype": "CRM WeChat Import", "import_file": url}).insert()
		self.assertEqual(frappe.db.count("CRM WeChat Import"), before)

	def test_a_file_of_someone_else_is_refused_as_missing(self):
		url = chat_file(wechatmsg_csv(f"wxid_{frappe.generate_hash(length=8)}"))
		frappe.set_user(self.sales)
		with self.assertRaises(frappe.DoesNotExistError):
			frappe.get_doc({"doctype": "CRM WeChat Import", "import_file": url}).insert()

	def test_messages_land_once_on_the_customer_in_reach(self):
		wechat_id = f"wxid_{frappe.generate_hash(length=10)}"
		mine = make_customer(sales_owner=self.sales, wechat_id=wechat_id)
		frappe.set_user(self.sales)
		url = chat_file(wechatmsg_csv(wechat_id))
		done = import_and_run(url)
		self.assertEqual(
			(done.status, done.layout, done.imported_by, done.message_count, done.new_interactions),
			("Done", "CSV", self.sales, 6, 6),
		)
		self.assertEqual((done.chats_matched, done.chats_unmatched, done.skipped_lines), (1, 0, 1))
		rows = interactions_of(mine.name)
		self.assertEqual({row.interaction_type for row in rows}, {"WeChat"})
		self.assertEqual({(row.owner, row.customer_owner) for row in rows}, {(self.sales, self.sales)})
		self.assertEqual(rows[0].summary, "赵六: 在吗？想问下你们的空压机保养套餐")
		self.assertEqual(frappe.db.get_value("CRM Customer", mine.name, "interaction_count"), 6)

		again = import_and_run(chat_file(wechatmsg_csv(wechat_id), "again.csv"))
		self.assertEqual((again.new_interactions, again.duplicates_skipped), (0, 6))
		self.assertEqual(len(interactions_of(mine.name)), 6)

	def test_a_customer_out_of_reach_is_never_matched(self):
		wechat_id = f"wxid_{frappe.generate_hash(length=10)}"
		theirs = make_customer(sales_owner=self.other_sales, wechat_id=wechat_id)
		frappe.set_user(self.sales)
		done = import_and_run(chat_file(wechatmsg_csv(wechat_id)))
		self.assertEqual((done.chats_matched, done.chats_unmatched, done.new_interactions), (0, 1, 0))
		self.assertEqual(interactions_of(theirs.name), [])
		chat = frappe.get_all(
			"CRM WeChat Chat", filters={"wechat_import": done.name}, fields=["status", "customer"]
		)
		self.assertEqual([(row.status, row.customer) for row in chat], [("Unmatched", None)])

	def test_a_failed_read_in_the_job_is_recorded(self):
		frappe.set_user(self.sales)
		doc = new_import(chat_file(wechatmsg_csv("wxid_gone")))
		frappe.db.set_value("File", {"file_url": doc.import_file}, "file_url", "/private/files/gone.csv")
		wechat.run_import(doc.name)
		self.assertEqual(
			frappe.db.get_value("CRM WeChat Import", doc.name, ["status", "error"]),
			("Failed", "The chat file is no longer there"),
		)
