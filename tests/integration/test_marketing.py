"""Marketing on a real site, as its users: segments counted and taken within each user's reach, consent recorded
per channel, campaigns sent through Frappe's Email Queue and a fake SMS gateway with failures retried, the
unsubscribe link and the SMS reply TD withdrawing consent at once, and journeys firing once per occasion."""

import email

import frappe
import pytest
from frappe.utils import getdate, now_datetime

from crm_app.marketing.sending import unsubscribe_key, unsubscribe_url
from tests.integration.client import Client, messages
from tests.integration.conftest import REPLY_TOKEN, fresh, run_scheduled_job, unique_mobile, unique_name

DELIVER, JOURNEYS = "crm_app.jobs.deliver_messages", "crm_app.jobs.run_journeys"


def new_customer(client: Client, tag: str, **values) -> dict:
	response = client.insert(
		"CRM Customer", {"customer_name": unique_name(), "tags": [{"tag": tag}], **values}
	)
	assert response.status_code == 200, messages(response)
	return response.json()["data"]


def consent(client: Client, customer: str, channel: str, address: str) -> dict:
	response = client.insert(
		"CRM Marketing Consent",
		{"customer": customer, "channel": channel, "address": address, "source": "In Person"},
	)
	assert response.status_code == 200, messages(response)
	return response.json()["data"]


def segment_of(client: Client, tag: str) -> str:
	response = client.insert(
		"CRM Segment",
		{
			"segment_name": f"测试客群{frappe.generate_hash(length=6)}",
			"conditions": [{"metric": "Has Tag", "operator": "=", "value": tag}],
		},
	)
	assert response.status_code == 200, messages(response)
	return response.json()["data"]["name"]


def call(client: Client, doctype: str, name: str, method: str):
	return client.request(
		"POST", "/api/method/run_doc_method", json={"dt": doctype, "dn": name, "method": method}
	)


def outbound(**filters) -> list:
	fresh()
	return frappe.get_all(
		"CRM Outbound Message",
		filters=filters,
		fields=["name", "customer", "address", "status", "attempts", "last_error", "body", "email_queue"],
		order_by="address",
	)


@pytest.fixture
def tag(users) -> str:
	"""A tag of the test's own: its customers carry it, and its segments select it."""
	name = f"营销测试{frappe.generate_hash(length=6)}"
	response = users["admin"].insert("CRM Tag", {"tag_name": name})
	assert response.status_code == 200, messages(response)
	return name


def new_mobile() -> str:
	"""A new mobile number as customers store it (E.164)."""
	return f"+86{unique_mobile()}"


def test_segments_count_and_snapshot_only_customers_in_reach(users, tag):
	tag = tag
	for owner in ("sales_a", "sales_a", "sales_c"):
		new_customer(users[owner], tag)
	assert users["sales_a"].insert("CRM Segment", {"segment_name": "不行"}).status_code == 403
	segment = segment_of(users["admin"], tag)
	counts = {
		key: users[key].get("crm_app.api.marketing.segment_count", segment=segment).json()["message"]
		for key in ("admin", "east_manager", "south_manager", "sales_a", "sales_b")
	}
	assert counts == {"admin": 3, "east_manager": 2, "south_manager": 1, "sales_a": 2, "sales_b": 0}
	taken = users["east_manager"].post("crm_app.api.marketing.take_audience", segment=segment)
	assert taken.status_code == 200, messages(taken)
	assert taken.json()["message"]["members"] == 2
	assert users["sales_a"].post("crm_app.api.marketing.take_audience", segment=segment).status_code == 403
	assert users["east_manager"].get("crm_app.api.marketing.segment_count", segment="没有").status_code == 404


def test_consent_is_kept_per_customer_in_reach(users, tag):
	tag = tag
	mobile = new_mobile()
	mine = new_customer(users["sales_a"], tag, mobile_no=mobile)["name"]
	theirs = new_customer(users["sales_c"], tag, mobile_no=new_mobile())
	given = consent(users["sales_a"], mine, "SMS", mobile)
	assert (given["status"], given["address"]) == ("Granted", mobile)
	refused = users["sales_a"].insert(
		"CRM Marketing Consent",
		{"customer": theirs["name"], "channel": "SMS", "address": theirs["mobile_no"], "source": "Phone"},
	)
	missing = users["sales_a"].insert(
		"CRM Marketing Consent",
		{"customer": "CUST-0000-00000", "channel": "SMS", "address": theirs["mobile_no"], "source": "Phone"},
	)
	# another's customer is answered as one that does not exist
	assert (refused.status_code, messages(refused).replace(theirs["name"], "?")) == (
		missing.status_code,
		messages(missing).replace("CUST-0000-00000", "?"),
	)
	assert refused.status_code == 417
	foreign = users["sales_a"].insert(
		"CRM Marketing Consent",
		{"customer": mine, "channel": "SMS", "address": new_mobile(), "source": "Phone"},
	)
	assert foreign.status_code == 417, messages(foreign)
	assert users["sales_c"].get_doc("CRM Marketing Consent", given["name"]).status_code == 404
	assert users["sales_a"].request("GET", "/api/resource/CRM Outbound Message").status_code == 403


def test_sms_campaign_sends_to_consent_only_retries_failures_and_starts_once(users, worker, sms_gateway, tag):
	tag = tag
	sales = users["sales_a"]
	numbers = [new_mobile() for _ in range(3)]
	customers = [new_customer(sales, tag, mobile_no=number)["name"] for number in numbers]
	consent(sales, customers[0], "SMS", numbers[0])
	consent(sales, customers[1], "SMS", numbers[1])
	manager = users["east_manager"]
	response = manager.insert(
		"CRM Campaign",
		{
			"campaign_name": f"双十二{frappe.generate_hash(length=6)}",
			"segment": segment_of(manager, tag),
			"send_sms": 1,
			"sms_text": "{{ customer.customer_name }}您好，双十二全场九折",
			"budget": 1000,
		},
	)
	assert response.status_code == 200, messages(response)
	campaign = response.json()["data"]["name"]
	assert call(sales, "CRM Campaign", campaign, "start").status_code == 403
	started = call(manager, "CRM Campaign", campaign, "start")
	assert started.status_code == 200, messages(started)
	again = call(manager, "CRM Campaign", campaign, "start")
	assert again.status_code == 200 and len(outbound(campaign=campaign)) == 3

	sms_gateway.fail_next(1, status=503, path="/sms/send")
	run_scheduled_job(DELIVER)
	rows = {row.address: row for row in outbound(campaign=campaign)}
	assert rows[""].status == "Skipped"
	statuses = sorted((rows[number].status, rows[number].attempts) for number in numbers[:2])
	assert statuses == [("Queued", 1), ("Sent", 1)]
	failed = next(rows[number] for number in numbers[:2] if rows[number].status == "Queued")
	assert "503" in failed.last_error

	# a minute later, the retry is due
	fresh()
	frappe.db.set_value("CRM Outbound Message", failed.name, "next_attempt_at", now_datetime())
	frappe.db.commit()
	run_scheduled_job(DELIVER)
	rows = {row.address: row for row in outbound(campaign=campaign)}
	assert [rows[number].status for number in numbers[:2]] == ["Sent", "Sent"]
	sent = sms_gateway.requests_to("/sms/send")
	# a mainland number goes to the gateway as its 11 digits
	assert sorted({request.form["mobile"] for request in sent}) == sorted(
		number[3:] for number in numbers[:2]
	)
	text = sent[-1].form["content"]
	assert text.startswith("【母婴之家】") and text.endswith("回复TD退订") and "双十二全场九折" in text
	assert sent[-1].form["apikey"] == "crm-test-key"
	stored = users["admin"].get_doc("CRM Campaign", campaign).json()["data"]
	assert (stored["status"], stored["sent"], stored["skipped"], stored["failed"]) == ("Completed", 2, 1, 0)
	# the counts run over customers outside a manager's reach: an admin's to read
	as_manager = manager.get_doc("CRM Campaign", campaign).json()["data"]
	assert as_manager["status"] == "Completed" and as_manager.get("sent") in (None, 0)
	assert users["sales_a"].get_doc("CRM Outbound Message", failed.name).status_code == 403


def test_sms_reply_td_withdraws_consent_at_once(users, sms_gateway, tag):
	mobile = new_mobile()
	customer = new_customer(users["sales_a"], tag, mobile_no=mobile)["name"]
	given = consent(users["sales_a"], customer, "SMS", mobile)
	guest = Client(users["admin"].base_url, users["admin"].site, "Guest")
	reply = "crm_app.api.marketing.sms_reply"
	assert guest.post(reply, token="wrong", mobile=mobile, content="TD").status_code == 403
	assert guest.post(reply, token=REPLY_TOKEN, mobile=mobile, content="好的谢谢").json()["message"] == {
		"withdrawn": 0
	}
	answer = guest.post(reply, token=REPLY_TOKEN, mobile=mobile[3:], content="TD")
	assert answer.status_code == 200 and answer.json()["message"] == {"withdrawn": 1}
	stored = users["sales_a"].get_doc("CRM Marketing Consent", given["name"]).json()["data"]
	assert (stored["status"], stored["withdrawn_via"]) == ("Withdrawn", "SMS Reply")
	assert guest.post(reply, token=REPLY_TOKEN, mobile="12", content="TD").status_code == 417


def test_email_campaign_goes_through_the_email_queue_with_an_unsubscribe_link(
	users, worker, outgoing_email, tag
):
	tag = tag
	address = f"buyer-{frappe.generate_hash(length=8)}@example.cn"
	customer = new_customer(users["sales_a"], tag, email_id=address)["name"]
	given = consent(users["sales_a"], customer, "Email", address)
	manager = users["east_manager"]
	campaign = manager.insert(
		"CRM Campaign",
		{
			"campaign_name": f"新品邮件{frappe.generate_hash(length=6)}",
			"segment": segment_of(manager, tag),
			"send_email": 1,
			"email_subject": "{{ customer.customer_name }}，冬季新品到店",
			"email_body": "<p>尊敬的{{ customer.customer_name }}：冬季新品已到店。</p>",
		},
	).json()["data"]["name"]
	assert call(manager, "CRM Campaign", campaign, "start").status_code == 200
	run_scheduled_job(DELIVER)
	[message] = outbound(campaign=campaign)
	assert message.status == "Sent" and message.email_queue
	fresh()
	queued = frappe.get_doc("Email Queue", message.email_queue)
	assert [r.recipient for r in queued.recipients] == [address]
	assert "冬季新品已到店" in message.body
	# the mail carries the link to the unsubscribe page
	html = [
		part.get_payload(decode=True).decode()
		for part in email.message_from_string(queued.message).walk()
		if part.get_content_type() == "text/html"
	]
	assert any(
		f"/unsubscribe?message={message.name}&amp;key={unsubscribe_key(message.name)}" in part
		for part in html
	)
	link = unsubscribe_url(message.name)
	guest = Client(users["admin"].base_url, users["admin"].site, "Guest")
	page = guest.request("GET", link[link.index("/unsubscribe") :])
	assert page.status_code == 200 and address in page.text
	# opening the page changes nothing
	assert (
		users["sales_a"].get_doc("CRM Marketing Consent", given["name"]).json()["data"]["status"] == "Granted"
	)
	wrong = guest.post("crm_app.api.marketing.unsubscribe", message=message.name, key="0" * 64)
	assert wrong.status_code == 403
	done = guest.post(
		"crm_app.api.marketing.unsubscribe", message=message.name, key=unsubscribe_key(message.name)
	)
	assert done.status_code == 200, messages(done)
	stored = users["sales_a"].get_doc("CRM Marketing Consent", given["name"]).json()["data"]
	assert (stored["status"], stored["withdrawn_via"]) == ("Withdrawn", "Unsubscribe Link")


def test_journeys_fire_once_per_occasion_and_honour_consent(users, worker, sms_gateway, tag):
	admin = users["admin"]
	journeys = {}
	for occasion in ("Welcome", "Birthday"):
		response = admin.insert(
			"CRM Journey",
			{
				"journey_name": f"{occasion}{frappe.generate_hash(length=6)}",
				"occasion": occasion,
				"send_sms": 1,
				"sms_text": "{{ customer.customer_name }}，"
				+ ("欢迎光临" if occasion == "Welcome" else "生日快乐"),
			},
		)
		assert response.status_code == 200, messages(response)
		journeys[occasion] = response.json()["data"]["name"]
	assert (
		users["east_manager"].insert("CRM Journey", {"journey_name": "x", "occasion": "Welcome"}).status_code
		== 403
	)
	mobile, silent = new_mobile(), new_mobile()
	born = (
		getdate().replace(year=1990)
		if getdate().strftime("%m-%d") != "02-29"
		else getdate().replace(year=1992)
	)
	person = new_customer(
		users["sales_b"], tag, mobile_no=mobile, customer_type="Individual", birthday=str(born)
	)["name"]
	consent(users["sales_b"], person, "SMS", mobile)
	quiet = new_customer(users["sales_b"], tag, mobile_no=silent)["name"]
	run_scheduled_job(JOURNEYS)
	run_scheduled_job(JOURNEYS)
	fresh()
	for journey, occasion in (
		(journeys["Welcome"], "welcome"),
		(journeys["Birthday"], f"birthday-{getdate().year}"),
	):
		entries = frappe.get_all(
			"CRM Journey Entry", {"journey": journey, "customer": person}, pluck="occasion"
		)
		assert entries == [occasion]
	assert {row.status for row in outbound(journey=journeys["Welcome"], customer=quiet)} == {"Skipped"}
	run_scheduled_job(DELIVER)
	texts = [
		r.form["content"] for r in sms_gateway.requests_to("/sms/send") if r.form["mobile"] == mobile[3:]
	]
	assert (
		len(texts) == 2
		and any("欢迎光临" in text for text in texts)
		and any("生日快乐" in text for text in texts)
	)
	assert not [r for r in sms_gateway.requests_to("/sms/send") if r.form["mobile"] == silent[3:]]
	fresh()
	frappe.db.set_value("CRM Journey", {"name": ("in", list(journeys.values()))}, "enabled", 0)
	frappe.db.commit()
