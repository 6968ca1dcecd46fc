// The app's desk bundle (crm_app.bundle.js, built by `bench build --app crm_app`) adds the helpers used below;
// without it the form still works, without them.
frappe.provide("crm_app");

frappe.ui.form.on("CRM Interaction", {
	refresh(frm) {
		crm_app.set_contact_options?.(frm);
	},
	customer(frm) {
		frm.set_value("contact_name", null);
	},
});
