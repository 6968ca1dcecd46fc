"""The nightly analysis as one run (crm_app/analytics/nightly.py): never two at once, and a run that crashed is
taken up again from the first step it had not finished."""

import frappe
import pymysql
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from crm_app.analytics import nightly
from crm_app.domain.errors import DomainError

RUN = "CRM Analytics Run"


def other_connection():
	conf = frappe.conf
	return pymysql.connect(
		host=conf.db_host or "127.0.0.1",
		port=int(conf.db_port or 3306),
		user=conf.db_user or conf.db_name,
		password=conf.db_password,
		database=conf.db_name,
	)


def runs_today() -> list[dict]:
	return frappe.get_all(RUN, filters={"run_date": getdate()}, fields=["*"], order_by="creation asc")


class TestCRMAnalyticsRun(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")

	def test_a_run_records_every_step(self):
		name = nightly.run()
		run = frappe.get_doc(RUN, name)
		self.assertEqual(run.status, "Done")
		self.assertEqual(run.steps_done.split(), nightly.step_keys())
		self.assertFalse(run.current_step)

	def test_no_run_while_another_holds_the_lock(self):
		before = len(runs_today())
		other = other_connection()
		try:
			with other.cursor() as cursor:
				cursor.execute("select get_lock(%s, 0)", (nightly.lock_name(),))
				self.assertEqual(cursor.fetchone()[0], 1)
			self.assertTrue(nightly.is_running())
			self.assertIsNone(nightly.run())
			self.assertFalse(nightly.start())
			self.assertEqual(len(runs_today()), before)
		finally:
			other.close()
		self.assertFalse(nightly.is_running())

	def test_a_failed_run_resumes_where_it_stopped(self):
		settings = frappe.get_single("CRM Settings")
		multiple = settings.churn_multiple
		# a setting broken behind the form's back makes the churn step fail, as a crash would
		frappe.db.set_single_value("CRM Settings", "churn_multiple", 0.5)
		frappe.clear_document_cache("CRM Settings", "CRM Settings")
		with self.assertRaises(DomainError):
			nightly.run()
		failed = runs_today()[-1]
		self.assertEqual(failed.status, "Failed")
		self.assertIn("churn multiple", failed.error)
		done = failed.steps_done.split()
		self.assertEqual(done, nightly.step_keys()[: len(done)])
		self.assertIn("Purchase_Rhythms", done)
		self.assertNotIn("Churn_Due_Dates", done)

		frappe.db.set_single_value("CRM Settings", "churn_multiple", multiple)
		frappe.clear_document_cache("CRM Settings", "CRM Settings")
		self.assertEqual(nightly.run(), failed.name)
		resumed = frappe.get_doc(RUN, failed.name)
		self.assertEqual((resumed.status, resumed.steps_done.split()), ("Done", nightly.step_keys()))
