"""The customer self-service portal: inviting a contact (desk), raising and answering tickets (portal)."""

import frappe

from crm_app.sales_pipeline import portal as deals_portal
from crm_app.service import portal


@frappe.whitelist(methods=["POST"])
def invite(customer: str, contact: str) -> dict:
	"""Invite a contact of a customer the salesperson may edit to the portal, by the contact's e-mail."""
	return portal.invite(customer, contact)


@frappe.whitelist(methods=["POST"])
def raise_ticket(
	subject: str, description: str | None = None, customer: str | None = None, product: str | None = None
) -> dict:
	"""A new ticket of the portal user's customer, about one of the products it ordered if one is named."""
	return {"name": portal.raise_ticket(subject, description, customer, product)}


@frappe.whitelist(methods=["POST"])
def reply(ticket: str, message: str) -> dict:
	"""The portal user's answer on a ticket of their customer."""
	portal.reply(ticket, message)
	return {"message": frappe._("Your reply has been sent")}


@frappe.whitelist(methods=["POST"])
def rate(ticket: str, satisfaction: int, feedback: str | None = None) -> dict:
	"""The portal user's score from 1 to 10 for a resolved ticket of theirs, with a comment."""
	portal.rate(ticket, satisfaction, feedback)
	return {"message": frappe._("Thank you for your feedback!")}


@frappe.whitelist(methods=["POST"])
def attach(ticket: str) -> dict:
	"""Attach the uploaded file (multipart field `file`) to a ticket of the portal user's."""
	return portal.attach(ticket)


@frappe.whitelist(methods=["GET"])
def attachment(ticket: str, file: str) -> None:
	"""Download a file the portal user sees on a ticket of theirs."""
	portal.attachment(ticket, file)


@frappe.whitelist(methods=["GET"])
def quotation_pdf(name: str) -> None:
	"""Download a quotation sent to the portal user's customer, as a PDF."""
	deals_portal.quotation_pdf(name)
