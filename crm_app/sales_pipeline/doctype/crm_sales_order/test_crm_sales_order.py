"""CRM Sales Order: priced to the fen, a payment plan that adds up to the total, payment figures from submitted
payments, and delivery that only moves forward (to ship → shipped → received), by the right people."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import today

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.sales_pipeline.deals import sales_order_from_contract, sales_order_from_quotation
from crm_app.sales_pipeline.doctype.crm_quotation.test_crm_quotation import (
	approve,
	make_product,
	make_quotation,
	without_workflow_emails,
)


def make_sales_order(customer: str, items: list[dict], **values):
	"""Insert a draft order and return it as stored."""
	order = frappe.get_doc(
		{"doctype": "CRM Sales Order", "customer": customer, "items": items, **values}
	).insert()
	order.reload()
	return order


def make_submitted_order(customer: str, amount=1000, **values):
	"""A submitted order for `amount` (one line, no VAT)."""
	product = make_product(amount).name
	order = make_sales_order(customer, [{"product": product, "qty": 1}], tax_rate=0, **values)
	order.submit()
	order.reload()
	return order


class TestCRMSalesOrder(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		without_workflow_emails(cls)
		frappe.set_user("Administrator")
		cls.sales = make_user("CRM Sales User")
		cls.warehouse = make_user("CRM Warehouse")
		cls.tea = make_product(398).name
		cls.cup = make_product("33.33").name

	def setUp(self):
		frappe.set_user("Administrator")
		self.customer = make_customer(
			sales_owner=self.sales, province="浙江", city="杭州", district="西湖", address_line="文三路 90 号"
		).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_an_order_is_priced_to_the_fen_and_owes_its_total(self):
		order = make_sales_order(
			self.customer,
			[{"product": self.tea, "qty": 3, "discount_percent": 5}, {"product": self.cup, "qty": 7}],
			tax_rate=13,
		)
		self.assertEqual((order.net_total, order.tax_amount, order.grand_total), (1367.61, 177.79, 1545.40))
		self.assertEqual(order.outstanding_amount, order.grand_total)
		self.assertEqual(
			(order.payment_status, order.paid_amount, order.delivery_status), ("Unpaid", 0, "To Ship")
		)

	def test_an_edited_draft_owes_its_new_total(self):
		order = make_sales_order(self.customer, [{"product": self.tea, "qty": 1}], tax_rate=0)
		order.items[0].qty = 2
		order.save()
		order.reload()
		self.assertEqual((order.grand_total, order.outstanding_amount), (796, 796))

	def test_impossible_lines_are_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Quantity must be greater than zero"):
			make_sales_order(self.customer, [{"product": self.tea, "qty": 0}])
		with self.assertRaisesRegex(frappe.ValidationError, "Please add at least one item"):
			make_sales_order(self.customer, [])

	def test_the_payment_plan_must_add_up_to_the_total(self):
		items = [{"product": self.tea, "qty": 1}]
		with self.assertRaisesRegex(frappe.ValidationError, "adds up to 100.00, not the order total 398.00"):
			make_sales_order(
				self.customer, items, tax_rate=0, payment_plan=[{"due_date": today(), "amount": 100}]
			)
		with self.assertRaisesRegex(frappe.ValidationError, "needs an amount greater than zero"):
			make_sales_order(
				self.customer,
				items,
				tax_rate=0,
				payment_plan=[{"due_date": today(), "amount": 398}, {"due_date": today(), "amount": 0}],
			)
		order = make_sales_order(
			self.customer,
			items,
			tax_rate=0,
			payment_plan=[
				{"due_date": today(), "amount": 100, "is_deposit": 1},
				{"due_date": today(), "amount": 298},
			],
		)
		self.assertEqual(len(order.payment_plan), 2)

	def test_a_draft_order_cannot_ship(self):
		order = make_sales_order(self.customer, [{"product": self.tea, "qty": 1}])
		order.delivery_status = "Shipped"
		with self.assertRaisesRegex(frappe.ValidationError, "Submit the order before shipping it"):
			order.save()
		order.reload()
		with self.assertRaisesRegex(frappe.ValidationError, "Submit the order before shipping it"):
			order.set_delivery_status("Shipped")

	def test_submitting_sets_the_payment_figures(self):
		order = make_submitted_order(self.customer, 500)
		self.assertEqual(
			(order.paid_amount, order.outstanding_amount, order.payment_status), (0, 500, "Unpaid")
		)

	def test_delivery_moves_forward_and_each_step_is_stamped(self):
		order = make_submitted_order(self.customer)
		frappe.set_user(self.warehouse)
		order.set_delivery_status("Shipped")
		shipped_at = frappe.db.get_value("CRM Sales Order", order.name, "shipped_at")
		self.assertTrue(shipped_at)
		order.reload()
		with self.assertRaisesRegex(
			frappe.ValidationError, "Delivery cannot go back from Shipped to To Ship"
		):
			order.set_delivery_status("To Ship")
		order.reload()
		order.set_delivery_status("Received")
		stamps = frappe.db.get_value(
			"CRM Sales Order", order.name, ["shipped_at", "received_at"], as_dict=True
		)
		self.assertEqual(stamps.shipped_at, shipped_at)
		self.assertTrue(stamps.received_at)

	def test_receiving_unshipped_goods_stamps_both_steps(self):
		order = make_submitted_order(self.customer)
		order.delivery_status = "Received"
		order.save()
		self.assertTrue(order.shipped_at and order.received_at)

	def test_only_the_warehouse_or_a_manager_ships_but_the_salesperson_confirms_receipt(self):
		order = make_submitted_order(self.customer)
		frappe.set_user(self.sales)
		with self.assertRaises(frappe.PermissionError):
			order.set_delivery_status("Shipped")
		frappe.set_user(self.warehouse)
		order.reload()
		order.set_delivery_status("Shipped")
		frappe.set_user(self.sales)
		order.reload()
		order.set_delivery_status("Received")
		self.assertEqual(frappe.db.get_value("CRM Sales Order", order.name, "delivery_status"), "Received")

	def test_an_order_from_a_quotation_takes_its_lines_and_the_customer_address(self):
		quotation = approve(
			make_quotation(
				self.customer, [{"product": self.tea, "qty": 2, "discount_percent": 5}], tax_rate=13
			)
		)
		order = sales_order_from_quotation(quotation.name)
		order.reload()
		self.assertEqual((order.quotation, order.customer), (quotation.name, self.customer))
		self.assertEqual([(row.product, row.qty, row.rate) for row in order.items], [(self.tea, 2, 378.10)])
		self.assertEqual(order.grand_total, quotation.grand_total)
		self.assertEqual(order.shipping_address, "浙江省杭州市西湖区文三路 90 号")

	def test_a_municipality_is_written_once_in_the_address(self):
		customer = make_customer(
			province="北京", city="北京市", district="朝阳", address_line="建国路 1 号"
		).name
		quotation = approve(make_quotation(customer, [{"product": self.tea, "qty": 1}]))
		self.assertEqual(
			sales_order_from_quotation(quotation.name).shipping_address, "北京市朝阳区建国路 1 号"
		)

	def test_an_order_from_a_contract_needs_its_quotation(self):
		contract = frappe.get_doc(
			{"doctype": "CRM Contract", "contract_title": "框架协议", "customer": self.customer}
		).insert()
		with self.assertRaisesRegex(frappe.ValidationError, "has no quotation"):
			sales_order_from_contract(contract.name)
		quotation = approve(make_quotation(self.customer, [{"product": self.cup, "qty": 3}]))
		contract = frappe.get_doc(
			{
				"doctype": "CRM Contract",
				"contract_title": "供货合同",
				"customer": self.customer,
				"quotation": quotation.name,
			}
		).insert()
		order = sales_order_from_contract(contract.name)
		self.assertEqual((order.contract, order.quotation), (contract.name, quotation.name))

	def test_the_contract_must_be_the_customers(self):
		contract = frappe.get_doc(
			{"doctype": "CRM Contract", "contract_title": "框架协议", "customer": make_customer().name}
		).insert()
		with self.assertRaisesRegex(frappe.ValidationError, "belongs to another customer"):
			make_sales_order(self.customer, [{"product": self.tea, "qty": 1}], contract=contract.name)
