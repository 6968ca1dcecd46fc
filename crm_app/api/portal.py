"""The customer self-service portal: inviting a contact (desk), raising and answering tickets (portal)."""

import frappe

from crm_app.service import portal


@frappe.whitelist(methods=["POST"])
def invite(customer: str, contact: str) -> dict:
	"""Invite a contact of a customer the salesperson may edit to the portal, by the contact's e-mail."""
	return portal.invite(customer, contact)


@frappe.whitelist(methods=["POST"])
def raise_ticket(subject: str, description: str | None = None, customer: str | None = None) -> dict:
	"""A new ticket of the portal user's customer."""
	return {"name": portal.raise_ticket(subject, description, customer)}


@frappe.whitelist(methods=["POST"])
def reply(ticket: str, message: str) -> dict:
	"""The portal user's answer on a ticket of their customer."""
	portal.reply(ticket, message)
	return {"message": frappe._("Your reply has been sent")}
