// The app's desk bundle (crm_app.bundle.js) adds the helper; without it the form still works, without it.
frappe.provide("crm_app");

frappe.ui.form.on("CRM Merge Log", {
	setup() {
		crm_app.translate_moved_records?.();
	},
});
