frappe.ui.form.on("CRM Opportunity", {
	refresh(frm) {
		crm_app.set_contact_options(frm);
		crm_app.log_interaction_button(frm, "opportunity");
		if (!frm.is_new() && frm.doc.status === "Open") {
			frm.add_custom_button(__("New Quotation"), () =>
				frappe.new_doc("CRM Quotation", { customer: frm.doc.customer, opportunity: frm.doc.name })
			);
		}
	},
	customer(frm) {
		frm.set_value("contact_name", null);
		crm_app.set_contact_options(frm);
	},
});
