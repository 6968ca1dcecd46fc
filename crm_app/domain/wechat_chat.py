"""Exported WeChat chats read into messages: plain text, CSV and WeCom (企业微信) session archive JSON.

Export tools write a chat in one of three layouts (docs/wechat-import.md):
- plain text, a header line per message ("2024-05-01 10:23:45 张三" or "张三 2024-05-01 10:23:45") followed by
  the message's lines; one file is one conversation;
- CSV, as WeChatMsg (留痕) or PyWxDump write it, or any table whose headers say the same in English or Chinese
  (时间, 发送人, 内容, 微信号, 备注 ...); a file may hold several conversations;
- the WeCom session archive, one decrypted message object per line or a JSON array of them.

Each message gets a stable key (its conversation, time, sender and content), so importing the same or an
overlapping file twice finds the messages it already has.
"""

import csv
import hashlib
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from crm_app.domain.errors import DomainError
from crm_app.domain.names import name_key
from crm_app.domain.phone import normalize_mobile

PLAIN_TEXT = "Plain Text"
CSV_LAYOUT = "CSV"
WECOM_ARCHIVE = "WeCom Archive"
LAYOUTS = (PLAIN_TEXT, CSV_LAYOUT, WECOM_ARCHIVE)

# The names a chat export gives its owner when it does not use their WeChat name.
SELF_NAMES = frozenset({"我", "me", "自己", "self"})
# What a summary keeps of one message; longer ones are cut.
MAX_CONTENT = 4000
HEAD_LINES = 200

# Non-text messages, as WeChat itself shows them in a chat list, by WeChat message type, PyWxDump's type names
# and WeCom's msgtype.
PLACEHOLDERS = {
	"3": "[图片]",
	"34": "[语音]",
	"42": "[名片]",
	"43": "[视频]",
	"47": "[表情]",
	"48": "[位置]",
	"49": "[链接/文件]",
	"50": "[通话]",
	"图片": "[图片]",
	"语音": "[语音]",
	"视频": "[视频]",
	"动画表情": "[表情]",
	"表情": "[表情]",
	"文件": "[文件]",
	"位置": "[位置]",
	"名片": "[名片]",
	"链接": "[链接]",
	"语音通话": "[通话]",
	"音视频通话": "[通话]",
	"image": "[图片]",
	"voice": "[语音]",
	"video": "[视频]",
	"emotion": "[表情]",
	"file": "[文件]",
	"link": "[链接]",
	"weapp": "[小程序]",
	"location": "[位置]",
	"card": "[名片]",
	"redpacket": "[红包]",
	"external_redpacket": "[红包]",
	"meeting_voice_call": "[通话]",
	"voip_doc_share": "[通话]",
	"mixed": "[图文]",
	"chatrecord": "[聊天记录]",
	"news": "[图文]",
	"calendar": "[日程]",
	"todo": "[待办]",
	"vote": "[投票]",
	"collect": "[填表]",
	"docmsg": "[在线文档]",
	"markdown": "[图文]",
	"sphfeed": "[视频号]",
}
TEXT_TYPES = frozenset({"", "1", "text", "文本", "文字", "消息", "markdown"})
# System notices: recalls, "you added …", group changes, WeCom's switch records.
SYSTEM_TYPES = frozenset(
	{
		"10000",
		"10002",
		"系统消息",
		"系统通知",
		"system",
		"sys",
		"recall",
		"revoke",
		"switch",
		"agree",
		"disagree",
	}
)
SYSTEM_SENDERS = frozenset({"系统消息", "系统", "system", "系统通知"})
SYSTEM_TEXT = re.compile(
	r"撤回了一条消息|以下为新消息|现在可以开始聊天了|已添加了|加入了群聊|移出了群聊|修改群名为|拍了拍|"
	r"开启了朋友验证|消息已发出，但被对方拒收了"
)

MOBILE = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?(1[3-9]\d[-\s]?\d{4}[-\s]?\d{4})(?!\d)")
# Separators in remark names such as "张三-新叶贸易" or "王经理（华东机电）".
NAME_PARTS = re.compile(r"[\s\-_/|·•,，、()（）\[\]【】<>《》:：]+")

_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?"
STAMP = re.compile(rf"(?P<date>{_DATE})[\sT]*(?P<time>{_TIME})")
# A header line: the time then the sender, or the sender then the time, perhaps with a colon or brackets.
HEADER_TIME_FIRST = re.compile(
	rf"^\s*[\[(（]?(?P<stamp>{_DATE}[\sT]+{_TIME})[\])）]?(?:\s+(?P<name>.*?))?\s*[:：]?\s*$"
)
HEADER_NAME_FIRST = re.compile(
	rf"^\s*(?P<name>\S.*?)\s+[\[(（]?(?P<stamp>{_DATE}[\sT]+{_TIME})[\])）]?\s*[:：]?\s*$"
)


@dataclass(frozen=True)
class Message:
	time: datetime  # naive, in the site's time zone
	sender: str
	content: str
	from_self: bool

	def key(self, chat_key: str) -> str:
		"""The message's stable identity: the same message in another export of the same chat has the same key."""
		text = "\x1f".join((chat_key, self.time.strftime("%Y-%m-%d %H:%M:%S"), self.sender, self.content))
		return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass
class Chat:
	"""One conversation of the file, and what may tell whose it is."""

	key: str  # the talker: a WeChat ID, a WeCom user ID or chat room, or the counterpart's name
	wechat_id: str = ""
	names: list[str] = field(default_factory=list)  # remark name, nickname
	mobiles: list[str] = field(default_factory=list)
	messages: list[Message] = field(default_factory=list)

	@property
	def title(self) -> str:
		return next(iter(self.names), "") or self.wechat_id or self.key

	def name_candidates(self) -> list[str]:
		"""Each name, and each part of a remark such as "张三-新叶贸易", to compare with customer and contact names."""
		candidates = []
		for name in self.names:
			for candidate in (name, *NAME_PARTS.split(name)):
				candidate = candidate.strip()
				if len(candidate) >= 2 and not MOBILE.fullmatch(candidate) and candidate not in candidates:
					candidates.append(candidate)
		return candidates

	def mobile_candidates(self) -> list[str]:
		"""Mobile numbers written in the chat's identifiers, digits only."""
		found = []
		for text in (*self.mobiles, *self.names, self.wechat_id):
			for match in MOBILE.finditer(text or ""):
				number = re.sub(r"\D", "", match.group(1))
				if number not in found:
					found.append(number)
		return found


@dataclass
class ChatFile:
	layout: str
	chats: list[Chat]
	skipped: int = 0  # system notices and lines that are no message

	@property
	def message_count(self) -> int:
		return sum(len(chat.messages) for chat in self.chats)


def read_chat_file(
	data: bytes,
	tz: str = "Asia/Shanghai",
	self_names: list[str] | tuple[str, ...] = (),
	head_only: bool = False,
) -> ChatFile:
	"""The conversations of an exported chat file. `tz`: the time zone epoch times are shown in (the site's);
	`self_names`: the names the importing user has in the chat besides 我/Me; `head_only`: read only the first
	lines, to refuse a file that is no chat export before reading it all."""
	text = decode(data)
	selves = {name.strip().lower() for name in self_names if name and name.strip()} | SELF_NAMES
	layout = detect_layout(text)
	if layout == WECOM_ARCHIVE:  # JSON is read whole, and quickly; its messages only as far as asked
		result = read_wecom_archive(text, ZoneInfo(tz), HEAD_LINES if head_only else None)
	else:
		if head_only:
			text = "\n".join(text.split("\n")[:HEAD_LINES])
		if layout == CSV_LAYOUT:
			result = read_csv(text, ZoneInfo(tz), selves)
		else:
			result = read_plain_text(text, selves)
	if not result.message_count:
		raise DomainError("The file holds no chat messages that could be read")
	for chat in result.chats:
		chat.messages.sort(key=lambda message: message.time)
	return result


def decode(data: bytes) -> str:
	"""The file's text: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030 as Chinese Windows tools
	write it; line ends made plain."""
	if not data or not data.strip():
		raise DomainError("The file is empty")
	if data.startswith((b"\xff\xfe", b"\xfe\xff")):
		text = data.decode("utf-16")
	elif (
		data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"SQLite format"))
		or b"\x00" in data[:4096]
	):
		raise DomainError("The file is not a text export of a chat; export it as TXT, CSV or JSON")
	else:
		try:
			text = data.decode("utf-8-sig")
		except UnicodeDecodeError:
			try:
				text = data.decode("gb18030")
			except UnicodeDecodeError:
				raise DomainError(
					"The file's encoding is not UTF-8 or GBK; save it as UTF-8 and try again"
				) from None
	return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def detect_layout(text: str) -> str:
	start = text.lstrip()[:1]
	if start in ("{", "["):
		return WECOM_ARCHIVE
	first_line = text.lstrip().split("\n", 1)[0]
	if csv_columns(split_csv_line(first_line)):
		return CSV_LAYOUT
	return PLAIN_TEXT


# --- times -----------------------------------------------------------------------------------------------------


def parse_stamp(value: str) -> datetime | None:
	"""A written date and time ("2024-05-01 10:23:45", "2024/5/1 10:23", "2024年5月1日 10:23"), or None."""
	match = STAMP.search(value or "")
	if not match:
		return None
	year, month, day = (int(part) for part in re.findall(r"\d+", match.group("date")))
	clock = [int(part) for part in match.group("time").split(":")]
	try:
		return datetime(year, month, day, clock[0], clock[1], clock[2] if len(clock) > 2 else 0)
	except ValueError:
		return None


def from_epoch(value: float, tz: ZoneInfo) -> datetime:
	if value > 1e11:  # milliseconds, as WeCom writes them
		value /= 1000
	return datetime.fromtimestamp(value, tz).replace(tzinfo=None)


def parse_time(value, tz: ZoneInfo) -> datetime | None:
	"""A message time given as epoch seconds or milliseconds, or written out."""
	text = str(value if value is not None else "").strip()
	if re.fullmatch(r"\d{9,13}(\.\d+)?", text):
		return from_epoch(float(text), tz)
	return parse_stamp(text)


# --- content ---------------------------------------------------------------------------------------------------


def message_content(kind: str, content: str) -> str | None:
	"""What a message says: its text, or a short placeholder for a picture, voice message and the like; None for
	a system notice."""
	kind = (kind or "").strip().lower()
	content = (content or "").strip()
	if kind in SYSTEM_TYPES:
		return None
	if kind not in TEXT_TYPES:
		return PLACEHOLDERS.get(kind, "[其他消息]")
	if not content or (SYSTEM_TEXT.search(content) and len(content) < 80):
		return None
	if content.startswith("<") and content.endswith(">"):  # the XML WeChat stores for cards, links and files
		return "[链接/文件]"
	return content[:MAX_CONTENT]


# --- plain text ------------------------------------------------------------------------------------------------


def header(line: str) -> tuple[str, datetime, str] | None:
	"""(style, time, sender) when the line may start a message."""
	for style, pattern in (("time first", HEADER_TIME_FIRST), ("name first", HEADER_NAME_FIRST)):
		match = pattern.match(line)
		if match and (time := parse_stamp(match.group("stamp"))):
			return style, time, (match.group("name") or "").strip()
	return None


def header_senders(candidates: list[tuple[str, datetime, str]], selves: set[str]) -> tuple[str, set[str]]:
	"""The file's header style and the senders whose header lines start messages. A line of a message can look
	like a header too ("约 2024-05-06 10:00"): a sender named once in a chat with several is taken for text."""
	style = Counter(candidate[0] for candidate in candidates).most_common(1)[0][0]
	counts = Counter(name for kind, _time, name in candidates if kind == style)
	senders = {
		name for name, count in counts.items() if count >= 2 or name.lower() in selves | SYSTEM_SENDERS
	}
	if not any(name.lower() not in selves for name in senders if name):
		others = [(count, name) for name, count in counts.items() if name.lower() not in selves]
		senders |= {name for count, name in others if count == max(others)[0]} if others else set()
	return style, senders


def read_plain_text(text: str, selves: set[str]) -> ChatFile:
	"""One conversation: header lines, each followed by its message's lines. The counterpart is the sender, not
	the user, with the most messages."""
	lines = text.split("\n")
	found = [header(line) for line in lines]
	candidates = [candidate for candidate in found if candidate]
	if not candidates:
		raise DomainError(
			'No message headers were found; each message must start with a line such as "2024-05-01 10:23:45 张三"'
		)
	style, senders = header_senders(candidates, selves)
	entries: list[tuple[datetime, str, list[str]]] = []
	skipped = 0
	for line, candidate in zip(lines, found, strict=True):
		if candidate and candidate[0] == style and (candidate[2] in senders or not candidate[2]):
			entries.append((candidate[1], candidate[2], []))
		elif entries:
			entries[-1][2].append(line)
		elif line.strip():
			skipped += 1
	messages = []
	for time, sender, body in entries:
		content = message_content("text", "\n".join(body).strip("\n"))
		if content is None or not sender or sender.lower() in SYSTEM_SENDERS:
			skipped += 1
			continue
		messages.append(Message(time, sender, content, sender.lower() in selves))
	others = Counter(message.sender for message in messages if not message.from_self)
	if not others:
		raise DomainError("The chat holds only your own messages, so whom it is with cannot be told")
	counterpart = others.most_common(1)[0][0]
	chat = Chat(key=counterpart, names=[counterpart], messages=messages)
	return ChatFile(PLAIN_TEXT, [chat], skipped)


# --- CSV -------------------------------------------------------------------------------------------------------

# What each column means, by the header names export tools and people use (compared without case, spaces and
# underscores).
COLUMN_NAMES = {
	# whom the chat is with (a friend's WeChat ID, a chat room), on every row of the chat, whoever sent it
	"chat": (
		"strtalker",
		"roomname",
		"roomid",
		"会话",
		"会话id",
		"聊天对象",
		"微信号",
		"好友微信号",
		"对方微信号",
		"联系人微信号",
		"wxid",
		"wechatid",
		"chatid",
	),
	"chat_number": ("talkerid",),
	"sender_id": (
		"sender",
		"talker",
		"senderid",
		"from",
		"fromuser",
		"发送人微信号",
		"发送者微信号",
		"发送人id",
	),
	"sender_name": (
		"nickname",
		"sendername",
		"发送人",
		"发送者",
		"昵称",
		"发送人昵称",
		"发送者昵称",
		"名称",
		"name",
	),
	"remark": ("remark", "备注", "备注名", "好友备注", "联系人"),
	"mobile": ("mobile", "phone", "手机", "手机号", "手机号码", "电话"),
	"is_sender": (
		"issender",
		"issend",
		"isself",
		"direction",
		"是否发送",
		"是否我发送",
		"我发送",
		"发送方向",
		"收发",
	),
	"time": (
		"createtime",
		"strtime",
		"time",
		"datetime",
		"msgtime",
		"时间",
		"发送时间",
		"消息时间",
		"日期时间",
		"日期",
	),
	"content": (
		"strcontent",
		"content",
		"msg",
		"message",
		"text",
		"内容",
		"消息内容",
		"消息",
		"聊天内容",
		"文本",
	),
	"kind": ("type", "typename", "msgtype", "类型", "消息类型"),
}
COLUMN_LOOKUP = {name: role for role, names in COLUMN_NAMES.items() for name in names}
TRUE_VALUES = frozenset({"1", "true", "yes", "是", "发送", "发出", "send", "sent", "out", "outgoing"})


def column_key(header: str) -> str:
	return re.sub(r"[\s_\-]+", "", (header or "").strip().strip('"').lower())


def split_csv_line(line: str) -> list[str]:
	delimiter = "\t" if line.count("\t") > line.count(",") else ","
	return next(csv.reader([line], delimiter=delimiter), [])


def csv_columns(headers: list[str]) -> dict[str, int]:
	"""{role: column index} when the headers are those of a chat table (a time and a content column), else {}."""
	columns: dict[str, int] = {}
	for index, header_name in enumerate(headers):
		role = COLUMN_LOOKUP.get(column_key(header_name))
		# CreateTime before StrTime: the first column of a role wins
		if role and role not in columns:
			columns[role] = index
	return columns if {"time", "content"} <= set(columns) else {}


def read_csv(text: str, tz: ZoneInfo, selves: set[str]) -> ChatFile:
	first_line = text.split("\n", 1)[0]
	delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
	reader = csv.reader(io.StringIO(text), delimiter=delimiter)
	try:
		header_row, *rows = list(reader)
	except csv.Error:
		raise DomainError("The CSV file is malformed near line {0}", reader.line_num) from None
	columns = csv_columns(header_row)

	def cell(row: list[str], role: str) -> str:
		index = columns.get(role)
		return row[index].strip() if index is not None and index < len(row) else ""

	groups: dict[str, list[tuple[list[str], Message]]] = {}
	skipped = 0
	for row in rows:
		if not any(value.strip() for value in row):
			continue
		time = parse_time(cell(row, "time"), tz)
		content = message_content(cell(row, "kind") or "text", cell(row, "content"))
		if time is None or content is None:
			skipped += 1
			continue
		sender = cell(row, "sender_name") or cell(row, "remark") or cell(row, "sender_id")
		from_self = (
			cell(row, "is_sender").lower() in TRUE_VALUES
			if "is_sender" in columns
			else sender.lower() in selves
		)
		group = cell(row, "chat") or cell(row, "chat_number")
		groups.setdefault(group, []).append((row, Message(time, sender, content, from_self)))
	chats = []
	for group, entries in groups.items():
		# who the chat is with: what the rows the user did not send say of their sender
		theirs = [row for row, message in entries if not message.from_self] or [entries[0][0]]
		senders = Counter(cell(row, "sender_id") for row in theirs if cell(row, "sender_id"))
		wechat_id = cell(theirs[0], "chat") or next(iter(senders.most_common(1)), ("",))[0]
		names = []
		for role in ("remark", "sender_name"):
			for name, _count in Counter(cell(row, role) for row in theirs).most_common():
				if name and name not in names and name != wechat_id:
					names.append(name)
		if wechat_id.endswith("@chatroom"):  # a group chat: its members' names say nothing of whose it is
			names = []
		mobiles = sorted({cell(row, "mobile") for row in theirs} - {""})
		key = wechat_id or next(iter(names), "") or group
		if not key:
			raise DomainError("The CSV file does not say whom its messages were exchanged with")
		chats.append(Chat(key, wechat_id, names, mobiles, [message for _row, message in entries]))
	return ChatFile(CSV_LAYOUT, chats, skipped)


# --- WeCom session archive -------------------------------------------------------------------------------------

# WeCom user IDs of people outside the company (customers on WeChat or in another company's WeCom).
EXTERNAL_ID = re.compile(r"^w[mob][A-Za-z0-9_-]{10,}$")


def wecom_records(text: str) -> list[dict]:
	stripped = text.strip()
	if stripped.startswith("["):
		try:
			records = json.loads(stripped)
		except json.JSONDecodeError as error:
			raise DomainError("The JSON file is malformed near line {0}", error.lineno) from None
	else:
		records = []
		for number, line in enumerate(stripped.split("\n"), start=1):
			if not (line := line.strip().rstrip(",")):
				continue
			try:
				records.append(json.loads(line))
			except json.JSONDecodeError:
				raise DomainError("Line {0} of the JSON file is not a message object", number) from None
	if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
		raise DomainError("The JSON file is not a list of WeCom archive messages")
	return records


def read_wecom_archive(text: str, tz: ZoneInfo, limit: int | None = None) -> ChatFile:
	"""Decrypted WeCom archive messages: msgid, action, from, tolist, roomid, msgtime (ms), msgtype and a body
	named after the type (text.content). The chat is the room, or the person outside the company."""
	records = wecom_records(text)[:limit]
	if records and not any("msgtime" in record or "msgtype" in record for record in records):
		raise DomainError(
			"The JSON file is not a WeCom session archive: its messages have no msgtime or msgtype"
		)
	chats: dict[str, Chat] = {}
	skipped = 0
	for record in records:
		sender = str(record.get("from") or "").strip()
		kind = str(record.get("msgtype") or record.get("action") or "").strip().lower()
		if record.get("action", "send") != "send":
			kind = str(record["action"]).lower()
		body = record.get(kind) if isinstance(record.get(kind), dict) else {}
		content = message_content(kind, str(body.get("content") or ""))
		time = parse_time(record.get("msgtime"), tz)
		if content is None or time is None or not sender:
			skipped += 1
			continue
		listed = record.get("tolist")
		recipients = [str(person) for person in listed if person] if isinstance(listed, list) else []
		room = str(record.get("roomid") or "").strip()
		if room:
			key, from_self = room, not EXTERNAL_ID.match(sender)
		else:
			people = [sender, *recipients]
			outside = next((person for person in people if EXTERNAL_ID.match(person)), None)
			key = outside or (recipients[0] if recipients else sender)
			from_self = sender != key
		chat = chats.setdefault(key, Chat(key, key))
		chat.messages.append(Message(time, sender, content, from_self))
	return ChatFile(WECOM_ARCHIVE, list(chats.values()), skipped)


# --- whose chat it is ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
	"""A customer, or one of its contacts, as the chat's identifiers may name them."""

	customer: str
	contact_name: str | None
	wechat_id: str
	mobile: str  # E.164
	name: str  # the customer's or the contact's name


def chat_mobiles(chat: Chat) -> list[str]:
	"""The chat's mobile numbers in E.164, as customers and contacts store them."""
	numbers = []
	for digits in chat.mobile_candidates():
		try:
			numbers.append(normalize_mobile(digits))
		except DomainError:
			continue
	return numbers


def lookup_values(chats: list[Chat]) -> dict[str, list[str]]:
	"""What to look customers and contacts up by, for all the chats at once: WeChat IDs, mobiles, names and the
	name keys of names."""
	values = {"wechat_ids": set(), "mobiles": set(), "names": set(), "name_keys": set()}
	for chat in chats:
		values["wechat_ids"] |= {value for value in (chat.wechat_id, chat.key) if value}
		values["mobiles"] |= set(chat_mobiles(chat))
		values["names"] |= set(chat.name_candidates())
		values["name_keys"] |= {name_key(name) for name in chat.name_candidates()} - {""}
	return {kind: sorted(found) for kind, found in values.items()}


def choose_party(chat: Chat, parties: list[Party]) -> Party | None:
	"""The one customer the chat is with, or None when none or several fit.

	A WeChat ID decides before a mobile number, and a mobile number before names; among names, the customer
	matching most of the remark's parts ("张三-新叶贸易": contact 张三 of customer 新叶贸易) wins, alone."""
	ids = {value.lower() for value in (chat.wechat_id, chat.key) if value}
	mobiles = set(chat_mobiles(chat))
	keys = {name_key(name) for name in chat.name_candidates()} - {""}
	for fits in (
		lambda party: party.wechat_id.lower() in ids,
		lambda party: party.mobile in mobiles,
	):
		found = [party for party in parties if fits(party)]
		if found:
			customers = {party.customer for party in found}
			return best_contact(found) if len(customers) == 1 else None
	score: Counter = Counter()
	found = [party for party in parties if party.name and name_key(party.name) in keys]
	for party in found:
		score[party.customer] += 1
	if not score:
		return None
	ranked = score.most_common(2)
	if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
		return None
	return best_contact([party for party in found if party.customer == ranked[0][0]])


def best_contact(parties: list[Party]) -> Party:
	"""Of the ways one customer was found, the one naming a contact, if any."""
	return next((party for party in parties if party.contact_name), parties[0])
