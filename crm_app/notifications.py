"""System notifications (the bell in the desk, and e-mail where the user wants it) raised by CRM jobs."""

import frappe
from frappe.desk.doctype.notification_log.notification_log import set_notifications_as_unseen
from frappe.desk.doctype.notification_settings.notification_settings import is_notifications_enabled
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.utils import get_url_to_form

from crm_app.bulk import insert_rows


def outgoing_account_exists() -> bool:
	"""Whether the site can send mail: the default outgoing account Frappe's own mail uses is set up."""
	return bool(EmailAccount.find_outgoing(_raise_error=False))


def notify(users, doctype: str, name: str, subject: str) -> None:
	notify_each([(users, doctype, name, subject)])


def notify_each(alerts: list[tuple]) -> None:
	"""Bell notifications about records, each alert (users, doctype, name, subject): what Frappe's
	make_notification_logs leaves for every enabled user who keeps notifications on, in one statement rather
	than a document and a message per user and alert (a nightly job may raise thousands)."""
	people = sorted({user for users, *_alert in alerts for user in users if user})
	if not people:
		return
	enabled = {
		user
		for user in frappe.get_all("User", filters={"enabled": 1, "name": ("in", people)}, pluck="name")
		if is_notifications_enabled(user)
	}
	rows = [
		{
			"type": "Alert",
			"document_type": doctype,
			"document_name": name,
			"subject": subject,
			"from_user": frappe.session.user,
			"for_user": user,
			"read": 0,
		}
		for users, doctype, name, subject in alerts
		for user in sorted(enabled.intersection(users))
	]
	insert_rows("Notification Log", rows)
	for user in sorted({row["for_user"] for row in rows}):
		set_notifications_as_unseen(user)
		frappe.publish_realtime("notification", user=user, after_commit=True)


def document_link_context(context) -> dict:
	"""Template context for the app's standard notifications: `url`, the desk link to the record concerned."""
	doc = context["doc"]
	if doc.doctype == "ToDo":
		return {"url": get_url_to_form(doc.reference_type, doc.reference_name)}
	return {"url": get_url_to_form(doc.doctype, doc.name)}
