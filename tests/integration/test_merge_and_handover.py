"""Merging duplicates and handing a leaving salesperson's book to a successor, as managers do it."""

import json

import frappe
from frappe.utils import add_days, now_datetime, today

from tests.integration.client import messages
from tests.integration.conftest import email_of, fresh, unique_mobile, unique_name, unique_uscc


def create_customer(client, **values) -> str:
	response = client.insert("CRM Customer", {"customer_name": unique_name(), **values})
	assert response.status_code == 200, messages(response)
	return response.json()["data"]["name"]


def log_interaction(client, customer: str, **values) -> str:
	response = client.insert(
		"CRM Interaction",
		{"customer": customer, "interaction_type": "Visit", "summary": "上门拜访", **values},
	)
	assert response.status_code == 200, messages(response)
	return response.json()["data"]["name"]


def test_manager_merges_a_duplicate_and_nothing_is_lost(users):
	mobile, uscc = unique_mobile(), unique_uscc()
	survivor = create_customer(
		users["sales_a"], mobile_no=mobile, contacts=[{"contact_name": "王伟", "mobile_no": unique_mobile()}]
	)
	duplicate = create_customer(
		users["sales_b"],
		uscc=uscc,
		email_id=f"{mobile}@example.cn",
		wechat_id="xinye_wx",
		contacts=[{"contact_name": "赵敏", "decision_role": "Purchasing", "mobile_no": unique_mobile()}],
		tags=[{"tag": "重点客户"}],
	)
	interactions = [log_interaction(users["sales_b"], duplicate) for _ in range(2)]
	comment = users["sales_b"].post(
		"frappe.desk.form.utils.add_comment",
		reference_doctype="CRM Customer",
		reference_name=duplicate,
		content="老客户介绍",
		comment_email=email_of("sales_b"),
		comment_by="sales_b",
	)
	assert comment.status_code == 200, comment.text

	response = users["east_manager"].post(
		"crm_app.api.customers.merge", duplicate=duplicate, survivor=survivor
	)
	assert response.status_code == 200, messages(response)
	log_name = response.json()["message"]

	fresh()
	assert not frappe.db.exists("CRM Customer", duplicate)
	assert frappe.db.exists(
		"Deleted Document", {"deleted_doctype": "CRM Customer", "deleted_name": duplicate}
	)
	merged = frappe.get_doc("CRM Customer", survivor)
	assert merged.mobile_no == f"+86{mobile}"  # the survivor's own value stays
	assert (merged.uscc, merged.email_id, merged.wechat_id) == (uscc, f"{mobile}@example.cn", "xinye_wx")
	assert sorted(c.contact_name for c in merged.contacts) == ["王伟", "赵敏"]
	assert [t.tag for t in merged.tags] == ["重点客户"]
	assert {
		i.customer for i in frappe.get_all("CRM Interaction", {"name": ("in", interactions)}, ["customer"])
	} == {survivor}
	assert merged.interaction_count == 2

	log = frappe.get_doc("CRM Merge Log", log_name)
	assert (log.survivor, log.merged_customer) == (survivor, duplicate)
	assert frappe.parse_json(log.snapshot)["uscc"] == uscc
	moved = {row.document_type: row.records for row in log.moved_records}
	assert moved["CRM Interaction"] == 2 and moved["CRM Customer Contact"] == 1

	timeline = (
		users["east_manager"].get("crm_app.api.customers.get_timeline", customer=survivor).json()["message"]
	)
	comments = [entry["text"] for entry in timeline if entry["kind"] == "comment"]
	assert any("老客户介绍" in text for text in comments)  # the duplicate's own history came along
	assert any(f"Merged into customer {survivor}" in text for text in comments)
	assert any(
		f"Customer {duplicate}" in text and "was merged into this customer" in text for text in comments
	)


def test_sales_users_cannot_merge_and_managers_only_within_their_team(users):
	a = create_customer(users["sales_a"])
	b = create_customer(users["sales_a"])
	c = create_customer(users["sales_c"])
	refused = users["sales_a"].post("crm_app.api.customers.merge", duplicate=b, survivor=a)
	assert refused.status_code == 403
	across = users["east_manager"].post("crm_app.api.customers.merge", duplicate=c, survivor=a)
	missing = users["east_manager"].post(
		"crm_app.api.customers.merge", duplicate="CUST-1999-00001", survivor=a
	)
	assert across.status_code == missing.status_code == 404
	assert messages(across).replace(c, "X") == messages(missing).replace("CUST-1999-00001", "X")
	fresh()
	assert frappe.db.exists("CRM Customer", c) and frappe.db.exists("CRM Customer", b)


def test_merge_needs_a_post(users):
	a = create_customer(users["sales_a"])
	b = create_customer(users["sales_a"])
	response = users["east_manager"].get("crm_app.api.customers.merge", duplicate=b, survivor=a)
	assert response.status_code == 403
	fresh()
	assert frappe.db.exists("CRM Customer", b)


def test_handover_moves_the_book_and_open_follow_ups_and_keeps_history(users):
	customers = [create_customer(users["sales_d"]) for _ in range(3)]
	log_interaction(users["sales_d"], customers[0])
	fresh()
	frappe.set_user("Administrator")
	todo = frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": email_of("sales_d"),
			"reference_type": "CRM Customer",
			"reference_name": customers[0],
			"description": "回访",
		}
	).insert()
	frappe.db.commit()
	book = set(frappe.get_all("CRM Customer", {"sales_owner": email_of("sales_d")}, pluck="name"))
	open_todos = frappe.db.count(
		"ToDo", {"allocated_to": email_of("sales_d"), "status": "Open", "reference_type": ("like", "CRM %")}
	)
	assert set(customers) <= book

	response = users["east_manager"].insert(
		"CRM Handover",
		{"from_user": email_of("sales_d"), "to_user": email_of("sales_a"), "reason": "离职", "docstatus": 1},
	)
	assert response.status_code == 200, messages(response)
	handover = response.json()["data"]
	moved = {row["document_type"]: row["records"] for row in handover["moved_records"]}
	assert moved["CRM Customer"] == len(book) and moved["ToDo"] == open_todos

	fresh()
	owners = frappe.get_all("CRM Customer", {"name": ("in", list(book))}, pluck="sales_owner")
	assert set(owners) == {email_of("sales_a")}
	assert frappe.db.get_value("ToDo", todo.name, "allocated_to") == email_of("sales_a")
	versions = frappe.get_all(
		"Version",
		{"ref_doctype": "CRM Customer", "docname": customers[0]},
		pluck="data",
		order_by="creation desc",
	)
	assert ["sales_owner", email_of("sales_d"), email_of("sales_a")] in frappe.parse_json(versions[0])[
		"changed"
	]
	# the successor now sees the customers and their interactions; the leaver no longer does
	assert users["sales_a"].get_doc("CRM Customer", customers[0]).status_code == 200
	assert len(users["sales_a"].list("CRM Interaction", filters=[["customer", "=", customers[0]]])) == 1
	assert users["sales_d"].get_doc("CRM Customer", customers[0]).status_code == 404


def test_handover_outside_the_managers_team_is_refused(users):
	response = users["east_manager"].insert(
		"CRM Handover", {"from_user": email_of("sales_c"), "to_user": email_of("sales_a"), "docstatus": 1}
	)
	assert response.status_code == 403
	assert (
		users["sales_a"]
		.insert("CRM Handover", {"from_user": email_of("sales_a"), "to_user": email_of("sales_b")})
		.status_code
		== 403
	)


def test_logs_about_people_stay_within_the_managers_reach(users):
	handover = users["south_manager"].insert(
		"CRM Handover",
		{"from_user": email_of("sales_c"), "to_user": email_of("south_manager"), "reason": "调岗"},
	)
	assert handover.status_code == 200, messages(handover)
	name = handover.json()["data"]["name"]
	assert users["south_manager"].get_doc("CRM Handover", name).status_code == 200
	assert users["east_manager"].get_doc("CRM Handover", name).status_code == 404
	assert name not in {row["name"] for row in users["east_manager"].list("CRM Handover")}
	assert name in {row["name"] for row in users["admin"].list("CRM Handover")}
	moved_rows = users["east_manager"].request(
		"GET",
		"/api/resource/CRM Moved Record",
		params={"parent": "CRM Handover", "fields": '["parent"]', "limit_page_length": 0},
	)
	assert moved_rows.status_code == 200
	assert name not in {row["parent"] for row in moved_rows.json()["data"]}

	# merge logs follow the surviving customer
	survivor = create_customer(users["sales_c"])
	duplicate = create_customer(users["sales_c"])
	log = users["south_manager"].post("crm_app.api.customers.merge", duplicate=duplicate, survivor=survivor)
	assert log.status_code == 200, messages(log)
	assert users["east_manager"].get_doc("CRM Merge Log", log.json()["message"]).status_code == 404
	assert users["south_manager"].get_doc("CRM Merge Log", log.json()["message"]).status_code == 200


def preview_of(client, from_user: str, **params) -> dict[str, int]:
	response = client.get("crm_app.api.handover.preview", from_user=from_user, **params)
	assert response.status_code == 200, messages(response)
	return {kind["document_type"]: kind["records"] for kind in response.json()["message"]}


def book_counts(user: str) -> dict[str, int]:
	"""What `user` holds, counted in the database: every owned record, and their open follow-ups on CRM records."""
	counts = {
		doctype: frappe.db.count(doctype, {fields[-1]: user})
		for doctype, fields in frappe.get_hooks("crm_owner_fields").items()
	}
	counts["ToDo"] = frappe.db.count(
		"ToDo", {"allocated_to": user, "status": "Open", "reference_type": ("like", "CRM %")}
	)
	return {doctype: count for doctype, count in counts.items() if count}


def test_the_preview_counts_exactly_what_the_handover_then_moves(users):
	leaving, successor = users["sales_d"], email_of("sales_a")
	customers = [create_customer(leaving, mobile_no=unique_mobile()) for _ in range(2)]
	lead = leaving.insert("CRM Lead", {"lead_name": "陈先生", "mobile_no": unique_mobile()})
	assert lead.status_code == 200, messages(lead)
	opportunity = leaving.insert(
		"CRM Opportunity", {"opportunity_name": "年度采购", "customer": customers[0], "stage": "初步接触"}
	)
	assert opportunity.status_code == 200, messages(opportunity)
	log_interaction(leaving, customers[1], next_follow_up_date=add_days(today(), 3))

	fresh()
	expected = book_counts(email_of("sales_d"))
	assert {"CRM Customer", "CRM Lead", "CRM Opportunity", "ToDo"} <= set(expected)
	preview = preview_of(users["east_manager"], email_of("sales_d"))
	assert preview == expected

	started = now_datetime().replace(microsecond=0)
	response = users["east_manager"].insert(
		"CRM Handover", {"from_user": email_of("sales_d"), "to_user": successor, "docstatus": 1}
	)
	assert response.status_code == 200, messages(response)
	moved = {row["document_type"]: row["records"] for row in response.json()["data"]["moved_records"]}
	assert moved == preview
	fresh()
	assert book_counts(email_of("sales_d")) == {}
	assert preview_of(users["east_manager"], email_of("sales_d")) == {}
	# the successor's time with the customer starts now, so the nightly return to the pool counts from here
	owner, since = frappe.db.get_value("CRM Customer", customers[0], ["sales_owner", "owner_since"])
	assert owner == successor and since >= started


def test_the_preview_names_each_kind_in_the_users_language(users):
	log_interaction(
		users["sales_d"], create_customer(users["sales_d"]), next_follow_up_date=add_days(today(), 2)
	)
	response = users["chief"].get("crm_app.api.handover.preview", from_user=email_of("sales_d"))
	assert response.status_code == 200, messages(response)
	labels = {kind["document_type"]: kind["label"] for kind in response.json()["message"]}
	assert labels["CRM Customer"] == "客户"
	assert labels["ToDo"] == "未完成的跟进"
	english = users["admin"].get("crm_app.api.handover.preview", from_user=email_of("sales_d")).json()
	assert {kind["label"] for kind in english["message"]} >= {"CRM Customer", "ToDo"}


def test_pickers_offer_only_the_people_the_manager_leads(users):
	def offered(client, **filters) -> set[str]:
		response = client.get(
			"frappe.desk.search.search_link",
			doctype="User",
			txt="",
			query="crm_app.api.handover.people",
			page_length=500,
			**({"filters": json.dumps(filters)} if filters else {}),
		)
		assert response.status_code == 200, messages(response)
		return {row["value"] for row in response.json()["message"]}

	team = {email_of(key) for key in ("east_manager", "sales_a", "sales_b", "sales_d")}
	outside = {email_of(key) for key in ("south_manager", "sales_c", "admin")}
	for filters in ({}, {"enabled": 1}):
		people = offered(users["east_manager"], **filters)
		assert team <= people and not outside & people, filters
	assert team | outside <= offered(users["admin"], enabled=1)
	assert offered(users["sales_a"]) == {email_of("sales_a")}


def test_handover_to_or_from_someone_outside_the_managers_teams_is_refused_and_saves_nothing(users):
	handovers = frappe.db.count("CRM Handover")
	customer = create_customer(users["sales_a"])
	for from_user, to_user in (("sales_c", "sales_a"), ("sales_a", "sales_c"), ("sales_a", "south_manager")):
		for docstatus in (0, 1):
			response = users["east_manager"].insert(
				"CRM Handover",
				{"from_user": email_of(from_user), "to_user": email_of(to_user), "docstatus": docstatus},
			)
			assert response.status_code == 403, (from_user, to_user, response.text)
			assert "is not in your team" in messages(response)
	refused = users["east_manager"].get(
		"crm_app.api.handover.preview", from_user=email_of("sales_c"), _lang="zh"
	)
	assert refused.status_code == 403
	assert "不在您的团队中" in messages(refused)
	fresh()
	assert frappe.db.count("CRM Handover") == handovers
	assert frappe.db.get_value("CRM Customer", customer, "sales_owner") == email_of("sales_a")
	assert (
		users["sales_a"].get("crm_app.api.handover.preview", from_user=email_of("sales_b")).status_code == 403
	)


def nulls_in_history(client, doctype: str, name: str) -> list:
	"""The changes in the record's history, as the form's timeline gets them, that name an empty value as null."""
	response = client.get("frappe.desk.form.load.get_docinfo", doctype=doctype, name=name)
	assert response.status_code == 200, messages(response)
	versions = response.json()["docinfo"]["versions"]
	assert versions, f"{doctype} {name} has no history"
	changes = [change for version in versions for change in json.loads(version["data"]).get("changed", [])]
	return [change for change in changes if None in change]


def test_history_never_reads_null(users):
	manager = users["east_manager"]
	draft = manager.insert("CRM Handover", {"from_user": email_of("sales_d"), "to_user": email_of("sales_a")})
	assert draft.status_code == 200, messages(draft)
	name = draft.json()["data"]["name"]
	assert manager.update("CRM Handover", name, {"docstatus": 1}).status_code == 200
	assert nulls_in_history(manager, "CRM Handover", name) == []

	customer = create_customer(users["sales_d"])
	assert users["sales_d"].post("crm_app.api.pool.release", doctype="CRM Customer", name=customer).ok
	assert users["sales_d"].post("crm_app.api.pool.claim", doctype="CRM Customer", name=customer).ok
	assert nulls_in_history(users["sales_d"], "CRM Customer", customer) == []
