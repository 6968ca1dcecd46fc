frappe.ui.form.on("CRM Contract", {
	setup(frm) {
		frm.set_query("quotation", () => ({ filters: { customer: frm.doc.customer, docstatus: 1 } }));
		frm.set_query("opportunity", () => ({ filters: { customer: frm.doc.customer } }));
	},
	refresh(frm) {
		if (frm.doc.signing_status === "Signed" && frm.doc.quotation) {
			frm.add_custom_button(__("Sales Order"), () =>
				frappe
					.xcall("crm_app.api.deals.make_sales_order", { contract: frm.doc.name })
					.then((doc) => frappe.set_route("Form", "CRM Sales Order", doc.name))
			, __("Create"));
		}
	},
});
