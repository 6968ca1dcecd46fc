"""The owner's account from Frappe's setup wizard, whether demo data was loaded before the wizard or after.

The wizard's last step makes the e-mail it is given the owner's administrator account, but only when no user has
that e-mail yet: for an existing user Frappe just renames them and sets the password typed in. Before the wizard,
Frappe also fills the step with the user saved last, a demo manager once `bench crm-demo` has run, so finishing
the wizard would take over her login and leave the owner without administrator rights. The step therefore starts
empty (public/js/setup_wizard.js), and an e-mail of a user who is not already an administrator is refused here.
"""

import frappe
from frappe import _

ADMINISTRATOR_ROLE = "System Manager"


def refuse_taken_account(email: str | None) -> None:
	"""Stop the wizard, with a message it shows in its own status line, when `email` belongs to a user who is not
	an enabled System Manager."""
	if not email or frappe.is_setup_complete():
		return
	user = frappe.db.get_value("User", email, ["name", "full_name", "enabled"], as_dict=True)
	if not user or (user.enabled and ADMINISTRATOR_ROLE in frappe.get_roles(user.name)):
		return
	message = _(
		"{0} is already the login of {1}, who is not an administrator of this site. Enter your own e-mail "
		"address: the setup wizard makes it your administrator account."
	).format(email, user.full_name or user.name)
	frappe.response["setup_wizard_failure_message"] = message
	frappe.throw(message, title=_("Use your own e-mail address"))
