"""WeChat chats into the timeline, as a salesperson does it over REST: upload an exported chat in each layout,
create the import, let the worker read it; the messages land on the customer's timeline, a chat no customer
matches waits to be matched by hand, a re-import adds nothing, and nothing reaches another salesperson's
customer."""

import time
from pathlib import Path

import frappe
import pytest

from tests.integration.client import Client, messages
from tests.integration.conftest import email_of, fresh, settle, unique_mobile, unique_name

# the imports run in the worker, as they do on a live site
pytestmark = pytest.mark.usefixtures("worker")

FIXTURES = Path(__file__).parent.parent / "fixtures" / "wechat"
IMPORT = "CRM WeChat Import"
CHAT = "CRM WeChat Chat"


def fixture(name: str, replacements: dict[str, str], encoding: str = "utf-8") -> bytes:
	"""A fixture whose identifiers are made unique for this run, in the file's own encoding."""
	data = (FIXTURES / name).read_bytes()
	for old, new in replacements.items():
		data = data.replace(old.encode(encoding), new.encode(encoding))
	return data


def new_customer(client: Client, **values) -> str:
	response = client.insert("CRM Customer", {"customer_name": unique_name("微信客户"), **values})
	assert response.status_code == 200, messages(response)
	return response.json()["data"]["name"]


def upload(client: Client, file_name: str, content: bytes) -> str:
	response = client.request(
		"POST", "/api/method/upload_file", files={"file": (file_name, content)}, data={"is_private": 1}
	)
	assert response.status_code == 200, response.text
	return response.json()["message"]["file_url"]


def finished(name: str, limit: float = 900) -> None:
	"""Wait until the import's job has run: known by the import's own status, as every worker on the bench (of
	other test runs too) may take the job."""
	deadline = time.monotonic() + limit
	while True:
		settle()
		if frappe.db.get_value(IMPORT, name, "status") in ("Done", "Failed"):
			return
		if time.monotonic() > deadline:
			pytest.fail(f"the import {name} has not run after {limit:.0f}s")
		time.sleep(0.5)


def run_import(client: Client, file_name: str, content: bytes, **values) -> dict:
	"""Upload, create the import, and return it once the worker has read it."""
	response = client.insert(IMPORT, {"import_file": upload(client, file_name, content), **values})
	assert response.status_code == 200, messages(response)
	name = response.json()["data"]["name"]
	finished(name)
	done = client.get_doc(IMPORT, name)
	assert done.status_code == 200, messages(done)
	assert done.json()["data"]["status"] == "Done", done.json()["data"].get("error")
	return done.json()["data"]


def wechat_interactions(client: Client, customer: str) -> list[dict]:
	return client.list(
		"CRM Interaction",
		fields=["interaction_type", "summary", "contact_name", "owner"],
		filters={"customer": customer, "interaction_type": "WeChat"},
		order_by="interaction_time asc",
	)


def timeline(client: Client, customer: str) -> list[tuple[str, str]]:
	"""(type, text) of the interactions on the customer's timeline."""
	response = client.get("crm_app.api.customers.get_timeline", customer=customer)
	assert response.status_code == 200, messages(response)
	return [
		(entry["type"], entry["text"])
		for entry in response.json()["message"]
		if entry["kind"] == "interaction"
	]


@pytest.fixture(scope="module")
def unique():
	token = frappe.generate_hash(length=8)
	return {
		"wxid": f"wxid_{token}",
		"wecom": f"wm{token}AA9AW32cc7ZbRLSgCGmq",
		"name": f"张{token}",
		"mobile": unique_mobile(),
		"other_wxid": f"wxid_other_{token}",
		"unmatched": f"zhou9_{token}",
	}


def test_each_layout_lands_on_the_customers_timeline(users, unique):
	sales = users["sales_a"]
	by_wechat_id = new_customer(sales, wechat_id=unique["wxid"])
	by_contact_name = new_customer(sales, contacts=[{"contact_name": unique["name"]}])
	by_contact_wecom = new_customer(
		sales, contacts=[{"contact_name": "吴总", "wechat_id": unique["wecom"], "mobile_no": unique_mobile()}]
	)
	by_mobile = new_customer(sales, mobile_no=unique["mobile"])

	csv = run_import(sales, "赵六.csv", fixture("wechatmsg.csv", {"wxid_zhao6_huadong": unique["wxid"]}))
	assert (csv["layout"], csv["imported_by"]) == ("CSV", email_of("sales_a"))
	assert (csv["message_count"], csv["new_interactions"], csv["chats_matched"]) == (6, 6, 1)
	rows = wechat_interactions(sales, by_wechat_id)
	assert len(rows) == 6
	assert rows[0]["summary"] == "赵六: 在吗？想问下你们的空压机保养套餐"
	assert {row["owner"] for row in rows} == {email_of("sales_a")}
	assert ("WeChat", "赵六: 在吗？想问下你们的空压机保养套餐") in timeline(sales, by_wechat_id)

	text = run_import(sales, "张三.txt", fixture("text_time_first.txt", {"张三": unique["name"]}))
	assert (text["layout"], text["new_interactions"], text["skipped_lines"]) == ("Plain Text", 6, 1)
	rows = wechat_interactions(sales, by_contact_name)
	assert {row["contact_name"] for row in rows} == {unique["name"]}

	gbk = run_import(
		sales,
		"导出.csv",
		fixture(
			"chinese_headers_gbk.csv",
			{"13912345678": unique["mobile"], "zhou9_xm": unique["unmatched"]},
			"gbk",
		),
	)
	assert (gbk["chats_matched"], gbk["chats_unmatched"]) == (1, 1)
	assert [row["summary"] for row in wechat_interactions(sales, by_mobile)] == [
		"孙八: 样品收到了，质量不错",
		"王销售: 太好了，批量价格下午报给您",
	]

	wecom = run_import(
		sales,
		"archive.json",
		fixture("wecom_archive.jsonl", {"wmErxtDgAA9AW32cc7ZbRLSgCGmqL9Aw": unique["wecom"]}),
	)
	assert wecom["layout"] == "WeCom Archive"
	# the room has no customer to go to and waits; the chat with 吴总 lands on his company, by his WeChat ID
	assert (wecom["chats_matched"], wecom["chats_unmatched"], wecom["new_interactions"]) == (1, 1, 3)
	assert {row["contact_name"] for row in wechat_interactions(sales, by_contact_wecom)} == {"吴总"}

	fresh()
	customer = frappe.db.get_value("CRM Customer", by_wechat_id, ["interaction_count", "last_interaction_at"])
	assert customer[0] == 6 and customer[1] is not None


def test_a_reimport_adds_nothing_twice(users, unique):
	sales = users["sales_a"]
	content = fixture("wechatmsg.csv", {"wxid_zhao6_huadong": unique["wxid"]})
	again = run_import(sales, "赵六-再次导出.csv", content)
	assert (again["message_count"], again["new_interactions"], again["duplicates_skipped"]) == (6, 0, 6)
	customer = frappe.db.get_value("CRM Customer", {"wechat_id": unique["wxid"]}, "name")
	assert len(wechat_interactions(sales, customer)) == 6


def test_an_unmatched_chat_waits_and_is_matched_by_hand(users, unique):
	sales = users["sales_a"]
	queue = sales.list(
		CHAT,
		fields=["name", "status", "message_count", "preview", "customer"],
		filters={"wechat_id": unique["unmatched"]},
	)
	assert [(row["status"], row["message_count"], row["customer"]) for row in queue] == [
		("Unmatched", 2, None)
	]
	assert "你好，我是厦门鹭岛的周九" in queue[0]["preview"]
	target = new_customer(sales, contacts=[{"contact_name": "周九"}])

	matched = sales.post(
		"crm_app.api.wechat.match_chat", chat=queue[0]["name"], customer=target, contact_name="周九"
	)
	assert matched.status_code == 200, messages(matched)
	assert matched.json()["message"] == {"interactions": 2, "duplicates": 0}
	rows = wechat_interactions(sales, target)
	assert [row["summary"] for row in rows] == ["周九: 你好，我是厦门鹭岛的周九", "周九: [图片]"]
	assert sales.get_doc(CHAT, queue[0]["name"]).json()["data"]["status"] == "Matched"

	twice = sales.post("crm_app.api.wechat.match_chat", chat=queue[0]["name"], customer=target)
	assert twice.status_code == 417
	assert "already matched" in messages(twice)


def test_a_salesperson_never_reaches_another_salespersons_customer(users, unique):
	sales, other = users["sales_a"], users["sales_c"]
	theirs = new_customer(other, wechat_id=unique["other_wxid"])
	done = run_import(
		sales, "钱七.csv", fixture("pywxdump.csv", {"wxid_qian7": unique["other_wxid"]}, "utf-8")
	)
	# the chat's WeChat ID is a customer of sales_c: for sales_a it matches nothing, and says nothing of it
	assert (done["chats_matched"], done["chats_unmatched"], done["new_interactions"]) == (0, 1, 0)
	[chat] = sales.list(CHAT, fields=["name", "customer", "status"], filters={"wechat_import": done["name"]})
	assert (chat["customer"], chat["status"]) == (None, "Unmatched")
	assert wechat_interactions(other, theirs) == []

	refused = sales.post("crm_app.api.wechat.match_chat", chat=chat["name"], customer=theirs)
	missing = sales.post("crm_app.api.wechat.match_chat", chat=chat["name"], customer="CUST-NO-SUCH-ONE")
	assert refused.status_code == missing.status_code == 404
	assert messages(refused).replace(theirs, "X") == messages(missing).replace("CUST-NO-SUCH-ONE", "X")
	assert wechat_interactions(other, theirs) == []

	# sales_c sees neither sales_a's import nor its chats, and cannot match them
	assert other.get_doc(IMPORT, done["name"]).status_code in (403, 404)
	assert other.get_doc(CHAT, chat["name"]).status_code in (403, 404)
	assert other.list(CHAT, filters={"imported_by": email_of("sales_a")}) == []
	assert other.list(IMPORT, filters={"imported_by": email_of("sales_a")}) == []
	taken = other.post("crm_app.api.wechat.match_chat", chat=chat["name"], customer=theirs)
	assert taken.status_code == 404
	assert wechat_interactions(other, theirs) == []
	# their manager sees them
	assert users["east_manager"].get_doc(IMPORT, done["name"]).status_code == 200


def test_a_file_that_is_no_chat_is_refused_and_nothing_saved(users):
	sales = users["sales_a"]
	before = len(sales.list(IMPORT))
	response = sales.insert(
		IMPORT, {"import_file": upload(sales, "notes.txt", "会议纪要\n下周三交货\n".encode())}
	)
	assert response.status_code == 417
	assert "No message headers were found" in messages(response)
	chinese = users["sales_b"]
	response = chinese.insert(
		IMPORT, {"import_file": upload(chinese, "报价.xlsx", b"PK\x03\x04\x14\x00\x06\x00")}
	)
	assert response.status_code == 417
	assert "文件不是文本格式的聊天记录" in messages(response)
	assert len(sales.list(IMPORT)) == before
	# server-written fields are the server's
	forged = sales.insert(
		IMPORT,
		{
			"import_file": upload(sales, "a.csv", fixture("pywxdump.csv", {})),
			"status": "Done",
			"new_interactions": 99,
			"imported_by": email_of("sales_c"),
		},
	)
	assert forged.status_code == 200, messages(forged)
	assert forged.json()["data"]["imported_by"] == email_of("sales_a")
	assert forged.json()["data"]["new_interactions"] in (0, None)
	finished(forged.json()["data"]["name"])
