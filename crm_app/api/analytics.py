import frappe
from frappe import _

from crm_app.analytics import associations, nightly
from crm_app.permissions import check_visible
from crm_app.replica import read_only


@frappe.whitelist(methods=["POST"])
def run_now() -> dict:
	"""Start the nightly analysis now, for whoever may change CRM Settings; its progress shows there."""
	frappe.get_doc("CRM Settings").check_permission("write")
	if nightly.start(frappe.session.user):
		return {
			"queued": True,
			"message": _("The customer analysis has started; its progress is shown here."),
		}
	return {"queued": False, "message": _("The customer analysis is already running.")}


@frappe.whitelist()
@read_only
def often_also_buys(customer: str) -> list[dict]:
	"""What buyers of this customer's products often also buy, that the customer has not bought yet."""
	check_visible("CRM Customer", customer)
	return associations.suggestions(customer)
