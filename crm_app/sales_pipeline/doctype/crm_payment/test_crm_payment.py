"""CRM Payment: only against a submitted order, never zero, negative or more than is still owed; submitting or
cancelling a payment refreshes the order's paid and outstanding amounts and its payment status."""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.sales_pipeline.doctype.crm_quotation.test_crm_quotation import make_product
from crm_app.sales_pipeline.doctype.crm_sales_order.test_crm_sales_order import (
	make_sales_order,
	make_submitted_order,
)


def new_payment(order: str, amount, **values):
	return frappe.get_doc({"doctype": "CRM Payment", "sales_order": order, "amount": amount, **values})


def pay(order: str, amount, **values):
	payment = new_payment(order, amount, **values).insert()
	payment.submit()
	return payment


def order_figures(order: str) -> tuple:
	figures = frappe.db.get_value(
		"CRM Sales Order", order, ["paid_amount", "outstanding_amount", "payment_status"], as_dict=True
	)
	return figures.paid_amount, figures.outstanding_amount, figures.payment_status


class TestCRMPayment(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.sales = make_user("CRM Sales User")

	def setUp(self):
		frappe.set_user("Administrator")
		self.customer = make_customer(sales_owner=self.sales).name
		self.order = make_submitted_order(self.customer, 1000, sales_owner=self.sales).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_a_draft_order_takes_no_payment(self):
		draft = make_sales_order(self.customer, [{"product": make_product(10).name, "qty": 1}])
		with self.assertRaisesRegex(
			frappe.ValidationError, "only be recorded against a submitted sales order"
		):
			new_payment(draft.name, 10).insert()

	def test_zero_and_negative_amounts_are_refused(self):
		for amount in (0, -1, "0.004"):
			with self.subTest(amount=amount):
				with self.assertRaisesRegex(frappe.ValidationError, "must be greater than zero"):
					new_payment(self.order, amount).insert()

	def test_a_payment_cannot_exceed_what_is_still_owed(self):
		pay(self.order, 600)
		with self.assertRaisesRegex(
			frappe.ValidationError, "payment of 400.01 is more than the 400.00 still owed"
		):
			new_payment(self.order, "400.01").insert()
		pay(self.order, 400)
		self.assertEqual(order_figures(self.order), (1000, 0, "Paid"))

	def test_the_amount_is_kept_to_the_fen(self):
		payment = new_payment(self.order, "100.005").insert()
		self.assertEqual(frappe.db.get_value("CRM Payment", payment.name, "amount"), 100.01)

	def test_a_deposit_marks_the_order_deposit_paid(self):
		pay(self.order, 300, is_deposit=1)
		self.assertEqual(order_figures(self.order), (300, 700, "Deposit Paid"))

	def test_a_part_payment_marks_the_order_partly_paid(self):
		pay(self.order, 250)
		self.assertEqual(order_figures(self.order), (250, 750, "Partly Paid"))

	def test_draft_payments_do_not_count(self):
		new_payment(self.order, 900).insert()
		self.assertEqual(order_figures(self.order), (0, 1000, "Unpaid"))
		pay(self.order, 1000)  # the draft does not reduce what may still be paid
		self.assertEqual(order_figures(self.order), (1000, 0, "Paid"))

	def test_cancelling_a_payment_gives_the_amount_back(self):
		deposit = pay(self.order, 300, is_deposit=1)
		rest = pay(self.order, 700)
		self.assertEqual(order_figures(self.order)[2], "Paid")
		rest.cancel()
		self.assertEqual(order_figures(self.order), (300, 700, "Deposit Paid"))
		deposit.cancel()
		self.assertEqual(order_figures(self.order), (0, 1000, "Unpaid"))

	def test_the_payment_takes_the_orders_customer_and_owner(self):
		payment = new_payment(self.order, 10).insert()
		self.assertEqual((payment.customer, payment.sales_owner), (self.customer, self.sales))

	def test_the_salesperson_records_a_payment_on_their_order(self):
		frappe.set_user(self.sales)
		pay(self.order, 100)
		frappe.set_user("Administrator")
		self.assertEqual(order_figures(self.order), (100, 900, "Partly Paid"))
