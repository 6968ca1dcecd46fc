"""The demo's marketing: coupon types, segments, journeys and campaigns from data/marketing.json, inserted once
through the normal API (an admin may edit them afterwards); the consent a shop collects at the counter, a share of
the customers with a mobile or an e-mail address, written in one statement per channel; and the welcome coupon of
a share of the customers."""

import frappe
from frappe.utils import now_datetime, today

from crm_app.demo.catalogue import read
from crm_app.install import insert_if_missing
from crm_app.marketing.consent import ADDRESS_FIELDS, GRANTED
from crm_app.marketing.coupons import issue_coupons


def ensure_demo_marketing() -> list[str]:
	"""Insert what is missing; the names of the records inserted."""
	data = read("marketing")
	inserted = []
	month = str(now_datetime().month)
	for values in data["coupon_types"]:
		if insert_if_missing("CRM Coupon Type", values["coupon_type_name"], values):
			inserted.append(values["coupon_type_name"])
	for values in data["segments"]:
		conditions = [{**row, "value": row["value"].format(month=month)} for row in values["conditions"]]
		if insert_if_missing("CRM Segment", values["segment_name"], {**values, "conditions": conditions}):
			inserted.append(values["segment_name"])
	for values in data["journeys"]:
		if insert_if_missing("CRM Journey", values["journey_name"], values):
			inserted.append(values["journey_name"])
	for values in data["campaigns"]:
		costs = [{**row, "cost_date": today()} for row in values["costs"]]
		if insert_if_missing(
			"CRM Campaign", values["campaign_name"], {**values, "costs": costs, "start_date": today()}
		):
			inserted.append(values["campaign_name"])
	return inserted


def issue_demo_coupons(customers: list[str]) -> int:
	"""The welcome coupon for a share of `customers`, as if the welcome journey had greeted them; how many."""
	data = read("marketing")
	kind = data["coupon_types"][0]["coupon_type_name"]
	share = round(data["welcome_coupon_share"] * len(customers))
	return (
		issue_coupons(kind, customers[:share], occasion=data["journeys"][0]["journey_name"]) if share else 0
	)


def grant_demo_consent(customers: list[str]) -> int:
	"""Consent for a share of `customers` per channel (those whose name hashes below the share), for the
	customer's own address; the number of consents given."""
	data = read("marketing")
	now = now_datetime()
	sources = {f"source{index}": source for index, source in enumerate(data["consent_sources"])}
	where_given = ", ".join(f"%({key})s" for key in sources)
	given = 0
	for channel, share in data["consent_share"].items():
		field = ADDRESS_FIELDS[channel]
		frappe.db.sql(
			f"""insert ignore into `tabCRM Marketing Consent`
				(name, creation, modified, owner, modified_by, docstatus, idx, customer, channel, address,
				status, source, granted_at)
			select md5(concat_ws(char(31), name, %(channel)s)), %(now)s, %(now)s, 'Administrator',
				'Administrator', 0, 0, name, %(channel)s, `{field}`, %(granted)s,
				elt(1 + crc32(name) %% {len(sources)}, {where_given}), %(now)s
			from `tabCRM Customer`
			where name in %(customers)s and ifnull(`{field}`, '') != ''
				and crc32(concat(name, %(channel)s)) %% 1000 < %(share)s""",
			{
				"channel": channel,
				"now": now,
				"granted": GRANTED,
				"customers": customers,
				"share": round(share * 1000),
				**sources,
			},
		)
		given += frappe.db.sql("select row_count()")[0][0]
	return given
