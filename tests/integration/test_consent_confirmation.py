"""Double opt-in on a real site, as a visitor and the site's users: a consent ticked on the inquiry page sends a
signed link to each address left (SMS through the gateway, e-mail through the Email Queue), at most once per
address and day; opening the link changes nothing, confirming grants the consent on every customer holding the
address (again where the customer had withdrawn it), and a tick never confirmed grants nothing on conversion."""

import email
import re
import time

import frappe
import pytest
from frappe.utils import add_days, now_datetime

from crm_app.marketing.consent import CONFIRMATION, confirmation_key
from tests.integration.client import Client, messages
from tests.integration.conftest import REPLY_TOKEN, fresh, settle, unique_mobile, unique_name
from tests.integration.test_leads_and_pool import inquiry_token, post_inquiry

CONFIRM = "crm_app.api.marketing.confirm_consent"
LINK = re.compile(r"/confirm_consent\?confirmation=(\w+)&(?:amp;)?key=(\w+)")
INVALID = "This link is not valid, or has expired"
ips = iter(f"10.8.0.{n}" for n in range(1, 250))


@pytest.fixture(scope="module")
def form_token(base_url) -> str:
	"""One form, filled in long enough for the page's spam check; every inquiry of the module sends it."""
	token = inquiry_token(base_url)
	time.sleep(3.2)
	return token


@pytest.fixture
def guest(users) -> Client:
	return Client(users["admin"].base_url, users["admin"].site, "Guest")


def tick(base_url, form_token, **values):
	answer = post_inquiry(
		base_url,
		next(ips),
		lead_name="冯女士",
		inquiry="想了解会员活动",
		form_token=form_token,
		marketing_consent="1",
		**values,
	)
	assert answer.status_code == 200, answer.text
	settle()


def sms_link(gateway, mobile: str) -> tuple[str, str]:
	[text] = [r.form["content"] for r in gateway.requests_to("/sms/send") if r.form["mobile"] == mobile[3:]]
	return LINK.search(text).groups()


def email_link(address: str) -> tuple[str, str]:
	fresh()
	[name] = frappe.get_all(CONFIRMATION, {"channel": "Email", "address": address}, pluck="name")
	[queued] = frappe.get_all(
		"Email Queue", {"reference_doctype": CONFIRMATION, "reference_name": name}, pluck="name"
	)
	queued = frappe.get_doc("Email Queue", queued)
	assert [r.recipient for r in queued.recipients] == [address]
	html = "".join(
		part.get_payload(decode=True).decode()
		for part in email.message_from_string(queued.message).walk()
		if part.get_content_type() == "text/html"
	)
	return LINK.search(html).groups()


def consents(client: Client, customer: str) -> dict[str, dict]:
	rows = client.list(
		"CRM Marketing Consent",
		fields=["name", "channel", "address", "status", "source", "granted_at", "note"],
		filters={"customer": customer},
	)
	return {row["channel"]: row for row in rows}


def test_the_holder_of_a_known_address_confirms_and_the_customer_gets_the_consent(
	base_url, users, worker, outgoing_email, sms_gateway, form_token, guest
):
	sales = users["sales_a"]
	mobile, address = f"+86{unique_mobile()}", f"fan-{frappe.generate_hash(length=8)}@example.cn"
	customer = sales.insert(
		"CRM Customer", {"customer_name": unique_name(), "mobile_no": mobile, "email_id": address}
	).json()["data"]["name"]

	tick(base_url, form_token, mobile_no=mobile[3:], email_id=address)
	confirmation, key = sms_link(sms_gateway, mobile)
	page = guest.request("GET", f"/confirm_consent?confirmation={confirmation}&key={key}")
	assert page.status_code == 200 and mobile in page.text
	# opening the link (as a mail scanner does) changes nothing
	assert consents(sales, customer) == {}

	assert guest.post(CONFIRM, confirmation=confirmation, key="0" * 64).status_code == 403
	before = now_datetime().replace(microsecond=0)
	done = guest.post(CONFIRM, confirmation=confirmation, key=key)
	assert done.status_code == 200, messages(done)
	assert mobile in done.json()["message"]["message"]
	sms = consents(sales, customer)["SMS"]
	assert (sms["address"], sms["status"], sms["source"]) == (mobile, "Granted", "Inquiry Page")
	assert sms["granted_at"] >= str(before) and mobile in sms["note"]
	# a replayed link confirms nothing more, and says so
	replayed = guest.post(CONFIRM, confirmation=confirmation, key=key)
	assert replayed.status_code == 410 and "already been used" in messages(replayed)
	assert guest.request("GET", f"/confirm_consent?confirmation={confirmation}&key={key}").status_code == 410

	confirmation, key = email_link(address)
	assert guest.post(CONFIRM, confirmation=confirmation, key=key).status_code == 200
	assert consents(sales, customer)["Email"]["status"] == "Granted"

	# a second tick the same day sends nothing more to either address
	tick(base_url, form_token, mobile_no=mobile[3:], email_id=address)
	assert len([r for r in sms_gateway.requests_to("/sms/send") if r.form["mobile"] == mobile[3:]]) == 1
	fresh()
	assert frappe.db.count(CONFIRMATION, {"address": ("in", [mobile, address])}) == 2


def test_a_tick_never_confirmed_grants_nothing_and_a_confirmed_one_follows_the_lead(
	base_url, users, worker, sms_gateway, form_token, guest
):
	sales = users["sales_a"]
	leads = {}
	for mobile in (f"+86{unique_mobile()}", f"+86{unique_mobile()}"):
		tick(base_url, form_token, mobile_no=mobile[3:])
		fresh()
		leads[mobile] = frappe.db.get_value("CRM Lead", {"mobile_no": mobile})
	(silent, silent_lead), (confirmed, confirmed_lead) = leads.items()

	sms_link(sms_gateway, silent)  # sent, never opened
	converted = sales.post("crm_app.api.leads.convert", lead=silent_lead)
	assert converted.status_code == 200, messages(converted)
	assert consents(sales, converted.json()["message"]["customer"]) == {}

	confirmation, key = sms_link(sms_gateway, confirmed)
	assert guest.post(CONFIRM, confirmation=confirmation, key=key).status_code == 200
	fresh()
	confirmed_at = frappe.db.get_value("CRM Lead", confirmed_lead, "marketing_consent_confirmed_at")
	assert confirmed_at
	converted = sales.post("crm_app.api.leads.convert", lead=confirmed_lead)
	assert converted.status_code == 200, messages(converted)
	sms = consents(sales, converted.json()["message"]["customer"])["SMS"]
	assert (sms["address"], sms["status"]) == (confirmed, "Granted")
	assert sms["granted_at"].startswith(str(confirmed_at)[:19])


def test_a_consent_the_customer_withdrew_is_given_again_by_a_fresh_confirmation(
	base_url, users, worker, sms_gateway, form_token, guest
):
	sales = users["sales_a"]
	mobile = f"+86{unique_mobile()}"
	customer = sales.insert(
		"CRM Customer",
		{
			"customer_name": unique_name(),
			"contacts": [{"contact_name": "冯莉", "mobile_no": mobile}],
		},
	).json()["data"]["name"]
	given = sales.insert(
		"CRM Marketing Consent",
		{"customer": customer, "channel": "SMS", "address": mobile, "source": "In Person"},
	).json()["data"]["name"]
	withdrawn = guest.post(
		"crm_app.api.marketing.sms_reply", token=REPLY_TOKEN, mobile=mobile[3:], content="TD"
	)
	assert withdrawn.json()["message"] == {"withdrawn": 1}
	# staff still need a note to give it again
	assert sales.update("CRM Marketing Consent", given, {"status": "Granted"}).status_code == 417

	tick(base_url, form_token, mobile_no=mobile[3:])
	confirmation, key = sms_link(sms_gateway, mobile)
	assert guest.post(CONFIRM, confirmation=confirmation, key=key).status_code == 200
	stored = sales.get_doc("CRM Marketing Consent", given).json()["data"]
	assert (stored["status"], stored["contact"], stored.get("withdrawn_via")) == ("Granted", "冯莉", None)


def test_bad_links_are_refused_alike_and_tell_nothing(
	base_url, users, worker, sms_gateway, form_token, guest
):
	mobile = f"+86{unique_mobile()}"
	tick(base_url, form_token, mobile_no=mobile[3:])
	confirmation, key = sms_link(sms_gateway, mobile)
	unknown = frappe.generate_hash(length=20)
	fresh()
	frappe.db.set_value(
		CONFIRMATION, confirmation, "creation", add_days(now_datetime(), -8), update_modified=False
	)
	frappe.db.commit()
	answers = [
		guest.post(CONFIRM, confirmation=confirmation, key=key),  # expired
		guest.post(CONFIRM, confirmation=confirmation, key=confirmation_key(unknown)),  # forged
		guest.post(CONFIRM, confirmation=unknown, key=confirmation_key(unknown)),  # no such confirmation
		guest.post(CONFIRM, confirmation=["x"], key=key),  # not even a name
	]
	assert [answer.status_code for answer in answers[:3]] == [403, 403, 403]
	[said] = {messages(answer) for answer in answers[:3]}
	assert INVALID in said
	assert 400 <= answers[3].status_code < 500
	page = guest.request("GET", f"/confirm_consent?confirmation={unknown}&key={key}")
	assert page.status_code == 403 and INVALID in page.text
	fresh()
	assert frappe.db.get_value(CONFIRMATION, confirmation, "status") == "Sent"


def test_only_admins_read_confirmations(users, guest):
	fresh()
	name = frappe.get_all(CONFIRMATION, limit=1, pluck="name")[0]
	assert users["admin"].get_doc(CONFIRMATION, name).status_code == 200
	for who in ("sales_a", "east_manager", "finance", "agent_east", "portal", "customer"):
		client = users[who]
		assert client.get_doc(CONFIRMATION, name).status_code in (403, 404), who
		listed = client.request("GET", f"/api/resource/{CONFIRMATION}")
		assert listed.status_code == 403, who
	assert guest.get_doc(CONFIRMATION, name).status_code in (403, 404)
	assert users["admin"].update(CONFIRMATION, name, {"status": "Confirmed"}).status_code == 403
