"""WeChat chats into customers' timelines (docs/wechat-import.md).

An import (CRM WeChat Import) reads an exported chat file in a background job: each conversation is matched, in
the importing user's reach only, to one customer by WeChat ID, mobile number or name, and its messages become
WeChat interactions on that customer's timeline. A conversation that matches no customer, or several, waits as a
CRM WeChat Chat until its user picks the customer by hand. Every interaction keeps a key of its message and
customer under a unique index, so importing the same or an overlapping file again adds nothing twice.
"""

import hashlib
import json
import traceback

import frappe
from frappe import _
from frappe.utils import get_datetime, get_system_timezone, now_datetime

from crm_app.bulk import SeriesBlock, autoname_series, insert_values
from crm_app.customers.doctype.crm_interaction.crm_interaction import refresh_follow_up_summaries
from crm_app.domain.errors import DomainError
from crm_app.domain.wechat_chat import Chat, Message, Party, choose_party, lookup_values, read_chat_file
from crm_app.permissions import check_visible, throw_not_found, visible_records_query
from crm_app.validation import throw_domain_error

IMPORT = "CRM WeChat Import"
CHAT = "CRM WeChat Chat"
INTERACTION = "CRM Interaction"
KEY_FIELD = "wechat_message_key"
# Files above this size are read on the long queue, away from the requests' short jobs.
LONG_QUEUE_BYTES = 1_000_000
PREVIEW_MESSAGES = 5
INTERACTION_FIELDS = (
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"customer",
	"customer_name",
	"customer_owner",
	"interaction_type",
	"interaction_time",
	"contact_name",
	"summary",
	KEY_FIELD,
)


# --- the import ------------------------------------------------------------------------------------------------


def file_content(file_url: str) -> bytes:
	"""The bytes of the import's attachment, if the user may read it; otherwise refused as missing."""
	names = frappe.get_list("File", filters={"file_url": file_url, "is_folder": 0}, pluck="name", limit=1)
	if not names:
		throw_not_found("File", file_url)
	content = frappe.get_doc("File", names[0]).get_content()
	# Frappe hands over the text of a UTF-8 file, decoded
	return content.encode() if isinstance(content, str) else content


def self_names(my_names: str | None) -> list[str]:
	return [name.strip() for name in (my_names or "").replace("，", ",").split(",") if name.strip()]


def check_file(doc) -> None:
	"""Refuse, before anything is saved, a file that is no chat export we can read (its first lines tell)."""
	try:
		read_chat_file(file_content(doc.import_file), get_system_timezone(), self_names(doc.my_names), True)
	except DomainError as error:
		throw_domain_error(error, _("Chat File"))


def start(doc) -> None:
	size = frappe.db.get_value("File", {"file_url": doc.import_file}, "file_size") or 0
	frappe.enqueue(
		"crm_app.marketing.wechat.run_import",
		queue="long" if size > LONG_QUEUE_BYTES else "default",
		job_id=f"crm_wechat_import::{doc.name}",
		deduplicate=True,
		enqueue_after_commit=True,
		import_name=doc.name,
	)


def run_import(import_name: str) -> None:
	"""The background job of one import: its status and counts say how it went."""
	doc = frappe.get_doc(IMPORT, import_name)
	doc.db_set({"status": "Running", "started_at": now_datetime(), "progress": 0, "error": None})
	frappe.db.commit()
	try:
		counts = import_chats(doc)
	except DomainError as error:
		fail(doc, _(error.message).format(*error.args_))
		return
	except frappe.DoesNotExistError:
		fail(doc, _("The chat file is no longer there"))
		return
	except Exception:
		fail(doc, traceback.format_exc(limit=5)[-2000:])
		raise
	doc.db_set({"status": "Done", "progress": 100, "finished_at": now_datetime(), **counts})
	frappe.db.commit()
	tell_progress(doc, 100, _("Done"))


def import_chats(doc) -> dict:
	"""Read the file, match its chats and land their messages; returns the import's counts."""
	parsed = read_chat_file(file_content(doc.import_file), get_system_timezone(), self_names(doc.my_names))
	tell_progress(doc, 20, _("Matching chats to customers"))
	parties = find_parties(parsed.chats, doc.imported_by)
	remembered = remembered_customers(parsed.chats, doc.imported_by)
	matched, unmatched = [], []
	for chat in parsed.chats:
		party = remembered.get(chat_key(chat)) or choose_party(chat, parties)
		(matched if party else unmatched).append((chat, party))
	tell_progress(doc, 40, _("Adding messages to timelines"))
	# a chat matched now lands what earlier imports left waiting too
	waiting = waiting_messages(parsed.chats, doc.imported_by)
	to_land = [
		(party, chat_key(chat), [*chat.messages, *messages_of(waiting.get(chat_key(chat), []))])
		for chat, party in matched
	]
	landed = land_messages(to_land, doc.imported_by)
	keep_chats(doc, matched, unmatched, waiting)
	return {
		"layout": parsed.layout,
		"message_count": parsed.message_count,
		"new_interactions": landed,
		"duplicates_skipped": sum(len(messages) for _party, _key, messages in to_land) - landed,
		"skipped_lines": parsed.skipped,
		"chats_matched": len(matched),
		"chats_unmatched": len(unmatched),
	}


def fail(doc, message: str) -> None:
	frappe.db.rollback()
	doc.db_set({"status": "Failed", "error": message, "finished_at": now_datetime()})
	frappe.db.commit()
	tell_progress(doc, 100, message)


def tell_progress(doc, percent: int, description: str) -> None:
	"""Progress on the form, live and on reload (nothing is written before the messages land at once)."""
	doc.db_set("progress", percent, commit=True)
	frappe.publish_progress(
		percent, title=_("WeChat import"), description=description, doctype=IMPORT, docname=doc.name
	)


# --- whose chat it is ------------------------------------------------------------------------------------------


def find_parties(chats: list[Chat], user: str) -> list[Party]:
	"""Customers in the user's reach, and their contacts, that any of the chats' identifiers name: two
	statements for the whole file."""
	values = {kind: tuple(found) for kind, found in lookup_values(chats).items()}
	visible = visible_records_query("CRM Customer", user)
	in_reach = f"and {{column}} in ({visible})" if visible else ""
	parties = []
	customer_conditions = [
		condition
		for condition, kind in (
			("c.wechat_id in %(wechat_ids)s", "wechat_ids"),
			("c.mobile_no in %(mobiles)s", "mobiles"),
			("c.name_key in %(name_keys)s", "name_keys"),
		)
		if values[kind]
	]
	if customer_conditions:
		parties += [
			Party(row.name, None, row.wechat_id or "", row.mobile_no or "", row.customer_name or "")
			for row in frappe.db.sql(
				f"""select c.name, c.wechat_id, c.mobile_no, c.customer_name from `tabCRM Customer` c
				where ({" or ".join(customer_conditions)}) {in_reach.format(column="c.name")}""",
				values,
				as_dict=True,
			)
		]
	contact_conditions = [
		condition
		for condition, kind in (
			("cc.wechat_id in %(wechat_ids)s", "wechat_ids"),
			("cc.mobile_no in %(mobiles)s", "mobiles"),
			("cc.contact_name in %(names)s", "names"),
		)
		if values[kind]
	]
	if contact_conditions:
		parties += [
			Party(
				row.parent, row.contact_name, row.wechat_id or "", row.mobile_no or "", row.contact_name or ""
			)
			for row in frappe.db.sql(
				f"""select cc.parent, cc.contact_name, cc.wechat_id, cc.mobile_no
				from `tabCRM Customer Contact` cc
				where cc.parenttype = 'CRM Customer' and ({" or ".join(contact_conditions)})
				{in_reach.format(column="cc.parent")}""",
				values,
				as_dict=True,
			)
		]
	return parties


def chat_key(chat: Chat) -> str:
	return chat.key[:140]


def remembered_customers(chats: list[Chat], user: str) -> dict[str, Party]:
	"""The customers the user matched these chats to before, by hand or by an earlier import, while still in
	their reach."""
	keys = [chat_key(chat) for chat in chats]
	visible = visible_records_query("CRM Customer", user)
	rows = frappe.db.sql(
		f"""select chat.chat_key, chat.customer, chat.contact_name from `tab{CHAT}` chat
		where chat.imported_by = %(user)s and chat.chat_key in %(keys)s and chat.status = 'Matched'
		{f"and chat.customer in ({visible})" if visible else ""}""",
		{"user": user, "keys": tuple(keys)},
		as_dict=True,
	)
	return {row.chat_key: Party(row.customer, row.contact_name, "", "", "") for row in rows}


# --- messages onto timelines -----------------------------------------------------------------------------------


def stored_key(customer: str, message_key: str) -> str:
	"""The key an interaction keeps: one message lands once on each customer's timeline, and a customer seen by
	one salesperson never keeps the same chat from landing on another's."""
	return hashlib.sha1(f"{customer}\x1f{message_key}".encode()).hexdigest()


def land_messages(chats: list[tuple[Party, str, list[Message]]], user: str) -> int:
	"""Insert the messages of matched chats as WeChat interactions, those not there yet, in bulk; returns how
	many were added."""
	rows = {}
	for party, key, messages in chats:
		for message in messages:
			stored = stored_key(party.customer, message.key(key))
			rows.setdefault(stored, (party, message))
	if not rows:
		return 0
	existing = set(
		frappe.db.sql_list(
			f"select `{KEY_FIELD}` from `tab{INTERACTION}` where `{KEY_FIELD}` in %(keys)s",
			{"keys": tuple(rows)},
		)
	)
	new = {stored: row for stored, row in rows.items() if stored not in existing}
	if not new:
		return 0
	customers = {
		row.name: row
		for row in frappe.get_all(
			"CRM Customer",
			filters={"name": ("in", sorted({party.customer for party, _message in new.values()}))},
			fields=["name", "customer_name", "sales_owner"],
		)
	}
	names = iter(SeriesBlock(autoname_series(INTERACTION), INTERACTION).reserve(len(new)))
	now = now_datetime()
	values = [
		(
			next(names),
			now,
			now,
			user,
			user,
			0,
			party.customer,
			customers[party.customer].customer_name,
			customers[party.customer].sales_owner,
			"WeChat",
			message.time,
			party.contact_name,
			f"{message.sender}: {message.content}",
			stored,
		)
		for stored, (party, message) in new.items()
	]
	# a concurrent import of the same chat may have added some since: those are skipped
	added = insert_values(INTERACTION, INTERACTION_FIELDS, values, ignore_duplicates=True)
	refresh_follow_up_summaries("CRM Customer", sorted(customers))
	return added


# --- the queue of chats ----------------------------------------------------------------------------------------


def message_rows(messages: list[Message], key: str) -> list[list]:
	return [
		[str(message.time), message.sender, message.content, message.from_self, message.key(key)]
		for message in messages
	]


def messages_of(rows: list[list]) -> list[Message]:
	return [Message(get_datetime(row[0]), row[1], row[2], bool(row[3])) for row in rows]


def preview(messages: list[Message]) -> str:
	return "\n".join(f"{message.sender}: {message.content[:80]}" for message in messages[:PREVIEW_MESSAGES])


def waiting_messages(chats: list[Chat], user: str) -> dict[str, list[list]]:
	"""{chat key: the messages earlier imports left waiting} of the user's unmatched chats among these."""
	return {
		row.chat_key: json.loads(row.pending_messages or "[]")
		for row in frappe.db.sql(
			f"""select chat_key, pending_messages from `tab{CHAT}`
			where imported_by = %(user)s and chat_key in %(keys)s and status = 'Unmatched'""",
			{"user": user, "keys": tuple(chat_key(chat) for chat in chats)},
			as_dict=True,
		)
	}


def keep_chats(doc, matched: list, unmatched: list, waiting: dict[str, list[list]]) -> None:
	"""One CRM WeChat Chat per user and conversation, in one statement: a matched one names its customer, an
	unmatched one keeps its messages, with those earlier imports left, until it is matched by hand."""
	chats = [*matched, *unmatched]
	now, user = now_datetime(), doc.imported_by
	values = []
	for chat, party in chats:
		key = chat_key(chat)
		pending = []
		if not party:
			by_key = {row[4]: row for row in waiting.get(key, [])}
			by_key.update({row[4]: row for row in message_rows(chat.messages, key)})
			pending = sorted(by_key.values())
		times = [row[0] for row in pending] or [str(message.time) for message in chat.messages]
		values.append(
			(
				frappe.generate_hash(length=12),
				now,
				now,
				user,
				user,
				chat.title[:140],
				"Matched" if party else "Unmatched",
				party.customer if party else None,
				party.contact_name if party else None,
				(chat.wechat_id or "")[:140],
				"\n".join(chat.names),
				key,
				user,
				doc.name,
				len(pending) or len(chat.messages),
				min(times),
				max(times),
				preview(chat.messages),
				json.dumps(pending, ensure_ascii=False) if pending else None,
			)
		)
	fields = (
		"name",
		"creation",
		"modified",
		"owner",
		"modified_by",
		"chat_title",
		"status",
		"customer",
		"contact_name",
		"wechat_id",
		"chat_names",
		"chat_key",
		"imported_by",
		"wechat_import",
		"message_count",
		"first_message_at",
		"last_message_at",
		"preview",
		"pending_messages",
	)
	# the import that brought a chat last, and what it brought, replace what an earlier one left
	insert_values(CHAT, fields, values, update_on_duplicate=("modified", *fields[5:]))


def match_by_hand(chat_name: str, customer: str, contact_name: str | None = None) -> dict:
	"""The user says whose an unmatched chat is: its messages land on that customer's timeline."""
	check_visible(CHAT, chat_name)
	check_visible("CRM Customer", customer)
	if not frappe.has_permission(INTERACTION, "create"):
		frappe.throw(_("You may not log interactions"), frappe.PermissionError)
	chat = frappe.get_doc(CHAT, chat_name)
	if chat.status != "Unmatched":
		frappe.throw(_("This chat is already matched to a customer"))
	if contact_name and not frappe.db.exists(
		"CRM Customer Contact",
		{"parenttype": "CRM Customer", "parent": customer, "contact_name": contact_name},
	):
		frappe.throw(_("{0} is not a contact of customer {1}").format(contact_name, customer))
	messages = messages_of(json.loads(chat.pending_messages or "[]"))
	party = Party(customer, contact_name or None, "", "", "")
	added = land_messages([(party, chat.chat_key, messages)], frappe.session.user)
	chat.db_set(
		{
			"status": "Matched",
			"customer": customer,
			"contact_name": contact_name or None,
			"pending_messages": None,
		}
	)
	return {"interactions": added, "duplicates": len(messages) - added}
