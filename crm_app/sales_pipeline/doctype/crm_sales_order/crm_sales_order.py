import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from crm_app.domain.errors import DomainError
from crm_app.domain.money import check_plan, payment_status, to_fen
from crm_app.marketing import coupons
from crm_app.permissions import validate_owner_change
from crm_app.sales_pipeline.deals import apply_pricing, check_same_customer
from crm_app.validation import throw_domain_error

DELIVERY_STEPS = ("To Ship", "Shipped", "Received")


class CRMSalesOrder(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		check_same_customer(self, "contract", "quotation", "opportunity")
		# credited to the opportunity's campaign, as it stands when the order is made and submitted
		self.campaign = (
			frappe.db.get_value("CRM Opportunity", self.opportunity, "campaign") if self.opportunity else None
		)
		validate_owner_change(self, "sales_owner")
		apply_pricing(self, coupons.order_terms(self))
		try:
			check_plan([row.amount for row in self.payment_plan], self.grand_total)
		except DomainError as error:
			throw_domain_error(error)
		if self.docstatus == 0:  # nothing can be paid before the order is submitted
			self.outstanding_amount = self.grand_total
		self.validate_delivery_step()

	def before_update_after_submit(self):
		self.validate_delivery_step()

	def validate_delivery_step(self):
		"""Goods move forward: to ship, shipped, received; each step is stamped once."""
		before = self.get_doc_before_save()
		old = before.delivery_status if before else "To Ship"
		if DELIVERY_STEPS.index(self.delivery_status) < DELIVERY_STEPS.index(old):
			frappe.throw(_("Delivery cannot go back from {0} to {1}").format(_(old), _(self.delivery_status)))
		if self.delivery_status != "To Ship" and self.docstatus != 1:
			frappe.throw(_("Submit the order before shipping it"))
		if self.delivery_status in ("Shipped", "Received") and not self.shipped_at:
			self.shipped_at = now_datetime()
		if self.delivery_status == "Received" and not self.received_at:
			self.received_at = now_datetime()

	def set_delivery_status(self, status: str) -> None:
		"""Shipping is the warehouse's (or a manager's) step; confirming receipt is also the salesperson's."""
		allowed = {"CRM Warehouse", "CRM Sales Manager", "CRM Admin", "System Manager"}
		if status == "Received":
			allowed.add("CRM Sales User")
		if not allowed & set(frappe.get_roles()):
			frappe.throw(_("You cannot mark orders as {0}").format(_(status)), frappe.PermissionError)
		if self.docstatus != 1:
			frappe.throw(_("Submit the order before shipping it"))
		self.delivery_status = status
		self.flags.ignore_permissions = True  # a narrow change of an allow-on-submit field, checked above
		self.save()

	def before_submit(self):
		coupons.redeem(self)

	def on_submit(self):
		self.refresh_payments()

	def on_cancel(self):
		coupons.give_back(self)

	def refresh_payments(self):
		"""Recompute paid, outstanding and status from the submitted payments, in one query."""
		paid, deposit = submitted_payments(self.name)
		self.db_set(
			{
				"paid_amount": to_fen(paid),
				"outstanding_amount": to_fen(self.grand_total) - to_fen(paid),
				"payment_status": payment_status(self.grand_total, paid, bool(deposit)),
			}
		)


def submitted_payments(sales_order: str, exclude: str | None = None) -> tuple:
	"""(sum, any deposit) of the order's submitted payments, other than `exclude`.

	A locking read: it sees payments committed by a concurrent request that held the order lock first.
	"""
	return frappe.db.sql(
		"""select ifnull(sum(amount), 0), ifnull(max(is_deposit), 0) from `tabCRM Payment`
		where sales_order = %s and docstatus = 1 and name != %s for update""",
		(sales_order, exclude or ""),
	)[0]


def on_doctype_update():
	# the nightly analysis reads each customer's submitted orders in date order, with their totals, from this
	# index alone: grouping and de-duplicating by customer needs no temporary table; with the owner, a manager's
	# reports over the orders of their teams read it alone too. It replaces the index without the owner.
	frappe.db.add_index(
		"CRM Sales Order",
		["docstatus", "customer", "transaction_date", "grand_total", "sales_owner"],
		"crm_orders_by_customer_owner",
	)
	if frappe.db.has_index("tabCRM Sales Order", "crm_orders_by_customer"):
		frappe.db.sql_ddl("alter table `tabCRM Sales Order` drop index crm_orders_by_customer")
