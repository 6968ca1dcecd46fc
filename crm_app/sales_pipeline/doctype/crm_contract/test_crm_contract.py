"""CRM Contract: only from an approved quotation of the same customer, amount and deal taken from it, a signed
contract has a signing date, and dates and amount make sense."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer
from crm_app.sales_pipeline.deals import contract_from_quotation
from crm_app.sales_pipeline.doctype.crm_quotation.test_crm_quotation import (
	approve,
	make_opportunity,
	make_product,
	make_quotation,
	without_workflow_emails,
)


class TestCRMContract(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		without_workflow_emails(cls)
		frappe.set_user("Administrator")
		cls.product = make_product("1234.50").name

	def setUp(self):
		self.customer = make_customer()
		self.opportunity = make_opportunity(self.customer.name).name

	def approved_quotation(self):
		return approve(
			make_quotation(
				self.customer.name,
				[{"product": self.product, "qty": 2}],
				opportunity=self.opportunity,
				tax_rate=13,
			)
		)

	def new_contract(self, **values):
		return frappe.get_doc(
			{
				"doctype": "CRM Contract",
				"contract_title": "年度供货合同",
				"customer": self.customer.name,
				**values,
			}
		)

	def test_a_draft_quotation_cannot_be_contracted(self):
		draft = make_quotation(self.customer.name, [{"product": self.product, "qty": 1}])
		with self.assertRaisesRegex(frappe.ValidationError, f"Quotation {draft.name} has not been approved"):
			self.new_contract(quotation=draft.name).insert()

	def test_amount_and_deal_come_from_the_approved_quotation(self):
		quotation = self.approved_quotation()
		contract = self.new_contract(quotation=quotation.name).insert()
		contract.reload()
		self.assertEqual(contract.contract_amount, quotation.grand_total)
		self.assertEqual(contract.contract_amount, 2789.97)  # 1234.50 × 2 = 2469.00, VAT 13% = 320.97
		self.assertEqual(contract.opportunity, self.opportunity)

	def test_an_agreed_amount_is_kept(self):
		quotation = self.approved_quotation()
		contract = self.new_contract(quotation=quotation.name, contract_amount=2500).insert()
		self.assertEqual(contract.contract_amount, 2500)

	def test_the_quotation_must_be_the_customers(self):
		quotation = self.approved_quotation()
		other = make_customer().name
		with self.assertRaisesRegex(frappe.ValidationError, "belongs to another customer"):
			frappe.get_doc(
				{
					"doctype": "CRM Contract",
					"contract_title": "x",
					"customer": other,
					"quotation": quotation.name,
				}
			).insert()

	def test_the_customer_is_taken_from_the_quotation(self):
		quotation = self.approved_quotation()
		contract = self.new_contract(quotation=quotation.name, customer=None).insert()
		self.assertEqual(contract.customer, self.customer.name)

	def test_a_signed_contract_needs_its_signing_date(self):
		contract = self.new_contract().insert()
		contract.signing_status = "Signed"
		with self.assertRaisesRegex(frappe.ValidationError, "date the contract was signed"):
			contract.save()
		contract.reload()
		contract.update({"signing_status": "Signed", "signed_date": today()})
		contract.save()
		self.assertEqual(frappe.db.get_value("CRM Contract", contract.name, "signing_status"), "Signed")

	def test_the_end_cannot_come_before_the_start(self):
		with self.assertRaisesRegex(frappe.ValidationError, "end date cannot be before the start date"):
			self.new_contract(start_date=today(), end_date=add_days(today(), -1)).insert()
		self.assertTrue(self.new_contract(start_date=today(), end_date=today()).insert().name)

	def test_the_amount_cannot_be_negative(self):
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be negative"):
			self.new_contract(contract_amount=-1).insert()

	def test_a_contract_is_drafted_from_an_approved_quotation(self):
		quotation = self.approved_quotation()
		contract = contract_from_quotation(quotation.name)
		contract.reload()
		self.assertEqual(contract.contract_title, f"Contract for {self.customer.customer_name}")
		self.assertEqual((contract.quotation, contract.customer), (quotation.name, self.customer.name))
		self.assertEqual(
			(contract.contract_amount, contract.signing_status), (quotation.grand_total, "Draft")
		)
		draft = make_quotation(self.customer.name, [{"product": self.product, "qty": 1}])
		with self.assertRaises(frappe.ValidationError):
			contract_from_quotation(draft.name)
