"""CRM Quotation: exact totals to the fen, VAT from CRM Settings, discounts above the threshold need a manager's
approval (controller and approval workflow), and a quotation belongs to the customer of its opportunity.

make_product / make_quotation / approve are shared with the contract, order and payment tests.
"""

from unittest.mock import patch

import frappe
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.sales_pipeline.doctype.crm_sales_stage.crm_sales_stage import first_stage
from crm_app.sales_pipeline.doctype.crm_settings.crm_settings import get_settings
from crm_app.teams.doctype.crm_sales_team.test_crm_sales_team import make_team


def skip_workflow_email(doc, transitions):
	"""Stands in for Frappe's send_workflow_action_email, see without_workflow_emails."""


def without_workflow_emails(test_class) -> None:
	"""Call from setUpClass. The approval workflow e-mails the next approvers a PDF of the quotation on every save.
	Under `bench run-tests` (flags.in_test) Frappe renders it at once with wkhtmltopdf, which fails unless the
	site's host name resolves to a running web server; under pytest it waits for a commit that never comes. The
	e-mail is Frappe's, not what these tests are about, so it is switched off for the class."""
	patcher = patch(
		"frappe.workflow.doctype.workflow_action.workflow_action.send_workflow_action_email",
		skip_workflow_email,
	)
	patcher.start()
	test_class.addClassCleanup(patcher.stop)


def make_product(list_price=100, **values):
	return frappe.get_doc(
		{
			"doctype": "CRM Product",
			"product_code": f"T-{frappe.generate_hash(length=10)}",
			"product_name": "测试产品",
			"list_price": list_price,
			**values,
		}
	).insert()


def new_quotation(customer: str | None, items: list[dict] | None = None, **values):
	items = items if items is not None else [{"product": make_product().name, "qty": 1}]
	return frappe.get_doc({"doctype": "CRM Quotation", "customer": customer, "items": items, **values})


def make_quotation(customer: str | None, items: list[dict] | None = None, **values):
	"""Insert a quotation and return it as stored (figures as the database rounds them, not in-memory Decimals)."""
	quotation = new_quotation(customer, items, **values).insert()
	quotation.reload()
	return quotation


def approve(quotation):
	"""Take a draft quotation through the approval workflow to Approved (submitted)."""
	if quotation.needs_approval:
		quotation = apply_workflow(quotation, "Submit for Approval")
	quotation = apply_workflow(quotation, "Approve")
	quotation.reload()
	return quotation


def make_opportunity(customer: str, **values):
	return frappe.get_doc(
		{
			"doctype": "CRM Opportunity",
			"opportunity_name": "年度采购",
			"customer": customer,
			"stage": first_stage(),
			**values,
		}
	).insert()


class TestCRMQuotation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		without_workflow_emails(cls)
		frappe.set_user("Administrator")
		cls.manager = make_user("CRM Sales Manager", "CRM Sales User")
		cls.sales = make_user("CRM Sales User")
		cls.other_manager = make_user("CRM Sales Manager", "CRM Sales User")
		make_team(cls.manager, (cls.sales,))
		make_team(cls.other_manager)
		cls.tea = make_product(398).name
		cls.cup = make_product("33.33").name

	def setUp(self):
		frappe.set_user("Administrator")
		self.customer = make_customer(sales_owner=self.sales).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def discounted(self, discount, **values):
		return make_quotation(
			self.customer, [{"product": self.tea, "qty": 1, "discount_percent": discount}], **values
		)

	def test_totals_are_exact_to_the_fen(self):
		quotation = make_quotation(
			self.customer,
			[
				{"product": self.tea, "qty": 3, "discount_percent": 5},
				{"product": self.cup, "qty": 7},
			],
			tax_rate=13,
		)
		# 398.00 × 95% = 378.10 × 3 = 1134.30; 33.33 × 7 = 233.31; VAT 13% of 1367.61 = 177.7893 → 177.79
		self.assertEqual([row.rate for row in quotation.items], [378.10, 33.33])
		self.assertEqual([row.amount for row in quotation.items], [1134.30, 233.31])
		self.assertEqual(
			(quotation.total, quotation.discount_amount, quotation.net_total), (1427.31, 59.70, 1367.61)
		)
		self.assertEqual((quotation.tax_amount, quotation.grand_total), (177.79, 1545.40))
		self.assertEqual(quotation.max_discount_percent, 5)

	def test_vat_defaults_to_the_settings_rate_but_zero_is_kept(self):
		default = get_settings().default_tax_rate
		quotation = make_quotation(self.customer, [{"product": self.tea, "qty": 1}])
		self.assertEqual(quotation.tax_rate, default)
		self.assertEqual(quotation.grand_total, round(398 * (1 + default / 100), 2))
		exempt = make_quotation(self.customer, [{"product": self.tea, "qty": 1}], tax_rate=0)
		self.assertEqual((exempt.tax_rate, exempt.tax_amount, exempt.grand_total), (0, 0, 398))

	def test_impossible_lines_are_refused(self):
		for item, message in (
			({"qty": 0}, "Quantity must be greater than zero"),
			({"qty": -1}, "Quantity must be greater than zero"),
			({"qty": 1, "discount_percent": 120}, "Discount must be between 0 and 100%"),
			({"qty": 1, "list_price": -5}, "Price cannot be negative"),
		):
			with self.subTest(item=item):
				with self.assertRaisesRegex(frappe.ValidationError, message):
					make_quotation(self.customer, [{"product": self.tea, **item}])
		with self.assertRaisesRegex(frappe.ValidationError, "VAT rate must be between 0 and 100%"):
			make_quotation(self.customer, tax_rate=120)

	def test_a_quotation_needs_items(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Please add at least one item"):
			make_quotation(self.customer, [])

	def test_valid_till_cannot_be_before_the_quotation_date(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Valid Till cannot be before"):
			make_quotation(self.customer, transaction_date=today(), valid_till=add_days(today(), -1))

	def test_discounts_above_the_threshold_need_approval(self):
		threshold = get_settings().quotation_discount_threshold
		self.assertEqual(self.discounted(threshold).needs_approval, 0)
		self.assertEqual(self.discounted(threshold + 0.5).needs_approval, 1)
		mixed = make_quotation(
			self.customer,
			[
				{"product": self.tea, "qty": 1},
				{"product": self.cup, "qty": 1, "discount_percent": threshold + 1},
			],
		)
		self.assertEqual((mixed.max_discount_percent, mixed.needs_approval), (threshold + 1, 1))

	def test_the_threshold_comes_from_crm_settings(self):
		settings = frappe.get_doc("CRM Settings")
		original = settings.quotation_discount_threshold

		def restore():
			settings.reload()
			settings.quotation_discount_threshold = original
			settings.save()

		self.addCleanup(restore)
		settings.quotation_discount_threshold = 30
		settings.save()
		self.assertEqual(self.discounted(25).needs_approval, 0)
		self.assertEqual(self.discounted(31).needs_approval, 1)

	def test_the_customer_comes_from_the_opportunity_and_must_match_it(self):
		opportunity = make_opportunity(self.customer)
		quotation = make_quotation(None, opportunity=opportunity.name)
		self.assertEqual(quotation.customer, self.customer)
		with self.assertRaisesRegex(frappe.ValidationError, "belongs to another customer"):
			make_quotation(make_customer().name, opportunity=opportunity.name)

	def test_a_salesperson_approves_a_small_discount_themselves(self):
		frappe.set_user(self.sales)
		quotation = approve(self.discounted(0))
		self.assertEqual((quotation.workflow_state, quotation.docstatus), ("Approved", 1))
		self.assertEqual(quotation.sales_owner, self.sales)

	def test_a_large_discount_cannot_be_submitted_by_the_salesperson(self):
		frappe.set_user(self.sales)
		quotation = self.discounted(get_settings().quotation_discount_threshold + 5)
		with self.assertRaisesRegex(frappe.PermissionError, "needs a sales manager's approval"):
			quotation.submit()
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow(quotation, "Approve")
		self.assertEqual(frappe.db.get_value("CRM Quotation", quotation.name, "docstatus"), 0)

	def test_the_salespersons_manager_approves_a_large_discount(self):
		frappe.set_user(self.sales)
		quotation = self.discounted(get_settings().quotation_discount_threshold + 5)
		pending = apply_workflow(quotation, "Submit for Approval")
		self.assertEqual((pending.workflow_state, pending.docstatus), ("Pending Approval", 0))
		frappe.set_user(self.other_manager)
		with self.assertRaises(frappe.PermissionError):
			apply_workflow(pending, "Approve")
		frappe.set_user(self.manager)
		approved = apply_workflow(pending, "Approve")
		self.assertEqual((approved.workflow_state, approved.docstatus), ("Approved", 1))

	def test_a_salesperson_quotes_under_their_own_name(self):
		frappe.set_user(self.sales)
		with self.assertRaisesRegex(frappe.ValidationError, "You cannot make .* the owner"):
			make_quotation(self.customer, [{"product": self.tea, "qty": 1}], sales_owner=self.manager)
