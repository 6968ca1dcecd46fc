"""The bad-input corpus: every field of every CRM DocType a person can create, given what it cannot hold.

Wrong types, out-of-range numbers, impossible dates, NUL bytes, letters in phone numbers, unknown linked
records, more than two decimals on money and 10,000-character strings, through the REST API as a user who
reads Chinese, on new records and on existing ones. Each must get a 4xx with a translated message that neither
carries a traceback nor echoes the over-long value, and must leave nothing behind. The figures go to
bad-input.json in the test logs.
"""

import json
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import frappe
import pytest
from frappe.utils import today

from tests.integration.client import messages
from tests.integration.conftest import LOGS, email_of, fresh, settle, unique_mobile, unique_name

LONG = "长" * 10_000
CJK = re.compile(r"[\u4e00-\u9fff]")
LAYOUT = {"Section Break", "Column Break", "Tab Break", "HTML", "Button", "Heading", "Fold", "Image"}
SHORT_TEXT = {"Data", "Link", "Dynamic Link", "Select", "Read Only", "Phone", "Autocomplete", "Color"}
LONG_TEXT = {
	"Small Text",
	"Text",
	"Long Text",
	"Text Editor",
	"Code",
	"Markdown Editor",
	"HTML Editor",
	"JSON",
}
PHONE_FIELDS = {"mobile_no", "phone"}


def bad_values(df) -> list:
	"""Values the field cannot hold, whatever the record around them."""
	kind = df.fieldtype
	if kind in ("Int", "Check"):
		return ["abc", 1.5, 2**40, {"a": 1}] + ([2] if kind == "Check" else [])
	if kind in ("Float", "Currency", "Percent", "Duration"):
		return ["abc", "NaN", "1e400", 10**15, [1]] + (
			["0.001"] if kind == "Currency" and not df.read_only else []
		)
	if kind == "Date":
		return ["2026-02-30", "abc", "99999-01-01", 20260101]
	if kind == "Datetime":
		return ["2026-02-30 10:00:00", "2026-01-01 25:61:00", "abc"]
	if kind == "Time":
		return ["25:99:00", "abc"]
	if kind in ("Table", "Table MultiSelect"):
		return ["abc", [1, 2]]
	values = ["a\x00b", {"a": 1}, ["a"]]
	if kind in SHORT_TEXT:
		values.append(LONG)
	if (
		kind == "Link" and not df.read_only
	):  # a read-only link is fetched or computed: what is sent is ignored
		values.append("不存在的记录-0")
	if kind == "Select" and df.options:
		values.append("不存在的选项")
	if df.fieldname in PHONE_FIELDS:
		values += ["138abc00138", "1-800-FLOWERS"]
	return values if kind in SHORT_TEXT | LONG_TEXT | {"Attach", "Attach Image"} else []


def ok(response) -> dict:
	assert response.status_code == 200, messages(response)
	body = response.json()
	return body.get("data") or body.get("message")


@pytest.fixture(scope="module")
def chief(users):
	"""An administrator who reads Chinese, so every message must come back translated."""
	return users["chief"]


@pytest.fixture(scope="module")
def baselines(users, chief) -> dict[str, dict]:
	"""A valid new record of every DocType a person can create; the corpus spoils one value at a time."""
	if not frappe.db.exists("CRM Product", "P-BAD-INPUT"):
		product = {"product_code": "P-BAD-INPUT", "product_name": "坏输入", "list_price": 100}
		assert chief.insert("CRM Product", product).status_code == 200
	sales = users["sales_a"]  # quotations are approved by salespeople and their managers
	mobile = f"+86{unique_mobile()}"
	customer = ok(
		sales.insert("CRM Customer", {"customer_name": unique_name("坏输入"), "mobile_no": mobile})
	)["name"]
	lines = [{"product": "P-BAD-INPUT", "qty": 1}]
	quotation = ok(sales.insert("CRM Quotation", {"customer": customer, "items": lines}))
	approved = ok(sales.post("frappe.model.workflow.apply_workflow", doc=quotation, action="Approve"))
	order = ok(sales.post("crm_app.api.deals.make_sales_order", quotation=approved["name"]))
	ok(sales.update("CRM Sales Order", order["name"], {"docstatus": 1}))
	items = [{"product": "P-BAD-INPUT", "qty": 1, "discount_percent": 0}]
	run = frappe.generate_hash(length=6)
	chat = chief.request(
		"POST",
		"/api/method/upload_file",
		files={"file": ("坏输入.txt", "2024-05-01 10:23:45 坏输入联系人\n你好\n".encode())},
		data={"is_private": 1},
	)
	assert chat.status_code == 200, chat.text
	return {
		"CRM Channel": {"channel_name": f"坏输入渠道{run}"},
		"CRM Industry": {"industry_name": f"坏输入行业{run}"},
		"CRM Tag": {"tag_name": f"坏输入标签{run}"},
		"CRM Lost Reason": {"reason_name": f"坏输入原因{run}"},
		"CRM Product": {"product_code": f"P-BAD-{run}", "product_name": "坏输入", "list_price": 10},
		"CRM Customer": {
			"customer_name": f"坏输入客户{run}有限公司",
			"mobile_no": unique_mobile(),
			"contacts": [{"contact_name": "王伟", "mobile_no": unique_mobile()}],
			"tags": [{"tag": "重点客户"}],
		},
		"CRM Interaction": {"customer": customer, "interaction_type": "Call", "summary": "坏输入"},
		"CRM Lead": {"lead_name": "坏输入线索", "mobile_no": unique_mobile()},
		"CRM Opportunity": {"opportunity_name": "坏输入商机", "customer": customer, "stage": "初步接触"},
		"CRM Quotation": {"customer": customer, "items": items},
		"CRM Contract": {"contract_title": "坏输入合同", "customer": customer},
		"CRM Sales Order": {
			"customer": customer,
			"items": items,
			"payment_plan": [{"due_date": today(), "amount": 113}],
		},
		"CRM Payment": {"sales_order": order["name"], "amount": 1},
		"CRM Invoice Request": {"sales_order": order["name"], "buyer_title": "坏输入抬头"},
		"CRM Tag Rule": {
			"rule_name": f"坏输入规则{run}",
			"enabled": 0,
			"tag": "重点客户",
			"conditions": [
				{"metric": "Interaction Count", "operator": ">=", "value": "1", "period_days": 30}
			],
		},
		"CRM Sales Stage": {"stage_name": f"坏输入阶段{run}", "stage_order": 99},
		"CRM Sales Team": {"team_name": f"坏输入团队{run}"},
		"CRM Holiday Calendar": {
			"calendar_name": f"坏输入日历{run}",
			"days": [{"calendar_date": "2027-02-06", "kind": "Holiday", "description": "春节"}],
		},
		"CRM Service Level": {
			"service_level_name": f"坏输入服务{run}",
			"working_hours": [{"weekday": "Monday", "start_time": "09:00:00", "end_time": "18:00:00"}],
			"targets": [
				{"priority": priority, "response_minutes": 60, "resolution_minutes": 480}
				for priority in ("Low", "Medium", "High", "Urgent")
			],
		},
		"CRM Handover": {"from_user": email_of("sales_a"), "to_user": email_of("sales_b")},
		"CRM Knowledge Category": {"category_name": f"坏输入分类{run}"},
		"CRM Knowledge Article": {"title": "坏输入文章", "category": "故障排除", "body": "<p>坏输入</p>"},
		"CRM Service Team": {"team_name": f"坏输入服务组{run}", "channel": "WeChat"},
		"CRM Ticket": {"subject": "坏输入工单", "customer": customer, "priority": "High"},
		"CRM WeChat Import": {"import_file": chat.json()["message"]["file_url"]},
		"CRM Segment": {
			"segment_name": f"坏输入客群{run}",
			"conditions": [{"metric": "Order Amount", "operator": ">=", "value": "100", "period_days": 365}],
		},
		"CRM Campaign": {
			"campaign_name": f"坏输入活动{run}",
			"send_sms": 1,
			"sms_text": "{{ customer.customer_name }}您好",
			"costs": [{"cost_date": today(), "item": "短信费", "amount": 10}],
		},
		"CRM Journey": {
			"journey_name": f"坏输入旅程{run}",
			"occasion": "Welcome",
			"enabled": 0,
			"send_email": 1,
			"email_subject": "欢迎",
			"email_body": "<p>欢迎</p>",
		},
		"CRM Marketing Consent": {
			"customer": customer,
			"channel": "SMS",
			"address": mobile,
			"source": "Phone",
		},
		"CRM Coupon Type": {
			"coupon_type_name": f"坏输入优惠券{run}",
			"discount_type": "Percentage",
			"percentage": 10,
			"max_discount": 50,
			"days_valid": 30,
			"limit_per_customer": 1,
		},
	}


def creatable_doctypes() -> set[str]:
	modules = frappe.get_module_list("crm_app")
	doctypes = frappe.get_all(
		"DocType", {"module": ("in", modules), "istable": 0, "issingle": 0}, pluck="name"
	)
	return {dt for dt in doctypes if any(perm.create for perm in frappe.get_meta(dt).permissions)}


def test_every_doctype_a_person_creates_has_a_baseline(chief, baselines):
	assert set(baselines) == creatable_doctypes()
	for doctype, values in baselines.items():
		assert frappe.get_meta(doctype).get_valid_columns(), doctype
		assert isinstance(values, dict)


def corpus(baselines) -> list[tuple[str, str, dict, object]]:
	"""(DocType, what is spoiled, the record, the bad value) for every field, child-table fields included."""
	cases = []
	for doctype, baseline in baselines.items():
		meta = frappe.get_meta(doctype)
		for df in meta.fields:
			if df.fieldtype in LAYOUT:
				continue
			for value in bad_values(df):
				cases.append((doctype, df.fieldname, {**baseline, df.fieldname: value}, value))
			if df.fieldtype == "Table":
				row = (baseline.get(df.fieldname) or [{}])[0]
				for child in frappe.get_meta(df.options).fields:
					if child.fieldtype in LAYOUT:
						continue
					for value in bad_values(child):
						spoiled = {**baseline, df.fieldname: [{**row, child.fieldname: value}]}
						cases.append((doctype, f"{df.fieldname}.{child.fieldname}", spoiled, value))
	return cases


def counts(doctypes) -> Counter:
	settle()
	tables = set(doctypes) | {"Version", "Comment", "ToDo", "File"}
	for doctype in doctypes:
		tables |= {df.options for df in frappe.get_meta(doctype).get_table_fields()}
	return Counter({table: frappe.db.count(table) for table in sorted(tables)})


def judge(response, value) -> str | None:
	"""What is wrong with the answer to a bad value, or None when it is a clear, translated refusal."""
	if response.status_code >= 500:
		return f"{response.status_code} server error"
	if not 400 <= response.status_code < 500:
		return f"accepted ({response.status_code})"
	text = response.text
	if "Traceback" in text or '"exc"' in text:
		return "traceback in the answer"
	if isinstance(value, str) and len(value) > 200 and value[:200] in text:
		return "echoes the over-long value"
	message = messages(response)
	if not CJK.search(message):
		return f"not translated: {message[:120]!r}"
	return None


@pytest.fixture(scope="module")
def existing(chief, baselines):
	"""One saved record of each DocType, for the corpus to update; removed afterwards, so that a stage or a tag
	rule made here never shows in other tests."""
	names = {}
	for doctype, baseline in baselines.items():
		created = chief.insert(doctype, baseline)
		assert created.status_code == 200, f"{doctype} baseline: {messages(created)}"
		names[doctype] = created.json()["data"]["name"]
	yield names
	fresh()
	for doctype, name in reversed(names.items()):
		frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
	frappe.db.commit()


def test_bad_input_is_refused_clearly_and_saves_nothing(chief, baselines, existing, worker):
	cases = corpus(baselines)
	before = counts(baselines)
	modified = {doctype: frappe.db.get_value(doctype, name, "modified") for doctype, name in existing.items()}

	def ask(case):
		doctype, spoiled, record, value = case
		inserted = chief.insert(doctype, json.loads(json.dumps(record)))
		problems = [
			f"insert {doctype}.{spoiled} = {str(value)[:30]!r}: {why}"
			for why in [judge(inserted, value)]
			if why
		]
		if "." not in spoiled:
			updated = chief.update(doctype, existing[doctype], {spoiled: value})
			problems += [
				f"update {doctype}.{spoiled} = {str(value)[:30]!r}: {why}"
				for why in [judge(updated, value)]
				if why
			]
		return problems

	by_doctype: dict[str, list] = {}
	for case in cases:
		by_doctype.setdefault(case[0], []).append(case)
	# one record is updated by one request at a time, as people do; the DocTypes go in parallel
	with ThreadPoolExecutor(8) as pool:
		found = pool.map(
			lambda doctype_cases: [p for case in doctype_cases for p in ask(case)], by_doctype.values()
		)
		problems = [problem for doctype_problems in found for problem in doctype_problems]
	after = counts(baselines)
	partial = {table: after[table] - before[table] for table in after if after[table] != before[table]}
	changed = [
		doctype
		for doctype, name in existing.items()
		if frappe.db.get_value(doctype, name, "modified") != modified[doctype]
	]
	tried = len(cases) + sum(1 for _doctype, spoiled, _r, _v in cases if "." not in spoiled)
	summary = {
		"inputs": tried,
		"refused clearly": tried - len(problems),
		"server errors": sum("server error" in p for p in problems),
		"partial writes": len(partial) + len(changed),
		"doctypes": len(baselines),
	}
	(LOGS / "bad-input.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
	print(f"\nbad-input corpus: {summary}")
	assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(sorted(problems)[:60])
	assert not partial and not changed, (partial, changed)
