"""System notifications (the bell in the desk, and e-mail where the user wants it) raised by CRM jobs."""

import frappe
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.utils import get_url_to_form


def notify(users, doctype: str, name: str, subject: str) -> None:
	recipients = sorted({user for user in users if user})
	if recipients:
		make_notification_logs(
			frappe._dict(
				type="Alert",
				document_type=doctype,
				document_name=name,
				subject=subject,
				from_user=frappe.session.user,
			),
			recipients,
		)


def document_link_context(context) -> dict:
	"""Template context for the app's standard notifications: `url`, the desk link to the record concerned."""
	doc = context["doc"]
	if doc.doctype == "ToDo":
		return {"url": get_url_to_form(doc.reference_type, doc.reference_name)}
	return {"url": get_url_to_form(doc.doctype, doc.name)}
