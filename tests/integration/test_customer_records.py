"""The customer record through the REST API: validation, normalization and de-duplication."""

import threading

import frappe
from frappe.utils import escape_html

from tests.integration.client import messages
from tests.integration.conftest import email_of, fresh, unique_mobile, unique_name, unique_uscc


def customers_named(name: str) -> int:
	fresh()
	return frappe.db.count("CRM Customer", {"customer_name": name})


def test_sales_user_creates_a_customer_with_contacts_and_it_is_normalized(users):
	name = unique_name()
	mobile = unique_mobile()
	response = users["sales_a"].insert(
		"CRM Customer",
		{
			"customer_name": f" {name} ",
			"customer_type": "Company",
			"uscc": unique_uscc().lower(),
			"mobile_no": f"+86 {mobile[:3]}-{mobile[3:7]}-{mobile[7:]}",
			"email_id": " Boss@Example.CN ".replace("Boss", f"boss{mobile}"),
			"source_channel": "展会",
			"industry": "批发零售",
			"province": "浙江",
			"city": "杭州",
			"district": "西湖",
			"contacts": [
				{
					"contact_name": "王伟",
					"decision_role": "Decision Maker",
					"mobile_no": f"0086{unique_mobile()}",
				},
				{"contact_name": "李娜", "decision_role": "Finance", "email_id": "LINA@example.cn"},
			],
		},
	)
	assert response.status_code == 200, messages(response)
	doc = response.json()["data"]
	assert doc["name"].startswith("CUST-")
	assert doc["customer_name"] == name
	assert doc["mobile_no"] == f"+86{mobile}"
	assert doc["email_id"] == f"boss{mobile}@example.cn"
	assert doc["uscc"].isupper()
	assert (doc["province"], doc["city"], doc["district"]) == ("浙江省", "杭州市", "西湖区")
	assert doc["sales_owner"] == users["sales_a"].user
	assert [c["contact_name"] for c in doc["contacts"]] == ["王伟", "李娜"]
	assert doc["contacts"][0]["mobile_no"].startswith("+86")
	assert doc["contacts"][1]["email_id"] == "lina@example.cn"


def test_invalid_values_are_refused_with_a_clear_message_and_nothing_is_saved(users):
	cases = [
		({"uscc": "91350100M000100Y44"}, "has a wrong check character"),
		({"uscc": "9135"}, "has 4 characters instead of 18"),
		({"mobile_no": "12345"}, "12345 is not a valid mobile number"),
		({"email_id": "boss@"}, "boss@ is not a valid email address"),
		({"province": "广东", "city": "杭州"}, "杭州 is not a city of 广东省"),
		({"contacts": [{"contact_name": "王伟", "mobile_no": "999"}]}, "999 is not a valid mobile number"),
	]
	for values, expected in cases:
		name = unique_name()
		response = users["sales_a"].insert("CRM Customer", {"customer_name": name, **values})
		assert response.status_code == 417, (values, response.text)
		assert expected in messages(response), values
		assert customers_named(name) == 0


def test_errors_are_translated_for_a_chinese_speaking_user(users):
	name = unique_name()
	response = users["sales_b"].insert("CRM Customer", {"customer_name": name, "mobile_no": "12345"})
	assert response.status_code == 417
	assert "12345 不是有效的手机号码" in messages(response)
	assert customers_named(name) == 0


def test_same_mobile_in_another_spelling_is_refused_and_names_your_own_customer(users):
	mobile = unique_mobile()
	first = users["sales_a"].insert("CRM Customer", {"customer_name": unique_name(), "mobile_no": mobile})
	assert first.status_code == 200
	existing = first.json()["data"]["name"]

	second = users["sales_a"].insert(
		"CRM Customer", {"customer_name": unique_name(), "mobile_no": f"0086 {mobile[:3]} {mobile[3:]}"}
	)
	assert second.status_code == 409
	assert existing in messages(second)


def test_duplicate_owned_by_someone_else_is_refused_without_revealing_it(users):
	mobile, email, uscc = unique_mobile(), f"{unique_mobile()}@example.cn", unique_uscc()
	name = unique_name()
	first = users["sales_a"].insert(
		"CRM Customer", {"customer_name": name, "mobile_no": mobile, "email_id": email, "uscc": uscc}
	)
	assert first.status_code == 200
	existing = first.json()["data"]["name"]
	for values in ({"mobile_no": mobile}, {"email_id": email.upper()}, {"uscc": uscc.lower()}):
		response = users["sales_c"].insert("CRM Customer", {"customer_name": unique_name(), **values})
		assert response.status_code == 409, values
		text = messages(response)
		assert "already exists under another owner" in text
		assert existing not in text and name not in text


def test_a_duplicate_links_to_the_record_you_may_see(users):
	mobile, name = unique_mobile(), unique_name("A&B<贸易>")
	first = users["sales_a"].insert("CRM Customer", {"customer_name": name, "mobile_no": mobile})
	assert first.status_code == 200, messages(first)
	existing, title = first.json()["data"]["name"], first.json()["data"]["customer_name"]
	link = f'<a href="/app/crm-customer/{existing}">{escape_html(title)}</a>'
	# the owner, her manager, and a lead of the owner's that turns out to be this customer
	for client in (users["sales_a"], users["east_manager"]):
		again = client.insert("CRM Customer", {"customer_name": unique_name(), "mobile_no": mobile})
		assert again.status_code == 409
		assert link in messages(again)
	as_lead = users["sales_a"].insert("CRM Lead", {"lead_name": "王先生", "mobile_no": mobile})
	assert as_lead.status_code == 409
	assert link in messages(as_lead)

	lead = users["sales_a"].insert("CRM Lead", {"lead_name": "周丽", "mobile_no": unique_mobile()}).json()
	twin = users["sales_a"].insert("CRM Lead", {"lead_name": "周丽", "mobile_no": lead["data"]["mobile_no"]})
	assert twin.status_code == 409
	assert f'<a href="/app/crm-lead/{lead["data"]["name"]}">周丽</a>' in messages(twin)


def test_a_hidden_duplicate_says_whom_to_ask_and_nothing_of_the_record(users):
	mobile, name = unique_mobile(), unique_name()
	first = users["sales_c"].insert("CRM Customer", {"customer_name": name, "mobile_no": mobile})
	assert first.status_code == 200, messages(first)
	existing = first.json()["data"]["name"]
	# sales_b reads Chinese; her manager leads 华东销售部, the owner is in 华南销售部
	for client in (users["sales_b"], users["east_manager"]):
		refused = client.insert("CRM Customer", {"customer_name": unique_name(), "mobile_no": mobile})
		assert refused.status_code == 409
		text = messages(refused)
		for secret in (existing, name, mobile, email_of("sales_c"), "sales_c", "/app/"):
			assert secret not in text, secret
	assert "如需跟进请联系east_manager" in messages(
		users["sales_b"].insert("CRM Customer", {"customer_name": unique_name(), "mobile_no": mobile})
	)
	assert "Ask an administrator about it" in text  # east_manager leads a team no one manages from above


def test_two_simultaneous_creations_of_one_mobile_end_with_one_customer(users):
	mobile = unique_mobile()
	results = []
	barrier = threading.Barrier(4)

	def create(client):
		barrier.wait()
		results.append(client.insert("CRM Customer", {"customer_name": unique_name(), "mobile_no": mobile}))

	threads = [
		threading.Thread(target=create, args=(users[key],))
		for key in ("sales_a", "sales_b", "sales_c", "sales_d")
	]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()

	assert sorted(r.status_code for r in results) == [200, 409, 409, 409], [r.text for r in results]
	fresh()
	assert frappe.db.count("CRM Customer", {"mobile_no": f"+86{mobile}"}) == 1
	for loser in (r for r in results if r.status_code == 409):
		assert "already" in messages(loser) or "已" in messages(loser)


def test_similar_names_are_flagged_for_review_not_refused(users):
	base = f"杭州{frappe.generate_hash(length=6)}贸易"
	first = users["sales_a"].insert("CRM Customer", {"customer_name": f"{base}有限公司"})
	second = users["sales_c"].insert("CRM Customer", {"customer_name": f" {base}有限責任公司"})
	assert first.status_code == 200 and second.status_code == 200
	first_name, second_name = first.json()["data"]["name"], second.json()["data"]["name"]
	assert "similar name exists under another owner" in messages(second)
	assert first_name not in second.text  # sales_c may not see the first customer

	pair = {"customer": second_name, "similar_customer": first_name}
	assert users["admin"].list(
		"CRM Duplicate Candidate", ["customer", "similar_customer", "status"], pair
	) == [{**pair, "status": "Open"}]
	# the pair spans two teams: neither team's manager sees it, and sales users never do
	for key in ("east_manager", "south_manager", "sales_a"):
		response = users[key].request(
			"GET", "/api/resource/CRM Duplicate Candidate", params={"filters": str(pair).replace("'", '"')}
		)
		assert response.status_code in (200, 403)
		assert response.status_code == 403 or response.json()["data"] == []


def test_individual_customers_have_no_credit_code(users):
	response = users["sales_a"].insert(
		"CRM Customer", {"customer_name": "张三", "customer_type": "Individual", "uscc": unique_uscc()}
	)
	assert response.status_code == 200
	assert response.json()["data"].get("uscc") is None
