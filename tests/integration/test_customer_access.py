"""Row permissions as each role sees them: own, team subtree, everything; through every read path."""

import json

import frappe
import pytest

from tests.integration.client import messages
from tests.integration.conftest import email_of, fresh, unique_mobile, unique_name


@pytest.fixture(scope="module")
def book(users):
	"""One customer per salesperson (each with a contact and an interaction), and one in the public pool."""
	names = {}
	for key in ("sales_a", "sales_b", "sales_c", "sales_d"):
		response = users[key].insert(
			"CRM Customer",
			{
				"customer_name": unique_name(f"{key}的客户"),
				"mobile_no": unique_mobile(),
				"contacts": [{"contact_name": f"{key}联系人", "mobile_no": unique_mobile()}],
			},
		)
		assert response.status_code == 200, messages(response)
		names[key] = response.json()["data"]["name"]
		interaction = users[key].insert(
			"CRM Interaction",
			{"customer": names[key], "interaction_type": "Call", "summary": f"{key} 电话沟通"},
		)
		assert interaction.status_code == 200, messages(interaction)
	pool = users["admin"].insert(
		"CRM Customer", {"customer_name": unique_name("公海客户"), "sales_owner": None}
	)
	assert pool.status_code == 200
	names["pool"] = pool.json()["data"]["name"]
	fresh()
	frappe.db.set_value("CRM Customer", names["pool"], "sales_owner", None)
	frappe.db.commit()
	return names


# who -> the salespeople whose customers they see
EXPECTED = {
	"sales_a": {"sales_a"},
	"sales_b": {"sales_b"},
	"sales_c": {"sales_c"},
	"east_manager": {"sales_a", "sales_b", "sales_d"},  # sales_d is in the 杭州组 sub-team
	"south_manager": {"sales_c"},
	"admin": {"sales_a", "sales_b", "sales_c", "sales_d"},
}


@pytest.mark.parametrize("who", EXPECTED)
def test_list_get_and_count_show_exactly_the_records_in_reach(users, book, who):
	client = users[who]
	mine = {book[key] for key in EXPECTED[who]} | {book["pool"]}
	ours = set(book.values())
	listed = {row["name"] for row in client.list("CRM Customer", filters=[["name", "in", list(ours)]])}
	assert listed == mine
	for key, name in book.items():
		status = client.get_doc("CRM Customer", name).status_code
		assert status == (200 if name in mine else 404), (who, key)
	count = client.get(
		"frappe.client.get_count", doctype="CRM Customer", filters=json.dumps([["name", "in", list(ours)]])
	)
	assert count.json()["message"] == len(mine)


@pytest.mark.parametrize("who", EXPECTED)
def test_interactions_and_contacts_follow_their_customer(users, book, who):
	client = users[who]
	mine = {book[key] for key in EXPECTED[who]}
	ours = [book[key] for key in ("sales_a", "sales_b", "sales_c", "sales_d")]
	interactions = client.list("CRM Interaction", ["customer"], [["customer", "in", ours]])
	assert {row["customer"] for row in interactions} == mine
	contacts = client.request(
		"GET",
		"/api/resource/CRM Customer Contact",
		params={
			"parent": "CRM Customer",
			"fields": json.dumps(["parent", "contact_name", "mobile_no"]),
			"filters": json.dumps([["parent", "in", ours]]),
			"limit_page_length": 0,
		},
	)
	assert contacts.status_code == 200, contacts.text
	assert {row["parent"] for row in contacts.json()["data"]} == mine


def test_link_search_and_report_view_hide_other_peoples_customers(users, book):
	for who, expected in (("sales_b", book["sales_b"]), ("east_manager", book["sales_a"])):
		result = users[who].get(
			"frappe.desk.search.search_link", doctype="CRM Customer", txt="的客户", page_length=1000
		)
		found = {row["value"] for row in result.json()["message"]}
		assert expected in found
		assert book["sales_c"] not in found
	report = users["sales_b"].get(
		"frappe.desk.reportview.get",
		doctype="CRM Customer",
		fields=json.dumps(["`tabCRM Customer`.`name`", "`tabCRM Customer Contact`.`contact_name`"]),
		filters=json.dumps([["CRM Customer Contact", "contact_name", "like", "%联系人"]]),
	)
	rows = report.json()["message"]["values"]
	assert rows and {row[0] for row in rows} == {book["sales_b"]}


def test_link_search_finds_customers_by_pinyin_within_reach(users):
	mine = (
		users["sales_b"]
		.insert("CRM Customer", {"customer_name": "温州鹿城眼镜有限公司"})
		.json()["data"]["name"]
	)
	theirs = (
		users["sales_c"].insert("CRM Customer", {"customer_name": "温州鹿城眼镜厂"}).json()["data"]["name"]
	)
	for txt in ("wzlc", "wenzhoulucheng", "鹿城眼镜"):
		found = (
			users["sales_b"]
			.get("frappe.desk.search.search_link", doctype="CRM Customer", txt=txt)
			.json()["message"]
		)
		names = {row["value"] for row in found}
		assert mine in names and theirs not in names, txt


def test_other_peoples_customers_cannot_be_changed_or_deleted(users, book):
	assert users["sales_b"].update("CRM Customer", book["sales_a"], {"tier": "VIP"}).status_code == 404
	assert users["south_manager"].update("CRM Customer", book["sales_a"], {"tier": "VIP"}).status_code == 404
	assert (
		users["sales_a"].delete("CRM Customer", book["sales_a"]).status_code == 403
	)  # sales users never delete
	assert users["east_manager"].update("CRM Customer", book["sales_a"], {"tier": "VIP"}).status_code == 200


def test_only_managers_reassign_and_only_within_their_team(users, book):
	own = users["sales_a"].update("CRM Customer", book["sales_a"], {"sales_owner": email_of("sales_b")})
	assert own.status_code == 417
	assert "cannot make" in messages(own)
	outside = users["east_manager"].update(
		"CRM Customer", book["sales_a"], {"sales_owner": email_of("sales_c")}
	)
	assert outside.status_code == 417
	inside = users["east_manager"].update(
		"CRM Customer", book["sales_d"], {"sales_owner": email_of("sales_b")}
	)
	assert inside.status_code == 200
	assert users["sales_b"].get_doc("CRM Customer", book["sales_d"]).status_code == 200
	assert users["sales_d"].get_doc("CRM Customer", book["sales_d"]).status_code == 404
	back = users["admin"].update("CRM Customer", book["sales_d"], {"sales_owner": email_of("sales_d")})
	assert back.status_code == 200


def test_a_sales_user_cannot_create_for_someone_else(users):
	response = users["sales_a"].insert(
		"CRM Customer", {"customer_name": unique_name(), "sales_owner": email_of("sales_b")}
	)
	assert response.status_code == 417


def test_linking_to_a_hidden_customer_looks_like_linking_to_a_missing_one(users, book):
	hidden = users["sales_b"].insert(
		"CRM Interaction", {"customer": book["sales_a"], "interaction_type": "Call", "summary": "x"}
	)
	missing = users["sales_b"].insert(
		"CRM Interaction", {"customer": "CUST-1999-99999", "interaction_type": "Call", "summary": "x"}
	)
	assert hidden.status_code == missing.status_code == 417
	assert messages(hidden).replace(book["sales_a"], "X") == messages(missing).replace("CUST-1999-99999", "X")


def test_shared_customer_is_visible_with_its_interactions(users, book):
	share = users["sales_a"].post(
		"frappe.share.add",
		doctype="CRM Customer",
		name=book["sales_a"],
		user=email_of("sales_c"),
		read=1,
	)
	assert share.status_code == 200, share.text
	assert users["sales_c"].get_doc("CRM Customer", book["sales_a"]).status_code == 200
	interactions = users["sales_c"].list(
		"CRM Interaction", ["customer"], [["customer", "=", book["sales_a"]]]
	)
	assert len(interactions) == 1
	assert users["sales_c"].update("CRM Customer", book["sales_a"], {"tier": "Regular"}).status_code == 403


def test_a_user_without_a_crm_role_sees_nothing(users, book):
	response = users["outsider"].request("GET", "/api/resource/CRM Customer")
	assert response.status_code == 403
	assert users["outsider"].get_doc("CRM Customer", book["pool"]).status_code == 403


def test_export_contains_only_records_in_reach(users, book):
	response = users["sales_b"].post(
		"frappe.desk.reportview.export_query",
		doctype="CRM Customer",
		file_format_type="CSV",
		fields=json.dumps(["`tabCRM Customer`.`name`", "`tabCRM Customer`.`customer_name`"]),
		filters=json.dumps([["name", "in", list(book.values())]]),
	)
	assert response.status_code == 200, response.text
	body = response.content.decode("utf-8-sig")
	assert book["sales_b"] in body and book["pool"] in body
	assert book["sales_a"] not in body and book["sales_c"] not in body
