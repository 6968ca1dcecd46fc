frappe.ui.form.on("CRM Segment", {
	refresh(frm) {
		if (frm.is_new()) return;
		frappe
			.call({ method: "crm_app.api.marketing.segment_count", args: { segment: frm.doc.name }, type: "GET" })
			.then(({ message }) =>
				frm.dashboard.set_headline(__("{0} customers in this segment now", [message]))
			);
		if (frappe.model.can_read("CRM Audience")) {
			frm.add_custom_button(__("Take Audience"), () =>
				frappe
					.call({
						method: "crm_app.api.marketing.take_audience",
						args: { segment: frm.doc.name },
						freeze: true,
					})
					.then(({ message }) => {
						frappe.show_alert({ message: message.message, indicator: "green" });
						frappe.set_route("Form", "CRM Audience", message.audience);
					})
			);
		}
	},
});
