"""Quarterly sales forecast against actuals (季度销售预测): for each quarter of a year, the submitted orders so far,
the open pipeline expected to close in it weighted by each deal's probability (deals past their expected date
count in the current quarter), the run-rate of repeat customers, and the forecast (crm_app/domain/forecast.py).
Everything is counted within the viewer's reach."""

import frappe
from frappe import _
from frappe.utils import add_days, cint, getdate, today

from crm_app.domain.errors import DomainError
from crm_app.domain.forecast import forecast, quarter_of, quarters
from crm_app.reports.filters import in_reach
from crm_app.validation import throw_domain_error

ORDER, OPPORTUNITY = "CRM Sales Order", "CRM Opportunity"
RUN_RATE_DAYS = 365


def execute(filters=None):
	filters = frappe._dict(filters or {})
	day = getdate(today())
	year = filters.year or day.year
	if not isinstance(year, int | str) or not str(year).isdigit():
		frappe.throw(_("{0} must be a whole number").format(_("Year")))
	try:
		periods = quarters(cint(year))
	except DomainError as error:
		throw_domain_error(error)
	actual = actuals(periods[0].start, periods[-1].end)
	pipeline = weighted_pipeline(day)
	run_rate = repeat_run_rate(day)
	current = quarter_of(day)
	rows = []
	for quarter in periods:
		expected = pipeline.get((quarter.year, quarter.number), 0.0) if day < quarter.end else 0.0
		done = actual.get(quarter.number, 0.0)
		rows.append(
			{
				"quarter": quarter.label,
				"actual": done,
				"pipeline": expected,
				"run_rate": run_rate if day < quarter.end else None,
				"forecast": forecast(quarter, day, done, expected, run_rate),
				"is_current": int(quarter == current),
			}
		)
	return columns(), rows, None, chart(rows), summary(rows, run_rate)


def actuals(start, end) -> dict[int, float]:
	return {
		number: float(amount or 0)
		for number, amount in frappe.db.sql(
			f"""select quarter(transaction_date), sum(grand_total) from `tab{ORDER}`
			where docstatus = 1 and transaction_date >= %(start)s and transaction_date < %(end)s
				and {in_reach(ORDER)}
			group by quarter(transaction_date)""",
			{"start": start, "end": end},
		)
	}


def weighted_pipeline(day) -> dict[tuple[int, int], float]:
	"""Open deals by the quarter they are expected to close in, those overdue in the current one."""
	current = quarter_of(day)
	found = {}
	for expected, amount in frappe.db.sql(
		f"""select greatest(expected_close_date, %(start)s), sum(amount * probability / 100) from `tab{OPPORTUNITY}`
		where status = 'Open' and expected_close_date is not null and {in_reach(OPPORTUNITY)}
		group by greatest(expected_close_date, %(start)s)""",
		{"start": current.start},
	):
		quarter = quarter_of(getdate(expected))
		key = (quarter.year, quarter.number)
		found[key] = found.get(key, 0.0) + float(amount or 0)
	return found


def repeat_run_rate(day) -> float:
	"""A quarter's worth of what customers with two or more orders in the last year ordered without a deal."""
	# what repeat customers ordered in all, from the index that covers it, less what of it came from deals, read
	# through the index on the deal: reading whether each order had a deal would visit every order's row
	period = f"""docstatus = 1 and transaction_date >= %(since)s and transaction_date < %(today)s
		and {in_reach(ORDER)}"""
	amount = frappe.db.sql(
		f"""select sum(repeat_customers.total - ifnull(deals.total, 0)) from (
			select customer, sum(grand_total) as total from `tab{ORDER}` where {period}
			group by customer having count(*) > 1
		) repeat_customers
		left join (
			select customer, sum(grand_total) as total from `tab{ORDER}`
			where opportunity is not null and {period} group by customer
		) deals on deals.customer = repeat_customers.customer""",
		{"since": add_days(day, -RUN_RATE_DAYS), "today": day},
	)[0][0]
	return float(amount or 0) / 4


def columns() -> list[dict]:
	return [
		{"fieldname": "quarter", "label": _("Quarter"), "fieldtype": "Data", "width": 100},
		{"fieldname": "actual", "label": _("Actual"), "fieldtype": "Currency", "width": 140},
		{"fieldname": "pipeline", "label": _("Weighted Pipeline"), "fieldtype": "Currency", "width": 150},
		{
			"fieldname": "run_rate",
			"label": _("Repeat Customers' Run-rate"),
			"fieldtype": "Currency",
			"width": 170,
		},
		{"fieldname": "forecast", "label": _("Forecast"), "fieldtype": "Currency", "width": 140},
	]


def chart(rows: list[dict]) -> dict:
	return {
		"data": {
			"labels": [row["quarter"] for row in rows],
			"datasets": [
				{"name": _("Actual"), "values": [row["actual"] for row in rows]},
				{"name": _("Forecast"), "values": [row["forecast"] or 0 for row in rows]},
			],
		},
		"type": "bar",
		"colors": ["#16A34A", "#2563EB"],
	}


def summary(rows: list[dict], run_rate: float) -> list[dict]:
	current = next((row for row in rows if row["is_current"]), None)
	figures = [
		{
			"label": _("Actual This Year"),
			"value": sum(row["actual"] for row in rows),
			"datatype": "Currency",
			"indicator": "Green",
		},
		{
			"label": _("Repeat Customers' Run-rate"),
			"value": run_rate,
			"datatype": "Currency",
			"indicator": "Blue",
		},
	]
	if current:
		figures.append(
			{
				"label": _("Forecast This Quarter"),
				"value": current["forecast"],
				"datatype": "Currency",
				"indicator": "Blue",
			}
		)
	return figures
