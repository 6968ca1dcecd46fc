frappe.ui.form.on("CRM Quotation", {
	setup(frm) {
		frm.set_query("opportunity", () => ({ filters: { customer: frm.doc.customer, status: "Open" } }));
		frm.set_query("product", "items", () => ({ filters: { disabled: 0 } }));
	},
	refresh(frm) {
		// the state shows, translated, beside the title; the field keeps it for lists and filters
		frm.toggle_display("workflow_state", false);
		if (frm.doc.docstatus !== 1) return;
		frm.add_custom_button(__("Contract"), () => make(frm, "make_contract", "CRM Contract"), __("Create"));
		frm.add_custom_button(__("Sales Order"), () => make(frm, "make_sales_order", "CRM Sales Order"), __("Create"));
	},
});

function make(frm, method, doctype) {
	frappe
		.xcall(`crm_app.api.deals.${method}`, { quotation: frm.doc.name })
		.then((doc) => frappe.set_route("Form", doctype, doc.name));
}
