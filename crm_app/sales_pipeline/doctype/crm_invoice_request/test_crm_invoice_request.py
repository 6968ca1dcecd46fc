"""CRM Invoice Request: one per submitted order, with the order's buyer and figures and the payload the provider
receives; settled requests stay as they are; a fully paid order asks for one when CRM Settings say so; the
provider's answers move the request and show the issued number on the order."""

import json
from decimal import Decimal

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.domain import einvoice as rules
from crm_app.domain.uscc import check_character
from crm_app.sales_pipeline import einvoice
from crm_app.sales_pipeline.doctype.crm_payment.test_crm_payment import pay
from crm_app.sales_pipeline.doctype.crm_quotation.test_crm_quotation import make_product
from crm_app.sales_pipeline.doctype.crm_sales_order.test_crm_sales_order import make_sales_order


def a_uscc() -> str:
	body = "91330106" + frappe.generate_hash(length=9).upper().translate(str.maketrans("IOSVZ", "12345"))
	return body + check_character(body)


def make_request(order: str, **values):
	return frappe.get_doc({"doctype": "CRM Invoice Request", "sales_order": order, **values}).insert()


class TestCRMInvoiceRequest(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.sales = make_user("CRM Sales User")
		cls.tea = make_product(258).name
		cls.cup = make_product("33.33").name

	def setUp(self):
		frappe.set_user("Administrator")
		self.uscc = a_uscc()
		self.customer = make_customer(sales_owner=self.sales, uscc=self.uscc)
		self.order = self.submitted_order(self.customer.name)

	def submitted_order(self, customer: str):
		order = make_sales_order(
			customer,
			[{"product": self.tea, "qty": 3}, {"product": self.cup, "qty": 7}],
			tax_rate=13,
			sales_owner=self.sales,
		)
		order.submit()
		return order

	def test_a_request_takes_the_buyer_and_figures_from_its_order(self):
		request = make_request(self.order.name)
		self.assertEqual(request.customer, self.customer.name)
		self.assertEqual(
			(request.buyer_title, request.buyer_tax_id), (self.customer.customer_name, self.uscc)
		)
		self.assertEqual((request.status, request.attempts), ("Pending", 0))
		self.assertEqual(Decimal(str(request.total_amount)), Decimal(str(self.order.grand_total)))
		self.assertEqual(
			(Decimal(str(request.net_amount)), Decimal(str(request.tax_amount))),
			(Decimal(str(self.order.net_total)), Decimal(str(self.order.tax_amount))),
		)
		payload = json.loads(request.payload)
		self.assertEqual((payload["request_id"], payload["order_no"]), (request.name, self.order.name))
		self.assertEqual(len(payload["items"]), 2)
		self.assertEqual(payload["buyer"], {"name": self.customer.customer_name, "tax_id": self.uscc})

	def test_an_automatic_request_asks_for_the_preferred_type_when_it_can(self):
		frappe.db.set_single_value("CRM Settings", "einvoice_invoice_type", rules.SPECIAL)
		frappe.clear_document_cache("CRM Settings", "CRM Settings")
		try:
			self.assertEqual(make_request(self.order.name).invoice_type, rules.SPECIAL)
			person = make_customer(sales_owner=self.sales, customer_type="Individual")
			self.assertEqual(
				make_request(self.submitted_order(person.name).name).invoice_type, rules.ORDINARY
			)
		finally:
			frappe.db.set_single_value("CRM Settings", "einvoice_invoice_type", rules.ORDINARY)
			frappe.clear_document_cache("CRM Settings", "CRM Settings")

	def test_one_request_per_submitted_order(self):
		first = make_request(self.order.name)
		with self.assertRaisesRegex(frappe.ValidationError, "already has an invoice request"):
			make_request(self.order.name)
		self.assertEqual(einvoice.request_invoice(self.order.name).name, first.name)
		draft = make_sales_order(self.customer.name, [{"product": self.tea, "qty": 1}])
		with self.assertRaisesRegex(frappe.ValidationError, "Only a submitted sales order"):
			make_request(draft.name)

	def test_the_buyer_is_checked(self):
		person = make_customer(sales_owner=self.sales)
		order = self.submitted_order(person.name).name
		with self.assertRaisesRegex(frappe.ValidationError, "needs the buyer's tax ID"):
			make_request(order, invoice_type=rules.SPECIAL)
		with self.assertRaisesRegex(frappe.ValidationError, "check character"):
			make_request(order, buyer_tax_id=self.uscc[:-1] + ("1" if self.uscc[-1] != "1" else "2"))
		self.assertFalse(frappe.db.exists("CRM Invoice Request", {"sales_order": order}))

	def test_finance_corrects_an_open_request_but_not_a_settled_one(self):
		request = make_request(self.order.name)
		request.buyer_title = "王伟（个人）"
		request.save()
		self.assertEqual(json.loads(request.payload)["buyer"]["name"], "王伟（个人）")
		request.db_set("status", rules.ISSUED)
		request.reload()
		request.buyer_title = "另一个抬头"
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be changed"):
			request.save()

	def test_a_failed_request_is_tried_again_only_when_failed(self):
		request = make_request(self.order.name)
		with self.assertRaisesRegex(frappe.ValidationError, "Only a failed invoice request"):
			einvoice.retry(request.name)
		request.db_set({"status": rules.FAILED, "attempts": rules.MAX_ATTEMPTS, "last_error": "HTTP 400"})
		einvoice.retry(request.name)
		request.reload()
		self.assertEqual((request.status, request.attempts, request.next_retry_at), ("Pending", 0, None))

	def test_the_providers_answers_move_the_request(self):
		request = make_request(self.order.name)
		claimed = frappe._dict(
			name=request.name, sales_order=self.order.name, status=rules.PENDING, attempts=1
		)
		before = now_datetime()

		einvoice.record(claimed, rules.Outcome(rules.FAILED, error="HTTP 503", retry=True))
		request.reload()
		self.assertEqual((request.status, request.last_error), ("Failed", "HTTP 503"))
		self.assertGreaterEqual(request.next_retry_at, before + rules.FIRST_RETRY)

		einvoice.record(claimed, rules.Outcome(rules.FAILED, error="HTTP 400: 税号不存在"))
		request.reload()
		self.assertEqual((request.status, request.next_retry_at), ("Failed", None))

		einvoice.record(claimed.update(attempts=rules.MAX_ATTEMPTS), rules.Outcome(rules.FAILED, retry=True))
		self.assertIsNone(frappe.db.get_value("CRM Invoice Request", request.name, "next_retry_at"))

		einvoice.record(claimed.update(attempts=2), rules.Outcome(rules.REQUESTED))
		request.reload()
		self.assertEqual(request.status, "Requested")
		self.assertGreaterEqual(request.next_retry_at, before + 2 * rules.FIRST_RETRY)
		# a query that got no answer keeps the request with the provider
		einvoice.record(claimed.update(status=rules.REQUESTED), rules.Outcome(rules.FAILED, retry=True))
		self.assertEqual(frappe.db.get_value("CRM Invoice Request", request.name, "status"), "Requested")

		einvoice.record(
			claimed, rules.Outcome(rules.ISSUED, invoice_no="26330000000000000001", invoice_date="2026-12-07")
		)
		request.reload()
		self.assertEqual(
			(request.status, request.invoice_no, request.last_error), ("Issued", "26330000000000000001", None)
		)
		self.assertEqual(
			frappe.db.get_value("CRM Sales Order", self.order.name, "invoice_no"), "26330000000000000001"
		)

	def test_a_fully_paid_order_asks_for_its_invoice_when_settings_say_so(self):
		second = self.submitted_order(self.customer.name)
		pay(self.order.name, self.order.grand_total)
		self.assertFalse(frappe.db.exists("CRM Invoice Request", {"sales_order": self.order.name}))
		frappe.db.set_single_value("CRM Settings", "einvoice_on_full_payment", 1)
		frappe.clear_document_cache("CRM Settings", "CRM Settings")
		try:
			pay(second.name, 100)
			self.assertFalse(frappe.db.exists("CRM Invoice Request", {"sales_order": second.name}))
			pay(second.name, Decimal(str(second.grand_total)) - 100)
			self.assertTrue(frappe.db.exists("CRM Invoice Request", {"sales_order": second.name}))
		finally:
			frappe.db.set_single_value("CRM Settings", "einvoice_on_full_payment", 0)
			frappe.clear_document_cache("CRM Settings", "CRM Settings")
