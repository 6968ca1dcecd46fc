"""The nightly analysis of customers and products, as one run of steps on the long queue.

- One run at a time: a run holds a MariaDB named lock for the site while it works. The lock belongs to the
  database connection, so a worker that dies frees it with its connection, and no lock is ever left behind.
- Resumable: each step commits its work and is recorded on the day's CRM Analytics Run; a run that crashed or
  failed is taken up again by the next start on the same day, from the first step it had not finished.
- Visible: whoever starts it by hand from CRM Settings sees each step's progress there.
"""

import time
import traceback
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime

from crm_app.analytics.associations import analyse_associations
from crm_app.analytics.customer_value import (
	update_churn_due_dates,
	update_order_figures,
	update_rhythms,
	update_scores,
	update_tiers,
	warn_of_churn,
)
from crm_app.analytics.product_sales import recount_changed
from crm_app.background import enqueue_once
from crm_app.customers.doctype.crm_tag_rule.crm_tag_rule import apply_enabled_rules

RUN = "CRM Analytics Run"
# The steps group and number hundreds of thousands of rows keyed by names; MariaDB's default 16 MB for a temporary
# table sends them to disk, several times slower. This run's connection may use up to this much memory for each.
TEMPORARY_TABLE_BYTES = 1024**3
JOB_ID = "crm_app_nightly_analysis"
# (label, step): each takes the run's date
STEPS = (
	("Order Figures", update_order_figures),
	("RFM Scores", update_scores),
	("Value Tiers", lambda today: update_tiers()),
	("Tag Rules", lambda today: apply_enabled_rules()),
	("Purchase Rhythms", lambda today: update_rhythms()),
	("Churn Due Dates", lambda today: update_churn_due_dates()),
	("Churn Warnings", warn_of_churn),
	("Purchase Association", analyse_associations),
	("Product Sales", recount_changed),
)


def lock_name() -> str:
	return f"crm_app_analysis_{frappe.conf.db_name}"


def take_lock() -> bool:
	return bool(frappe.db.sql("select get_lock(%s, 0)", lock_name())[0][0])


def release_lock() -> None:
	frappe.db.sql("select release_lock(%s)", lock_name())


def is_running() -> bool:
	return not frappe.db.sql("select is_free_lock(%s)", lock_name())[0][0]


def start(started_by: str | None = None) -> bool:
	"""Queue a run on the long queue unless one is queued or running; returns whether it was queued."""
	if is_running():
		return False
	return enqueue_once(
		"crm_app.analytics.nightly.run",
		JOB_ID,
		queue="long",
		enqueue_after_commit=True,
		started_by=started_by,
	)


def run(started_by: str | None = None) -> str | None:
	"""Run, or resume, today's analysis; returns the run's name, or None when another run holds the lock."""
	if not take_lock():
		return None
	try:
		with temporary_tables_in_memory():
			return run_steps(current_run(started_by))
	finally:
		release_lock()


@contextmanager
def temporary_tables_in_memory():
	sizes = frappe.db.sql("select @@session.tmp_table_size, @@session.max_heap_table_size")[0]
	frappe.db.sql(
		"set session tmp_table_size = %(bytes)s, max_heap_table_size = %(bytes)s",
		{"bytes": TEMPORARY_TABLE_BYTES},
	)
	try:
		yield
	finally:
		frappe.db.sql("set session tmp_table_size = %s, max_heap_table_size = %s", sizes)


def current_run(started_by: str | None):
	today = getdate()
	unfinished = frappe.get_all(
		RUN,
		filters={"run_date": today, "status": ("!=", "Done")},
		order_by="creation desc",
		limit=1,
		pluck="name",
	)
	if unfinished:
		return frappe.get_doc(RUN, unfinished[0])
	return frappe.get_doc(
		{
			"doctype": RUN,
			"run_date": today,
			"status": "Running",
			"started_by": started_by or frappe.session.user,
		}
	).insert(ignore_permissions=True)


def run_steps(record) -> str:
	done = set((record.steps_done or "").split())
	began = time.monotonic()
	record.db_set({"status": "Running", "started_at": now_datetime(), "error": None})
	frappe.db.commit()
	try:
		for number, (label, step) in enumerate(STEPS):
			key = label.replace(" ", "_")
			if key in done:
				continue
			record.db_set("current_step", label)
			tell_progress(number, label)
			step(record.run_date)
			done.add(key)
			record.db_set("steps_done", " ".join(key for key in step_keys() if key in done))
			frappe.db.commit()
	except Exception:
		frappe.db.rollback()
		record.db_set({"status": "Failed", "error": traceback.format_exc(limit=5)[-2000:]})
		frappe.db.commit()
		raise
	record.db_set(
		{
			"status": "Done",
			"current_step": None,
			"finished_at": now_datetime(),
			"seconds": time.monotonic() - began,
		}
	)
	frappe.db.commit()
	tell_progress(len(STEPS), _("Done"))
	return record.name


def step_keys() -> list[str]:
	return [label.replace(" ", "_") for label, _step in STEPS]


def tell_progress(number: int, label: str) -> None:
	frappe.publish_progress(
		100 * number / len(STEPS),
		title=_("Customer analysis"),
		description=_(label),
		doctype="CRM Settings",
		docname="CRM Settings",
	)
