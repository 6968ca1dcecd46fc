"""Segments: the customers that meet a segment's conditions, counted live or taken as an audience, always within
the reach of whoever asks."""

import frappe
from frappe.utils import now_datetime

from crm_app.customers.doctype.crm_tag_rule.crm_tag_rule import as_condition
from crm_app.domain.errors import DomainError
from crm_app.domain.tag_rules import segment_condition
from crm_app.permissions import get_permission_query_conditions
from crm_app.validation import throw_domain_error

CUSTOMER = "`tabCRM Customer`"


def customer_filter(segment, user: str) -> tuple[str, dict]:
	"""The WHERE clause of the segment's customers the user may see, and its parameters."""
	try:
		where, params = segment_condition(
			[as_condition(row) for row in segment.conditions], now_datetime(), CUSTOMER
		)
	except DomainError as error:
		throw_domain_error(error)
	if reach := get_permission_query_conditions(user, "CRM Customer"):
		where = f"({where}) and {reach}"
	return where, params


def count(segment, user: str) -> int:
	where, params = customer_filter(segment, user)
	return frappe.db.sql(f"select count(*) from {CUSTOMER} where {where}", params)[0][0]


def take_audience(segment, user: str) -> str:
	"""Snapshot the segment's customers into a new audience, in one statement, and return its name."""
	audience = frappe.get_doc(
		{
			"doctype": "CRM Audience",
			"audience_name": f"{segment.segment_name} {now_datetime():%Y-%m-%d %H:%M}",
			"segment": segment.name,
			"taken_at": now_datetime(),
			"taken_by": user,
		}
	)
	audience.insert(ignore_permissions=True)
	where, params = customer_filter(segment, user)
	frappe.db.sql(
		f"""insert into `tabCRM Audience Member`
			(name, creation, modified, owner, modified_by, docstatus, idx, audience, customer, customer_name)
		select md5(concat(%(audience)s, {CUSTOMER}.name)), %(now)s, %(now)s, %(user)s, %(user)s, 0, 0,
			%(audience)s, {CUSTOMER}.name, {CUSTOMER}.customer_name
		from {CUSTOMER} where {where}""",
		{**params, "audience": audience.name, "user": user},
	)
	members = frappe.db.sql("select row_count()")[0][0]
	audience.db_set("member_count", members)
	return audience.name
