frappe.ui.form.on("CRM Settings", {
	refresh(frm) {
		if (!frm.has_perm("write")) return;
		frm.add_custom_button(__("Run Customer Analysis Now"), () =>
			frappe
				.xcall("crm_app.api.analytics.run_now")
				.then((result) => frappe.show_alert({ message: result.message, indicator: result.queued ? "green" : "orange" }))
		);
	},
});
