frappe.ui.form.on("CRM Invoice Request", {
	refresh(frm) {
		if (frm.doc.status === "Failed" && frm.doc.last_error) {
			frm.dashboard.set_headline_alert(
				`${__("Last Error")}: ${frappe.utils.escape_html(frm.doc.last_error)}`,
				"red"
			);
		}
		if (frm.doc.status === "Failed" && frm.has_perm("write")) {
			frm.add_custom_button(__("Try Again"), () =>
				frappe
					.xcall("crm_app.api.invoices.retry", { invoice_request: frm.doc.name })
					.then(() => frm.reload_doc())
			);
		}
	},
});
