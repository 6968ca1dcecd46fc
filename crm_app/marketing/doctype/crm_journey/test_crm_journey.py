"""CRM Journey: each occasion enters the customers it describes once per customer and occasion, queues the
journey's messages to those who consented, and gives a win-back's owner a follow-up."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, now_datetime

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user
from crm_app.marketing import journeys, sending
from crm_app.marketing.doctype.crm_coupon_type.test_crm_coupon_type import make_coupon_type
from crm_app.marketing.doctype.crm_marketing_consent.test_crm_marketing_consent import grant, unique_e164
from crm_app.sales_pipeline.doctype.crm_sales_order.test_crm_sales_order import make_submitted_order


def make_journey(occasion: str, **values):
	return frappe.get_doc(
		{
			"doctype": "CRM Journey",
			"journey_name": f"测试旅程{frappe.generate_hash(length=8)}",
			"occasion": occasion,
			"send_sms": 1,
			"sms_text": "{{ customer.customer_name }}，祝您生活愉快",
			**values,
		}
	).insert()


def entered(journey) -> set[tuple[str, str]]:
	return {
		(row.customer, row.occasion)
		for row in frappe.get_all("CRM Journey Entry", {"journey": journey.name}, ["customer", "occasion"])
	}


class TestCRMJourney(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		# journeys read every enabled journey; only this test's own run here
		frappe.db.set_value("CRM Journey", {"enabled": 1}, "enabled", 0)

	def test_welcome_greets_customers_who_arrive_after_it_was_set_up_once_with_a_coupon(self):
		before = make_customer().name
		coupon_type = make_coupon_type(amount=30).name
		journey = make_journey(
			"Welcome",
			coupon_type=coupon_type,
			sms_text="欢迎！送您{{ coupon.amount }}元券，券码{{ coupon.code }}",
		)
		mobile = unique_e164()
		newcomer = make_customer(mobile_no=mobile).name
		grant(newcomer, "SMS", mobile)
		journeys.run()
		journeys.run()
		self.assertIn((newcomer, "welcome"), entered(journey))
		self.assertNotIn(before, {customer for customer, _occasion in entered(journey)})
		messages = frappe.get_all(
			"CRM Outbound Message", {"journey": journey.name, "customer": newcomer}, ["address", "status"]
		)
		self.assertEqual([(m.address, m.status) for m in messages], [(mobile, "Queued")])
		coupons = frappe.get_all(
			"CRM Coupon", {"customer": newcomer, "coupon_type": coupon_type}, pluck="code"
		)
		self.assertEqual(len(coupons), 1)
		context = sending.journey_coupons([frappe._dict(customer=newcomer, journey=journey.name)])[
			(newcomer, journey.name)
		]
		self.assertEqual(context.code, coupons[0])

	def test_birthdays_of_customers_and_contacts_once_a_year(self):
		today = getdate()
		born = today.replace(year=1990) if (today.month, today.day) != (2, 29) else today.replace(year=1992)
		journey = make_journey("Birthday")
		person = make_customer(customer_type="Individual", birthday=born).name
		company_mobile, other_mobile = unique_e164(), unique_e164()
		company = make_customer(
			contacts=[
				{"contact_name": "周杰", "birthday": born, "mobile_no": company_mobile},
				{"contact_name": "吴磊", "mobile_no": other_mobile},
			]
		)
		grant(company.name, "SMS", company_mobile)
		grant(company.name, "SMS", other_mobile)
		journeys.run()
		journeys.run()
		occasion = f"birthday-{today.year}"
		self.assertLessEqual({(person, occasion), (company.name, occasion)}, entered(journey))
		# only the contact whose birthday it is hears from us
		addresses = frappe.get_all(
			"CRM Outbound Message", {"journey": journey.name, "customer": company.name}, pluck="address"
		)
		self.assertEqual(addresses, [company_mobile])

	def test_win_back_once_per_lapse_with_a_follow_up_for_the_owner(self):
		owner = make_user("CRM Sales User")
		customer = make_customer(sales_owner=owner).name
		make_submitted_order(customer, 500, transaction_date=add_days(getdate(), -200))
		frappe.db.set_value("CRM Customer", customer, "last_order_date", add_days(getdate(), -200))
		journey = make_journey("Win-back", inactive_days=90, follow_up_owner=1)
		journeys.run()
		journeys.run()
		self.assertEqual(
			[occasion for name, occasion in entered(journey) if name == customer],
			[f"win-back-{add_days(getdate(), -200)}"],
		)
		self.assertEqual(
			frappe.db.count(
				"ToDo",
				{"reference_type": "CRM Customer", "reference_name": customer, "allocated_to": owner},
			),
			1,
		)

	def test_thank_you_for_a_paid_order_once(self):
		journey = make_journey("Thank-you")
		customer = make_customer().name
		order = make_submitted_order(customer, 800)
		frappe.db.set_value(
			"CRM Sales Order", order.name, {"payment_status": "Paid", "modified": now_datetime()}
		)
		journeys.run()
		journeys.run()
		self.assertIn((customer, f"paid-{order.name}"), entered(journey))

	def test_a_switched_off_journey_does_nothing(self):
		journey = make_journey("Welcome", enabled=0)
		make_customer()
		journeys.run()
		self.assertFalse(entered(journey))
