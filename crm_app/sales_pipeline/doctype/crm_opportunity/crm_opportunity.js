// The app's desk bundle (crm_app.bundle.js, built by `bench build --app crm_app`) adds the helpers used below;
// without it the form still works, without them.
frappe.provide("crm_app");

frappe.ui.form.on("CRM Opportunity", {
	refresh(frm) {
		crm_app.set_contact_options?.(frm);
		crm_app.log_interaction_button?.(frm, "opportunity");
		if (!frm.is_new() && frm.doc.status === "Open") {
			frm.add_custom_button(__("New Quotation"), () =>
				frappe.new_doc("CRM Quotation", { customer: frm.doc.customer, opportunity: frm.doc.name })
			);
		}
		crm_app.quick_actions?.(frm, [__("Log Interaction"), __("New Quotation")]);
	},
	customer(frm) {
		frm.set_value("contact_name", null);
	},
});
