"""Frappe's setup wizard methods, replaced through `override_whitelisted_methods`: each refuses to hand an existing
user's login to the owner (crm_app.setup_wizard), then hands over to Frappe's own."""

import frappe
from frappe.desk.page.setup_wizard import setup_wizard

from crm_app.setup_wizard import refuse_taken_account


@frappe.whitelist(methods=["POST"])
def setup_complete(args: str | dict) -> dict:
	refuse_taken_account(setup_wizard.parse_args(args).get("email"))
	return setup_wizard.setup_complete(args)


@frappe.whitelist(methods=["POST"])
def initialize_system_settings_and_user(system_settings_data: str | dict, user_data: str | dict) -> None:
	refuse_taken_account(setup_wizard.parse_args(user_data).get("email"))
	setup_wizard.initialize_system_settings_and_user(system_settings_data, user_data)
