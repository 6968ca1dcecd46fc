"""The customer self-service portal (客户门户): a salesperson invites a customer's contact, who then follows the
customer's tickets, raises new ones and answers the service desk from the website.

An invited contact is a Website user with the role CRM Customer, named on the contact's row (`portal_user`); what
they see is decided by the row rules of `crm_portal_doctypes` (crm_app/permissions.py), the pages ask
`frappe.has_website_permission` on top.
"""

import frappe
from frappe import _
from frappe.utils import escape_html, get_fullname, validate_email_address
from frappe.utils.file_manager import get_max_file_size

from crm_app.defaults import PORTAL_ROLE
from crm_app.domain.ticket_status import DONE
from crm_app.notifications import outgoing_account_exists
from crm_app.permissions import (
	check_visible,
	portal_customers,
	portal_page,
	throw_link_not_found,
	throw_not_found,
)
from crm_app.service.feedback import save_rating
from crm_app.service.tickets import TICKET

CONTACT = "CRM Customer Contact"
# What a customer may attach to a ticket: pictures, PDFs, office documents, text, archives and short videos
ATTACHMENT_TYPES = {
	*("jpg", "jpeg", "png", "gif", "webp", "heic", "bmp"),
	*("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "txt", "csv"),
	*("zip", "rar", "7z", "mp4", "mov"),
}
SUBJECT_LENGTH = 140
TEXT_LENGTH = 10000


def invite(customer: str, contact: str) -> dict:
	"""Make the contact a portal user of the customer (a new Website user, or theirs already) and mail them the
	link to set a password, when the site can send mail."""
	check_visible("CRM Customer", customer, "write")
	row = frappe.db.get_value(
		CONTACT,
		{"name": contact, "parent": customer, "parenttype": "CRM Customer"},
		["name", "contact_name", "email_id"],
		as_dict=True,
	)
	if not row:
		throw_not_found(CONTACT, contact)
	email = (row.email_id or "").strip().lower()
	if not email:
		frappe.throw(_("Please give the contact an e-mail address first"))
	if not validate_email_address(email):
		frappe.throw(_("{0} is not a valid e-mail address").format(escape_html(email)))
	user = portal_user_for(email, row.contact_name)
	frappe.db.set_value(CONTACT, row.name, "portal_user", user.name, update_modified=False)
	if not outgoing_account_exists():
		return {
			"user": user.name,
			"mailed": False,
			"message": _("No e-mail account can send mail, so no invitation was sent"),
		}
	# queued, so an unreachable mail server fails the mail and not the invitation
	user.flags.delay_emails = True
	user.send_welcome_mail_to_user()
	return {
		"user": user.name,
		"mailed": True,
		"message": _("Invitation sent to {0}").format(escape_html(email)),
	}


def portal_user_for(email: str, full_name: str):
	"""The Website user of this address with the portal role: made now, or the one there is."""
	found = frappe.db.get_value("User", email, ["name", "user_type", "enabled"], as_dict=True)
	if found and found.user_type != "Website User":
		frappe.throw(
			_("{0} is a colleague's account and cannot be invited to the portal").format(escape_html(email))
		)
	if found and not found.enabled:
		frappe.throw(_("The account of {0} is disabled").format(escape_html(email)))
	if found:
		user = frappe.get_doc("User", email)
		if PORTAL_ROLE not in {role.role for role in user.roles}:
			user.flags.ignore_permissions = True
			user.add_roles(PORTAL_ROLE)
		return user
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": full_name,
			"user_type": "Website User",
			"language": "zh",
			"send_welcome_email": 0,
			"roles": [{"role": PORTAL_ROLE}],
		}
	)
	user.insert(ignore_permissions=True)
	return user


def keep_portal_users(customer) -> None:
	"""Only an invitation names a contact's portal user: a contact row keeps the one stored, whatever is sent."""
	stored = {}
	if not customer.is_new():
		stored = dict(
			frappe.get_all(
				CONTACT,
				filters={"parent": customer.name, "parenttype": customer.doctype},
				fields=["name", "portal_user"],
				as_list=True,
			)
		)
	for contact in customer.contacts:
		contact.portal_user = stored.get(contact.name)


def my_customers() -> list[str]:
	"""The customers of the portal user asking, or a refusal for anyone else."""
	if not (customers := portal_customers(frappe.session.user)):
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	return customers


def shown_filters(doctype: str) -> dict:
	"""Filters keeping the portal user's records of `doctype` that are meant for their eyes."""
	page = portal_page(doctype)
	return {
		page["customer"]: ("in", my_customers()),
		**{field: ("in", values) for field, values in page["shown"].items()},
	}


def my_record(doctype: str, name: str):
	"""A record of the portal user's customers meant for their eyes; any other is "not found", exactly as a
	missing one is."""
	my_customers()
	if not (isinstance(name, str) and name and frappe.db.exists(doctype, name)):
		throw_not_found(doctype, name)
	doc = frappe.get_doc(doctype, name)
	if not frappe.has_website_permission(doc):
		throw_not_found(doctype, name)
	return doc


def my_ticket(name: str):
	return my_record(TICKET, name)


def my_tickets(limit: int = 100) -> list[dict]:
	return frappe.get_all(
		TICKET,
		filters=shown_filters(TICKET),
		fields=["name", "subject", "status", "customer_name", "modified"],
		order_by="modified desc",
		limit_page_length=limit,
	)


def conversation(ticket: str) -> list[dict]:
	"""The ticket's public conversation: mail and portal replies (Communications), never the desk's comments."""
	return frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": TICKET,
			"reference_name": ticket,
			"communication_type": "Communication",
		},
		fields=["sender_full_name", "sent_or_received", "content", "creation"],
		order_by="creation asc",
	)


def plain_text_html(text: str, label: str, length: int) -> str:
	text = (text or "").strip()
	if len(text) > length:
		frappe.throw(_("{0} is too long: at most {1} characters").format(_(label), length))
	return escape_html(text).replace("\n", "<br>")


def my_products(customer: str | None = None) -> list[dict]:
	"""The products the portal user's customers (or the one named) have ordered, to say which one a ticket is
	about: {"product", "product_name"}, by name."""
	customers = [customer] if customer else my_customers()
	return frappe.db.sql(
		"""select distinct item.product, item.product_name from `tabCRM Deal Item` item
		join `tabCRM Sales Order` sales_order on sales_order.name = item.parent
		where item.parenttype = 'CRM Sales Order' and sales_order.docstatus = 1
			and sales_order.customer in %(customers)s and item.product is not null
		order by item.product_name, item.product""",
		{"customers": customers},
		as_dict=True,
	)


def raise_ticket(
	subject: str, description: str | None = None, customer: str | None = None, product: str | None = None
) -> str:
	"""A ticket from the portal, for the portal user's customer (the one named, when they belong to several),
	about one of the products it ordered if one is named; routed like any other new ticket."""
	customers = my_customers()
	if customer and customer not in customers:
		throw_link_not_found(_("Customer"), customer)
	customer = customer or customers[0]
	if product and product not in {row.product for row in my_products(customer)}:
		throw_link_not_found(_("Product"), product)
	subject = (subject or "").strip()
	if not subject:
		frappe.throw(_("Please give the ticket a subject"))
	if len(subject) > SUBJECT_LENGTH:
		frappe.throw(_("{0} is too long: at most {1} characters").format(_("Subject"), SUBJECT_LENGTH))
	user = frappe.session.user
	ticket = frappe.get_doc(
		{
			"doctype": TICKET,
			"subject": subject,
			"description": plain_text_html(description, "Description", TEXT_LENGTH),
			"customer": customer,
			"product": product or None,
			"contact_name": frappe.db.get_value(
				CONTACT,
				{"parent": customer, "parenttype": "CRM Customer", "portal_user": user},
				"contact_name",
			),
			"raised_by": user,
			"channel": "Portal",
		}
	)
	ticket.insert(ignore_permissions=True)
	return ticket.name


def rate(ticket: str, satisfaction, feedback: str | None = None) -> None:
	"""The portal user's rating of a resolved ticket of theirs, as through the e-mail's link."""
	doc = my_ticket(ticket)
	if doc.status not in DONE:
		frappe.throw(_("A ticket can be rated once it is resolved"))
	save_rating(doc, satisfaction, feedback)


def attachments(ticket: str) -> list[dict]:
	"""What the customer sees attached to a ticket: the files its contacts uploaded in the portal, and those of
	the mail exchanged with them. The desk's own attachments stay on the desk."""
	return frappe.db.sql(
		"""select file.name, file.file_name, file.file_size, file.creation from `tabFile` file
		where (file.attached_to_doctype = %(doctype)s and file.attached_to_name = %(ticket)s
				and file.owner in (select name from `tabUser` where user_type = 'Website User'))
			or (file.attached_to_doctype = 'Communication' and file.attached_to_name in (
				select name from `tabCommunication` where reference_doctype = %(doctype)s
					and reference_name = %(ticket)s and communication_type = 'Communication'))
		order by file.creation""",
		{"doctype": TICKET, "ticket": ticket},
		as_dict=True,
	)


def attach(ticket: str) -> dict:
	"""The file of the request, kept privately on a ticket of the portal user's."""
	doc = my_ticket(ticket)
	upload = frappe.request.files.get("file") if frappe.request and frappe.request.files else None
	if not upload or not upload.filename:
		frappe.throw(_("Please choose a file"))
	extension = upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
	if extension not in ATTACHMENT_TYPES:
		frappe.throw(
			_("Files of this type cannot be attached; please send a picture, a PDF or an office document")
		)
	content = upload.stream.read(get_max_file_size() + 1)
	if len(content) > get_max_file_size():
		frappe.throw(_("The file is too large: at most {0} MB").format(get_max_file_size() // 1024 // 1024))
	if not content:
		frappe.throw(_("The file is empty"))
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": upload.filename,
			"attached_to_doctype": TICKET,
			"attached_to_name": doc.name,
			"is_private": 1,
			"content": content,
		}
	)
	file.insert(ignore_permissions=True)
	return {"name": file.name, "file_name": file.file_name}


def attachment(ticket: str, file: str) -> None:
	"""One of the files the customer sees on a ticket of theirs, into the response; any other is not found."""
	doc = my_ticket(ticket)
	if file not in {row.name for row in attachments(doc.name)}:
		throw_not_found("File", file)
	found = frappe.get_doc("File", file)
	frappe.local.response.filename = found.file_name
	frappe.local.response.filecontent = found.get_content()
	frappe.local.response.type = "download"


def reply(ticket: str, message: str) -> None:
	"""The portal user's answer, as mail received on the ticket: a ticket waiting on the customer resumes."""
	doc = my_ticket(ticket)
	content = plain_text_html(message, "Message", TEXT_LENGTH)
	if not content:
		frappe.throw(_("Please write a message"))
	user = frappe.session.user
	frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Other",
			"sent_or_received": "Received",
			"sender": user,
			"sender_full_name": get_fullname(user),
			"subject": _("Re: {0}").format(doc.subject),
			"content": content,
			"reference_doctype": TICKET,
			"reference_name": doc.name,
		}
	).insert(ignore_permissions=True)
