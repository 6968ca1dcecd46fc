"""Every string the app shows has a Simplified Chinese translation in crm_app/translations/zh.csv.

Plain Python and pytest, no frappe. The extractor lives in translatable.py; the tests at the bottom run it on
small in-memory samples, so a broken extractor cannot make the real check pass on nothing.
"""

import json
import textwrap

import pytest

from tests.static import translatable as t


@pytest.fixture(scope="module")
def messages():
	return t.app_messages()


@pytest.fixture(scope="module")
def rows():
	return t.read_translations()


def zh(rows, source):
	return next((row.translation for row in rows if row.source == source and not row.context), None)


# --------------------------------------------------------------------------------------------------------------
# The real app


def test_extractor_finds_strings_of_every_kind(messages):
	"""Guards the tests below against passing on nothing because a glob or a pattern went wrong."""
	texts = {message.text for message in messages}
	assert len(texts) >= 300, f"only {len(texts)} translatable strings found under {t.APP_DIR}"
	expected = {
		"CRM Customer",  # DocType name
		"Unified Social Credit Code",  # field label
		"Key Account",  # Select option
		"CRM Sales User",  # role
		"CRM Data Completeness",  # report name
		"Sales and Customers",  # workspace
		"Pending Approval",  # workflow state
		"Deal won, please prepare the invoice",  # notification subject
		"Customer confirmation (seal)",  # print format
		"Contact Us",  # www page
		"{0} is not a valid mobile number",  # DomainError template
		"Please tell us your name",  # Python _()
		"Convert to Customer",  # JS __()
	}
	assert expected <= texts, f"not found: {sorted(expected - texts)}"


def test_every_translatable_string_has_a_zh_translation(messages, rows):
	missing = t.missing_translations(messages, rows)
	report = "\n".join(f"{text!r}  <- {', '.join(origins[:3])}" for text, origins in sorted(missing.items()))
	assert not missing, (
		f"{len(missing)} string(s) missing from {t.ZH_CSV.relative_to(t.REPO_ROOT)}:\n{report}"
	)


def test_zh_csv_rows_are_well_formed(rows):
	problems = t.translation_problems(rows)
	assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_translations_other_tests_rely_on(rows):
	assert zh(rows, "{0} is not a valid mobile number") == "{0} 不是有效的手机号码"
	assert zh(rows, "Quotation") == "报价单"  # the Chinese quotation print's title
	# tests/integration/test_leads_and_pool.py and test_customer_records.py, for a Chinese-speaking user
	assert "上限" in zh(rows, "You have reached today's limit of {0} claims from the public pool")
	assert "已" in zh(rows, "{0} {1} ({2}) already has this {3}")
	assert "已" in zh(rows, "A {0} with this {1} already exists under another owner. Ask {2} about it.")


def test_translations_are_chinese(rows):
	"""A translation with words but no Chinese character is usually an English string copied across."""
	allowed = {"VIP", "BANT", "CRM", "SLA", "RFM"}
	suspicious = [
		f"row {row.line} {row.source!r} -> {row.translation!r}"
		for row in rows
		if not t.CJK.search(row.translation)
		and t.needs_translation(row.translation)
		and t.PLACEHOLDER.sub("", row.translation).strip() not in allowed
	]
	assert not suspicious, "\n".join(suspicious)


# --------------------------------------------------------------------------------------------------------------
# The extractor, on samples


def test_doctype_messages():
	doctype = {
		"name": "CRM Thing",
		"description": "Things we sell",
		"fields": [
			{"fieldname": "s1", "fieldtype": "Section Break"},
			{"fieldname": "c1", "fieldtype": "Column Break"},
			{"fieldname": "s2", "fieldtype": "Section Break", "label": "Details"},
			{"fieldname": "kind", "fieldtype": "Select", "label": "Kind", "options": "\nBig\nSmall\n"},
			{"fieldname": "customer", "fieldtype": "Link", "label": "Customer", "options": "CRM Customer"},
			{
				"fieldname": "naming_series",
				"fieldtype": "Select",
				"label": "Series",
				"options": "THING-.####",
			},
			{"fieldname": "qty", "fieldtype": "Int", "label": "Qty", "description": "How many"},
		],
		"permissions": [{"role": "CRM Sales User", "read": 1}],
	}
	texts = [message.text for message in t.doctype_messages(doctype, "thing.json")]
	assert texts == [
		"CRM Thing",
		"Things we sell",
		"Details",
		"Kind",
		"Big",
		"Small",
		"Customer",
		"Series",
		"Qty",
		"How many",
		"CRM Sales User",
	]


def test_workspace_report_notification_print_format_and_workflow_messages():
	workspace = {
		"label": "Sales",
		"links": [{"label": "Setup", "type": "Card Break"}, {"label": "CRM Lead", "type": "Link"}],
		"shortcuts": [{"label": "Leads"}],
		"number_cards": [{"label": "Open Leads"}],
		"content": json.dumps(
			[{"type": "header", "data": {"text": '<span class="h4"><b>Overview</b></span>'}}]
		),
	}
	assert [m.text for m in t.workspace_messages(workspace)] == [
		"Sales",
		"Open Leads",
		"Setup",
		"CRM Lead",
		"Leads",
		"Overview",
	]
	assert [m.text for m in t.report_messages({"report_name": "CRM Funnel"})] == ["CRM Funnel"]
	notification = {"subject": '{{ _("Deal won") }}: {{ doc.name }}', "message": "<p>{{ _('Open') }}</p>"}
	assert [m.text for m in t.notification_messages(notification)] == ["Deal won", "Open"]
	print_format = {"html": '<h1>{{ _("Quotation") }}</h1>{{ doc.get_formatted("x") }}{{ __("No") }}'}
	assert [m.text for m in t.print_format_messages(print_format)] == ["Quotation"]
	workflow = {"states": [{"state": "Draft"}], "transitions": [{"action": "Approve"}]}
	assert [m.text for m in t.workflow_messages(workflow)] == ["Draft", "Approve"]


def test_python_messages():
	source = textwrap.dedent(
		"""
		from frappe import _

		frappe.throw(_("Plain {0}").format(_(doctype)))
		frappe.throw(
			_(
				"Implicitly "
				"joined"
			),
			title=_("Title", context="Dialog"),
		)
		x = _("Added " + "up")
		y = _(f"Formatted {name}")
		z = _("  <b>Bold</b> and spaced  ")
		w = frappe._("Dotted")
		raise DomainError("Not translated here")
		"""
	)
	texts = [m.text for m in t.python_messages(source, "x.py")]
	assert texts == ["Plain {0}", "Implicitly joined", "Title", "Added up", "Bold and spaced", "Dotted"]
	domain = [m.text for m in t.python_messages(source, "x.py", functions=("DomainError",))]
	assert domain == ["Not translated here"]


def test_js_messages():
	source = textwrap.dedent(
		"""
		frm.add_custom_button(__("Double"), () => go(), __('Single'));
		frappe.msgprint(__(`Backtick`));
		frappe.msgprint(__(`Template ${name}`));
		frappe.msgprint(__("Joined " +
			"across lines"));
		frappe.msgprint(__(
			// a comment
			"After a comment", [x]
		));
		frappe.msgprint(__("Escaped \\"quote\\" and it\\'s"));
		frappe.msgprint(__(doc.status));
		frappe.msgprint(__("Prefix " + suffix));
		frappe.msgprint(my__("Not ours"));
		"""
	)
	texts = [m.text for m in t.js_messages(source, "x.js")]
	assert texts == [
		"Double",
		"Single",
		"Backtick",
		"Joined across lines",
		"After a comment",
		'Escaped "quote" and it\'s',
	]


def test_jinja_messages():
	source = """<h1>{{ _("Contact Us") }}</h1>{{ _('It\\'s') }}{{ __("JS") }}{{ x_("no") }}{{ _(var) }}"""
	assert [m.text for m in t.jinja_messages(source)] == ["Contact Us", "It's"]


def test_needs_translation():
	assert t.needs_translation("Customer")
	assert t.needs_translation("{0} is not valid")
	assert not t.needs_translation("{0}: {1}")
	assert not t.needs_translation("100%")
	assert not t.needs_translation("")
	assert not t.needs_translation("客户")
	assert not t.needs_translation("VIP客户")


def test_missing_and_malformed_translations_are_reported(tmp_path):
	csv_path = tmp_path / "zh.csv"
	csv_path.write_text(
		'"Customer","客户"\n'
		'"Lead","线索","Sidebar"\n'
		'"Empty",""\n'
		'"{0} of {1}","{0}的{2}"\n'
		'"Customer","顾客"\n'
		'"Lead","线索","Sidebar","extra"\n',
		encoding="utf-8",
	)
	rows = t.read_translations(csv_path)
	messages = [t.Message("Customer", "a.json"), t.Message("Lead", "b.py:3"), t.Message("Empty", "c.js:1")]
	# Only a context-free row serves a lookup without context; an empty translation serves nothing.
	assert t.missing_translations(messages, rows) == {"Lead": ["b.py:3"], "Empty": ["c.js:1"]}
	problems = t.translation_problems(rows)
	assert len(problems) == 4
	assert "empty translation" in problems[0]
	assert "placeholders" in problems[1]
	assert "translated twice" in problems[2]
	assert "4 columns" in problems[3]


def test_app_messages_on_a_sample_app(tmp_path):
	"""End to end: a string added anywhere in an app shows up as missing until zh.csv has it."""
	app = tmp_path / "crm_app"
	(app / "things" / "doctype" / "crm_thing").mkdir(parents=True)
	(app / "domain").mkdir()
	(app / "public" / "dist").mkdir(parents=True)
	(app / "things" / "doctype" / "crm_thing" / "crm_thing.json").write_text(
		json.dumps(
			{"name": "CRM Thing", "fields": [{"fieldname": "a", "fieldtype": "Data", "label": "Alpha"}]}
		)
	)
	(app / "things" / "doctype" / "crm_thing" / "crm_thing.js").write_text('frappe.msgprint(__("From JS"));')
	(app / "things" / "doctype" / "crm_thing" / "crm_thing.py").write_text('frappe.throw(_("From Python"))')
	(app / "domain" / "rules.py").write_text('raise DomainError("From the domain {0}", x)')
	(app / "public" / "dist" / "bundle.js").write_text('__("Built output, ignored")')
	(app / "defaults.py").write_text(
		'ROLES = ("CRM Thing User",)\nCOLUMNS = (("a", "Column A"), ("b", "客户"))\n'
	)
	(app / "page.html").write_text('{{ _("From Jinja") }} {{ _("已经是中文") }}')

	constants = (("defaults.py", "ROLES", None), ("defaults.py", "COLUMNS", 1))
	found = {message.text for message in t.app_messages(app, constants)}
	assert found == {
		"CRM Thing",
		"Alpha",
		"From JS",
		"From Python",
		"From the domain {0}",
		"CRM Thing User",
		"Column A",
		"From Jinja",
	}
	rows = [t.Translation("Alpha", "甲", "", 1)]
	missing = t.missing_translations(t.app_messages(app, constants), rows)
	assert "CRM Thing" in missing and "Alpha" not in missing
	with pytest.raises(LookupError):  # a constant the table names but the code no longer has
		t.app_messages(app, (("defaults.py", "GONE", None),))
