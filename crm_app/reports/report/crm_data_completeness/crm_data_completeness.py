"""客户信息完整率: how complete each salesperson's customer records are, over the customers the viewer may see."""

import frappe
from frappe import _

from crm_app.domain.completeness import bits
from crm_app.permissions import get_permission_query_conditions

# (column, label, SQL that is 1 when the customer has it): the checks kept on each customer as bits of
# `completeness`, and whether anyone followed it up, so that the report reads only the completeness index
COLUMNS = (
	*((name, label, f"c.completeness & {bit} <> 0") for name, label, bit in bits()),
	("followed_up", "Followed Up", "c.last_interaction_at is not null"),
)


def execute(filters=None):
	filters = frappe._dict(filters or {})
	return columns(), data(filters)


def columns() -> list[dict]:
	return [
		{"fieldname": "salesperson", "label": _("Salesperson"), "fieldtype": "Data", "width": 140},
		{
			"fieldname": "sales_owner",
			"label": _("Sales Owner"),
			"fieldtype": "Link",
			"options": "User",
			"width": 220,
		},
		{"fieldname": "customers", "label": _("Customers"), "fieldtype": "Int", "width": 100},
		*(
			{"fieldname": name, "label": _(label), "fieldtype": "Percent", "width": 120}
			for name, label, _condition in COLUMNS
		),
		{"fieldname": "completeness", "label": _("Completeness"), "fieldtype": "Percent", "width": 120},
	]


def data(filters) -> list[dict]:
	where = ["1 = 1"]
	if permission := get_permission_query_conditions(frappe.session.user, "CRM Customer"):
		where.append(permission.replace("`tabCRM Customer`", "c"))
	params = {}
	if filters.sales_owner:
		where.append("c.sales_owner = %(sales_owner)s")
		params["sales_owner"] = filters.sales_owner
	percentages = ", ".join(
		f"100 * avg(case when {condition} then 1 else 0 end) as {name}" for name, _l, condition in COLUMNS
	)
	rows = frappe.db.sql(
		f"""
		select c.sales_owner, count(*) as customers, {percentages}
		from `tabCRM Customer` c
		where {" and ".join(where)}
		group by c.sales_owner
		order by customers desc
		""",
		params,
		as_dict=True,
	)
	for row in rows:
		row.salesperson = frappe.utils.get_fullname(row.sales_owner) if row.sales_owner else _("Public Pool")
		row.completeness = sum(row[name] for name, _l, _c in COLUMNS) / len(COLUMNS)
	return rows
