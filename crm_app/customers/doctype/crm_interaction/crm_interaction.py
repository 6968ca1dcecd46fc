import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, getdate

from crm_app.follow_ups import FOLLOW_UP_FIELD, settle_follow_ups
from crm_app.permissions import owner_field

# The records an interaction can be about, and the field that points at each.
LINKS = {"CRM Opportunity": "opportunity", "CRM Customer": "customer", "CRM Lead": "lead"}


class CRMInteraction(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		self.summary = (self.summary or "").strip()
		if not self.summary:
			frappe.throw(_("Please write what was discussed"))
		if self.opportunity:
			self.customer = frappe.db.get_value("CRM Opportunity", self.opportunity, "customer")
		if not (self.customer or self.lead):
			frappe.throw(_("Please choose the customer or lead this interaction is with"))
		self.validate_contact()
		self.validate_follow_up_date()

	def validate_contact(self):
		if not self.contact_name or not self.customer:
			return
		contacts = frappe.get_all(
			"CRM Customer Contact",
			filters={"parenttype": "CRM Customer", "parent": self.customer},
			pluck="contact_name",
		)
		if self.contact_name not in contacts:
			frappe.throw(_("{0} is not a contact of customer {1}").format(self.contact_name, self.customer))

	def validate_follow_up_date(self):
		if self.next_follow_up_date and getdate(self.next_follow_up_date) < getdate(self.interaction_time):
			frappe.throw(_("The next follow-up date cannot be earlier than the interaction"))

	def on_update(self):
		self.refresh_linked_summaries()
		if self.flags.in_insert or self.has_value_changed("next_follow_up_date"):
			self.schedule_follow_up()

	def after_delete(self):
		self.refresh_linked_summaries()

	def refresh_linked_summaries(self):
		before = self.get_doc_before_save()
		for doctype, field in LINKS.items():
			names = {self.get(field), before.get(field) if before else None} - {None, ""}
			refresh_follow_up_summaries(doctype, list(names))

	def follow_up_reference(self) -> tuple[str, str]:
		"""The most specific record this interaction is about: the deal, else the customer, else the lead."""
		return next((doctype, self.get(field)) for doctype, field in LINKS.items() if self.get(field))

	def schedule_follow_up(self):
		"""Logging an interaction settles the open follow-ups of its record; a next date plans a new one."""
		doctype, name = self.follow_up_reference()
		settle_follow_ups(doctype, name)
		if not self.next_follow_up_date:
			return
		record_owner = frappe.db.get_value(doctype, name, owner_field(doctype))
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": record_owner or self.owner,
				"reference_type": doctype,
				"reference_name": name,
				"date": self.next_follow_up_date,
				"description": _("Follow up: {0}").format(self.summary),
				"assigned_by": frappe.session.user,
				FOLLOW_UP_FIELD: self.name,
			}
		).insert(ignore_permissions=True)


def on_doctype_update():
	# the list in its sort order drops rows out of a salesperson's reach from the index alone (crm_owner_copies)
	frappe.db.add_index(
		"CRM Interaction", ["interaction_time", "customer_owner"], "interaction_time_owner_index"
	)


def refresh_follow_up_summaries(doctype: str, names: list[str]) -> None:
	"""Recompute the interaction figures shown on customers, leads or opportunities, in one statement."""
	if not names:
		return
	link = LINKS[doctype]
	if doctype == "CRM Opportunity":
		frappe.db.sql(
			f"""
			update `tabCRM Opportunity` o
			set o.last_activity_at = (
				select max(i.interaction_time) from `tabCRM Interaction` i where i.`{link}` = o.name
			)
			where o.name in %(names)s
			""",
			{"names": tuple(names)},
		)
		return
	frappe.db.sql(
		f"""
		update `tab{doctype}` r
		left join (
			select `{link}` as record, count(*) as interactions, max(interaction_time) as last_at
			from `tabCRM Interaction` where `{link}` in %(names)s group by `{link}`
		) summary on summary.record = r.name
		set r.interaction_count = ifnull(summary.interactions, 0),
			r.last_interaction_at = summary.last_at,
			r.next_follow_up_date = (
				select i.next_follow_up_date from `tabCRM Interaction` i
				where i.`{link}` = r.name order by i.interaction_time desc, i.creation desc limit 1
			)
		where r.name in %(names)s
		""",
		{"names": tuple(names)},
	)


INTERACTION_FIELDS = ["name", "interaction_type", "interaction_time", "summary", "contact_name", "owner"]
INTERACTION_ICONS = {
	"Call": "call",
	"Email": "mail",
	"WeChat": "message-1",
	"Visit": "map",
	"Meeting": "users",
	"Other": "edit",
}


def interactions_of(doctype: str, name: str, limit: int = 0) -> list[dict]:
	"""The interactions with a customer, lead or opportunity that the user may see, newest first."""
	return frappe.get_list(
		"CRM Interaction",
		filters={LINKS[doctype]: name},
		fields=INTERACTION_FIELDS,
		order_by="interaction_time desc",
		limit_page_length=limit,
	)


def interaction_timeline_content(doctype: str, docname: str) -> list[dict]:
	"""Interactions on the form's timeline, beside Frappe's own changes and comments."""
	return [
		{
			"icon": INTERACTION_ICONS.get(row.interaction_type, "edit"),
			"creation": row.interaction_time,
			"content": _("{0} logged a {1}{2}: {3}").format(
				escape_html(frappe.utils.get_fullname(row.owner)),
				_(row.interaction_type),
				f" ({escape_html(row.contact_name)})" if row.contact_name else "",
				f'<a href="/app/crm-interaction/{row.name}">{escape_html(row.summary or "")}</a>',
			),
		}
		for row in interactions_of(doctype, docname, limit=500)
	]
