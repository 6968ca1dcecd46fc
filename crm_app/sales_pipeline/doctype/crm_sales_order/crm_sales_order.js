frappe.ui.form.on("CRM Sales Order", {
	setup(frm) {
		frm.set_query("product", "items", () => ({ filters: { disabled: 0 } }));
		frm.set_query("coupon", () => ({ filters: { customer: frm.doc.customer, status: "Issued" } }));
	},
	refresh(frm) {
		if (frm.doc.docstatus !== 1) return;
		const step = { "To Ship": ["Shipped", __("Mark Shipped")], Shipped: ["Received", __("Mark Received")] }[
			frm.doc.delivery_status
		];
		if (step) {
			frm.add_custom_button(step[1], () =>
				frappe
					.xcall("crm_app.api.deals.set_delivery_status", { sales_order: frm.doc.name, status: step[0] })
					.then(() => frm.reload_doc())
			);
		}
		if (frm.doc.outstanding_amount > 0) {
			frm.add_custom_button(__("Record Payment"), () =>
				frappe.new_doc("CRM Payment", {
					sales_order: frm.doc.name,
					amount: frm.doc.outstanding_amount,
				})
			);
		}
		if (!frm.doc.invoice_no && frappe.model.can_create("CRM Invoice Request")) {
			// asking again opens the request already made
			frm.add_custom_button(__("Request Invoice"), () =>
				frappe
					.xcall("crm_app.api.invoices.request_invoice", { sales_order: frm.doc.name })
					.then((request) => frappe.set_route("Form", "CRM Invoice Request", request.name))
			);
		}
	},
});
