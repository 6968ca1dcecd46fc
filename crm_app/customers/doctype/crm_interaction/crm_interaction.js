frappe.ui.form.on("CRM Interaction", {
	refresh(frm) {
		crm_app.set_contact_options(frm);
	},
	customer(frm) {
		frm.set_value("contact_name", null);
		crm_app.set_contact_options(frm);
	},
});
