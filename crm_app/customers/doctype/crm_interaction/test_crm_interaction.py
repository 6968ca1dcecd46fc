"""CRM Interaction: what it must say and be about, the figures it keeps on its record, and follow-up ToDos."""

import frappe
from frappe.desk.form import assign_to
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, get_datetime, getdate, now_datetime, today

from crm_app.customers.doctype.crm_customer.test_crm_customer import make_customer, make_user, unique_mobile
from crm_app.permissions import linked_fields, owner_field
from crm_app.sales_pipeline.doctype.crm_sales_stage.crm_sales_stage import first_stage
from crm_app.sales_pipeline.pool import set_owner
from crm_app.teams.handover import transfer_records


def log_interaction(**values):
	return frappe.get_doc(
		{"doctype": "CRM Interaction", "interaction_type": "Call", "summary": "电话沟通", **values}
	).insert()


def open_follow_ups(doctype: str, name: str) -> list[dict]:
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": doctype, "reference_name": name, "status": "Open"},
		fields=["name", "allocated_to", "date", "description"],
	)


class TestCRMInteraction(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.sales = make_user("CRM Sales User")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_summary_is_required(self):
		customer = make_customer()
		with self.assertRaisesRegex(frappe.ValidationError, "Please write what was discussed"):
			log_interaction(customer=customer.name, summary="   ")

	def test_it_must_be_about_a_customer_or_lead(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Please choose the customer or lead"):
			log_interaction()

	def test_contact_must_belong_to_the_customer(self):
		customer = make_customer(contacts=[{"contact_name": "王伟"}])
		self.assertEqual(log_interaction(customer=customer.name, contact_name="王伟").contact_name, "王伟")
		with self.assertRaisesRegex(frappe.ValidationError, "李娜 is not a contact of customer"):
			log_interaction(customer=customer.name, contact_name="李娜")

	def test_follow_up_cannot_be_before_the_interaction(self):
		customer = make_customer()
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be earlier than the interaction"):
			log_interaction(
				customer=customer.name,
				interaction_time=now_datetime(),
				next_follow_up_date=add_days(today(), -1),
			)

	def test_customer_figures_follow_the_latest_interaction(self):
		customer = make_customer()
		earlier = add_to_date(now_datetime(), days=-3)
		later = add_to_date(now_datetime(), hours=-1)
		log_interaction(
			customer=customer.name, interaction_time=later, next_follow_up_date=add_days(today(), 5)
		)
		log_interaction(
			customer=customer.name, interaction_time=earlier, next_follow_up_date=add_days(today(), 9)
		)
		figures = frappe.db.get_value(
			"CRM Customer",
			customer.name,
			["interaction_count", "last_interaction_at", "next_follow_up_date"],
			as_dict=True,
		)
		self.assertEqual(figures.interaction_count, 2)
		self.assertEqual(
			get_datetime(figures.last_interaction_at).replace(microsecond=0), later.replace(microsecond=0)
		)
		# the follow-up date comes from the most recent interaction, not the one logged last
		self.assertEqual(figures.next_follow_up_date, getdate(add_days(today(), 5)))

	def test_deleting_an_interaction_refreshes_the_figures(self):
		customer = make_customer()
		first = log_interaction(customer=customer.name)
		second = log_interaction(customer=customer.name)
		second.delete()
		self.assertEqual(frappe.db.get_value("CRM Customer", customer.name, "interaction_count"), 1)
		first.delete()
		figures = frappe.db.get_value(
			"CRM Customer", customer.name, ["interaction_count", "last_interaction_at"], as_dict=True
		)
		self.assertEqual((figures.interaction_count, figures.last_interaction_at), (0, None))

	def test_moving_an_interaction_refreshes_both_customers(self):
		old, new = make_customer(), make_customer()
		interaction = log_interaction(customer=old.name)
		interaction.customer = new.name
		interaction.save()
		self.assertEqual(frappe.db.get_value("CRM Customer", old.name, "interaction_count"), 0)
		self.assertEqual(frappe.db.get_value("CRM Customer", new.name, "interaction_count"), 1)

	def test_next_follow_up_date_plans_a_todo_for_the_record_owner(self):
		customer = make_customer(sales_owner=self.sales)
		follow_up = add_days(today(), 3)
		log_interaction(customer=customer.name, summary="约三天后回电", next_follow_up_date=follow_up)
		todos = open_follow_ups("CRM Customer", customer.name)
		self.assertEqual(len(todos), 1)
		self.assertEqual((todos[0].allocated_to, todos[0].date), (self.sales, getdate(follow_up)))
		self.assertIn("约三天后回电", todos[0].description)

	def test_unowned_record_follow_up_goes_to_the_author(self):
		customer = frappe.get_doc({"doctype": "CRM Customer", "customer_name": "公海客户" + unique_mobile()})
		customer.flags.into_pool = True
		customer.insert()
		self.assertIsNone(customer.sales_owner)
		log_interaction(customer=customer.name, next_follow_up_date=add_days(today(), 2))
		self.assertEqual(
			[todo.allocated_to for todo in open_follow_ups("CRM Customer", customer.name)], ["Administrator"]
		)

	def test_the_next_interaction_settles_open_follow_ups(self):
		customer = make_customer(sales_owner=self.sales)
		log_interaction(customer=customer.name, next_follow_up_date=add_days(today(), 3))
		planned = open_follow_ups("CRM Customer", customer.name)[0].name
		log_interaction(customer=customer.name, summary="已回电", next_follow_up_date=add_days(today(), 10))
		self.assertEqual(frappe.db.get_value("ToDo", planned, "status"), "Closed")
		todos = open_follow_ups("CRM Customer", customer.name)
		self.assertEqual([todo.date for todo in todos], [getdate(add_days(today(), 10))])

	def test_a_plain_assignment_is_not_closed_by_an_interaction(self):
		customer = make_customer(sales_owner=self.sales)
		assign_to.add(
			{
				"assign_to": [self.sales],
				"doctype": "CRM Customer",
				"name": customer.name,
				"description": "跟进报价",
			}
		)
		log_interaction(customer=customer.name)
		self.assertEqual(
			frappe.db.get_value(
				"ToDo", {"reference_type": "CRM Customer", "reference_name": customer.name}, "status"
			),
			"Open",
		)

	def test_a_settled_follow_up_no_longer_shows_as_assigned(self):
		customer = make_customer(sales_owner=self.sales)
		log_interaction(customer=customer.name, next_follow_up_date=add_days(today(), 3))
		self.assertEqual(
			frappe.parse_json(frappe.db.get_value("CRM Customer", customer.name, "_assign")), [self.sales]
		)
		log_interaction(customer=customer.name, summary="已回电")
		self.assertEqual(open_follow_ups("CRM Customer", customer.name), [])
		self.assertEqual(
			frappe.parse_json(frappe.db.get_value("CRM Customer", customer.name, "_assign") or "[]"), []
		)

	def test_opportunity_interaction_takes_its_customer_and_updates_the_deal(self):
		customer = make_customer(sales_owner=self.sales)
		opportunity = frappe.get_doc(
			{
				"doctype": "CRM Opportunity",
				"opportunity_name": "年度采购",
				"customer": customer.name,
				"opportunity_owner": self.sales,
				"stage": first_stage(),
			}
		).insert()
		interaction = log_interaction(opportunity=opportunity.name, next_follow_up_date=add_days(today(), 4))
		self.assertEqual(interaction.customer, customer.name)
		self.assertEqual(
			get_datetime(frappe.db.get_value("CRM Opportunity", opportunity.name, "last_activity_at")),
			get_datetime(interaction.interaction_time),
		)
		self.assertEqual(frappe.db.get_value("CRM Customer", customer.name, "interaction_count"), 1)
		# the follow-up is planned on the deal, the most specific record
		self.assertEqual(len(open_follow_ups("CRM Opportunity", opportunity.name)), 1)
		self.assertEqual(open_follow_ups("CRM Customer", customer.name), [])

	def test_lead_interaction_updates_the_lead(self):
		lead = frappe.get_doc(
			{
				"doctype": "CRM Lead",
				"lead_name": "陈先生",
				"mobile_no": unique_mobile(),
				"lead_owner": self.sales,
			}
		).insert()
		log_interaction(lead=lead.name, next_follow_up_date=add_days(today(), 1))
		figures = frappe.db.get_value(
			"CRM Lead", lead.name, ["interaction_count", "next_follow_up_date"], as_dict=True
		)
		self.assertEqual(
			(figures.interaction_count, figures.next_follow_up_date), (1, getdate(add_days(today(), 1)))
		)
		self.assertEqual([todo.allocated_to for todo in open_follow_ups("CRM Lead", lead.name)], [self.sales])

	def test_sales_user_cannot_log_on_a_customer_they_cannot_see(self):
		other = make_user("CRM Sales User")
		customer = make_customer(sales_owner=other)
		frappe.set_user(self.sales)
		with self.assertRaises(frappe.LinkValidationError):
			log_interaction(customer=customer.name)

	def test_the_copy_of_the_customers_owner_follows_every_move(self):
		"""The interaction list filters on it first: after each way a customer changes hands, the copy and who
		lists the interaction agree with the customer's owner."""
		first, second = self.sales, make_user("CRM Sales User")
		customer = make_customer(sales_owner=first)
		interaction = log_interaction(customer=customer.name).name

		def assert_listed_for(owner):
			self.assertEqual(frappe.db.get_value("CRM Interaction", interaction, "customer_owner"), owner)
			for user in (first, second):
				listed = frappe.get_list(
					"CRM Interaction", filters={"name": interaction}, pluck="name", user=user
				)
				self.assertEqual(bool(listed), owner in (user, None), user)

		assert_listed_for(first)
		customer.reload()
		customer.sales_owner = second
		customer.save()
		assert_listed_for(second)
		set_owner("CRM Customer", [customer.name], second, None)
		assert_listed_for(None)
		set_owner("CRM Customer", [customer.name], None, first)
		assert_listed_for(first)
		transfer_records(first, second)
		assert_listed_for(second)
		theirs = make_customer(sales_owner=first)
		moved = frappe.get_doc("CRM Interaction", interaction)
		moved.customer = theirs.name
		moved.save()
		assert_listed_for(first)

	def test_every_copy_of_an_owner_agrees_with_its_record(self):
		"""Over every row the suite has left on the site, for every copy declared in crm_owner_copies."""
		for doctype, fields in frappe.get_hooks("crm_owner_copies").items():
			for field, copies in fields.items():
				target = linked_fields(doctype)[field]
				stale = frappe.db.sql(
					f"""select row.name from `tab{doctype}` row left join `tab{target}` linked
					on linked.name = row.`{field}`
					where not (row.`{copies[-1]}` <=> linked.`{owner_field(target)}`) limit 5"""
				)
				self.assertEqual(stale, (), f"{doctype}.{copies[-1]}")
