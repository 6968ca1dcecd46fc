"""Exported WeChat chats read into conversations and messages (crm_app/domain/wechat_chat.py)."""

import json
from datetime import datetime
from pathlib import Path

import pytest

from crm_app.domain.errors import DomainError
from crm_app.domain.wechat_chat import (
	CSV_LAYOUT,
	PLAIN_TEXT,
	WECOM_ARCHIVE,
	Chat,
	Party,
	choose_party,
	lookup_values,
	read_chat_file,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "wechat"


def read(name: str, **kwargs):
	return read_chat_file((FIXTURES / name).read_bytes(), **kwargs)


def test_plain_text_with_the_time_before_the_sender():
	result = read("text_time_first.txt")
	assert result.layout == PLAIN_TEXT
	[chat] = result.chats
	assert (chat.key, chat.names) == ("张三", ["张三"])
	assert [message.sender for message in chat.messages] == ["张三", "我", "张三", "我", "我", "张三"]
	assert [message.from_self for message in chat.messages] == [False, True, False, True, True, False]
	assert chat.messages[0].time == datetime(2024, 5, 1, 10, 23, 45)
	# a message of several lines stays one message; a picture is a short placeholder
	assert chat.messages[2].content == "DH-1200，我们仓库大概 800 平米。\n报价麻烦发我一下，含税含运费。"
	assert chat.messages[3].content == "[图片]"
	# a line inside a message that only looks like a header stays in the message
	assert chat.messages[4].content == "报价单已发您邮箱，约 2024-05-06 10:00 到贵司现场看一下？"
	assert result.skipped == 1  # the recall notice


def test_plain_text_with_the_sender_before_the_time_in_gbk_with_crlf():
	result = read("text_name_first_gbk.txt", self_names=["刘工"])
	[chat] = result.chats
	assert chat.key == "李四"
	assert len(chat.messages) == 5
	assert [message.from_self for message in chat.messages] == [False, True, False, True, False]
	assert chat.messages[2].content == "[语音]"
	assert all("\r" not in message.content for message in chat.messages)


def test_plain_text_without_knowing_the_user_takes_the_busiest_sender_as_the_counterpart():
	text = (
		"2024-05-02 09:15:00 李四\n你好\n\n2024-05-02 09:16:00 刘工\n在\n\n2024-05-02 09:17:00 李四\n报价呢\n"
	)
	assert read_chat_file(text.encode()).chats[0].key == "李四"


def test_wechatmsg_csv_with_a_bom_epoch_times_and_message_types():
	result = read("wechatmsg.csv")
	assert result.layout == CSV_LAYOUT
	[chat] = result.chats
	assert (chat.key, chat.wechat_id) == ("wxid_zhao6_huadong", "wxid_zhao6_huadong")
	assert chat.names == ["赵六-华东机电", "赵六"]
	assert [message.content for message in chat.messages] == [
		"在吗？想问下你们的空压机保养套餐",
		"在的赵总，年度保养套餐 4800 元，含两次上门",
		"[图片]",
		"这是我们的设备铭牌，\n麻烦确认下型号",
		"[语音]",
		"型号没问题，合同今天发您",
	]
	# epoch seconds shown in the site's time zone
	assert chat.messages[0].time == datetime(2024, 5, 1, 10, 23, 45)
	assert [message.from_self for message in chat.messages] == [False, True, False, False, True, True]
	assert result.skipped == 1  # "你已添加了赵六" (type 10000)


def test_pywxdump_csv_names_the_chat_by_its_room_column():
	[chat] = read("pywxdump.csv").chats
	assert chat.wechat_id == "wxid_qian7"
	assert [message.content for message in chat.messages][-1] == "[图片]"
	assert [message.from_self for message in chat.messages] == [False, True, False]


def test_csv_with_chinese_headers_in_gbk_holds_two_chats():
	result = read("chinese_headers_gbk.csv")
	by_key = {chat.key: chat for chat in result.chats}
	assert set(by_key) == {"sunba_1988", "zhou9_xm"}
	sunba = by_key["sunba_1988"]
	assert sunba.messages[0].time == datetime(2024, 5, 4, 9, 1)
	assert [message.from_self for message in sunba.messages] == [False, True]
	assert sunba.mobile_candidates() == ["13912345678"]
	assert by_key["zhou9_xm"].messages[-1].content == "[图片]"


@pytest.mark.parametrize("name", ["wecom_archive.jsonl", "wecom_archive_array.json"])
def test_wecom_archive_one_object_per_line_or_an_array(name):
	result = read(name)
	assert result.layout == WECOM_ARCHIVE
	customer = "wmErxtDgAA9AW32cc7ZbRLSgCGmqL9Aw"
	chat = next(chat for chat in result.chats if chat.key == customer)
	assert chat.wechat_id == customer
	assert [message.content for message in chat.messages] == [
		"吴总您好，合同盖章版已寄出，单号 SF1234567890",
		"收到，谢谢王经理",
		"[图片]",
	]
	assert [message.from_self for message in chat.messages] == [True, False, False]
	# milliseconds since the epoch, in the site's time zone
	assert chat.messages[0].time.replace(microsecond=0) == datetime(2024, 5, 3, 10, 0, 0)


def test_wecom_archive_groups_a_room_and_skips_recalls_and_switches():
	result = read("wecom_archive.jsonl")
	assert {chat.key for chat in result.chats} == {
		"wmErxtDgAA9AW32cc7ZbRLSgCGmqL9Aw",
		"wrErxtDgAAFhYc8UNxfM0zZp4iPcfl8g",
	}
	assert result.skipped == 2


def test_utf16_with_bom_and_old_mac_line_ends_are_read():
	text = "2024-05-01 10:23:45 张三\r你好\r\r2024-05-01 10:24:00 我\r您好\r"
	chat = read_chat_file(text.encode("utf-16")).chats[0]
	assert [message.content for message in chat.messages] == ["你好", "您好"]


def test_the_same_message_in_another_export_has_the_same_key():
	once = read("text_time_first.txt").chats[0]
	again = read_chat_file((FIXTURES / "text_time_first.txt").read_text().encode("gb18030")).chats[0]
	assert [message.key(once.key) for message in once.messages] == [
		message.key(again.key) for message in again.messages
	]
	assert len({message.key(once.key) for message in once.messages}) == len(once.messages)


@pytest.mark.parametrize(
	"data, words",
	[
		(b"", "empty"),
		(b"   \n", "empty"),
		(b"PK\x03\x04\x14\x00\x06\x00", "not a text export"),
		(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text export"),
		(b"2024-05-01 10:23:45 \xff\xff\xff\n\x80\x80\n", "encoding"),
		("今天天气不错\n我们下周见\n".encode(), "No message headers"),
		(b'[{"msgid": "1", "action": "send"', "malformed"),
		(b'{"msgid": "1", "action": "send"', "Line 1"),
		(b'[{"msgid": "1"}, 3]', "not a list"),
		(b'{"name": "not wecom"}\n', "no msgtime"),
		(b'{"msgid": "1", "msgtime": 1714701600123}\nnot json\n', "Line 2"),
		("时间,内容\n2024-05-01 10:00,\n".encode(), "no chat messages"),
		("2024-05-01 10:23:45 我\n只有我自己\n".encode(), "only your own messages"),
	],
)
def test_files_it_cannot_read_are_refused_with_a_clear_message(data, words):
	with pytest.raises(DomainError) as error:
		read_chat_file(data)
	assert words in str(error.value)


def test_a_csv_cell_too_large_to_read_is_refused():
	data = ('时间,内容\n2024-05-01 10:00,"' + "长" * 200_000 + '"\n').encode()
	with pytest.raises(DomainError, match="malformed near line 2"):
		read_chat_file(data)


def test_head_only_reads_the_first_lines():
	lines = "".join(
		f"2024-05-01 1{minute // 60}:{minute % 60:02d}:00 张三\n第{minute}条\n\n" for minute in range(100)
	)
	result = read_chat_file(lines.encode(), head_only=True)
	assert 0 < result.message_count < 100


def chat(**kwargs) -> Chat:
	return Chat(kwargs.pop("key", "wxid_x"), **kwargs)


def party(customer, contact=None, wechat_id="", mobile="", name="") -> Party:
	return Party(customer, contact, wechat_id, mobile, name)


def test_a_wechat_id_decides_before_a_mobile_and_names():
	found = [
		party("C1", wechat_id="WXID_X"),
		party("C2", mobile="+8613912345678"),
		party("C3", name="孙八"),
	]
	assert choose_party(chat(names=["孙八 13912345678"]), found).customer == "C1"
	assert choose_party(chat(key="other", names=["孙八 13912345678"]), found).customer == "C2"
	assert choose_party(chat(key="other", names=["孙八"]), found).customer == "C3"


def test_a_remark_naming_contact_and_company_picks_the_customer_with_both():
	found = [
		party("C1", "张三", name="张三"),
		party("C2", "张三", name="张三"),
		party("C2", name="杭州新叶贸易有限公司"),
	]
	chosen = choose_party(chat(key="other", names=["张三-杭州新叶贸易"]), found)
	assert (chosen.customer, chosen.contact_name) == ("C2", "张三")


def test_several_customers_with_the_same_identifier_match_none():
	assert (
		choose_party(chat(), [party("C1", wechat_id="wxid_x"), party("C2", "李", wechat_id="wxid_x")]) is None
	)
	assert (
		choose_party(
			chat(key="o", names=["张三"]),
			[party("C1", "张三", name="张三"), party("C2", "张三", name="张三")],
		)
		is None
	)
	assert choose_party(chat(key="o", names=["无名"]), [party("C1", name="张三")]) is None


def test_lookup_values_cover_every_chat():
	values = lookup_values([chat(names=["孙八 13912345678"]), chat(key="wxid_y", wechat_id="wxid_y")])
	assert values["wechat_ids"] == ["wxid_x", "wxid_y"]
	assert values["mobiles"] == ["+8613912345678"]
	assert "孙八" in values["names"] and "孙八" in values["name_keys"]


def test_fixture_json_is_what_wecom_writes():
	records = [json.loads(line) for line in (FIXTURES / "wecom_archive.jsonl").read_text().splitlines()]
	assert {"msgid", "action", "from", "tolist", "roomid", "msgtime", "msgtype"} <= set(records[0])
