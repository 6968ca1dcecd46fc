frappe.ui.form.on("CRM Tag Rule", {
	refresh(frm) {
		if (frm.is_new() || !frm.doc.enabled) return;
		frm.add_custom_button(__("Apply Now"), () =>
			frm.call({ method: "apply_now", doc: frm.doc, freeze: true }).then(({ message }) => {
				frappe.show_alert({
					message: __("{0} tagged, {1} untagged, {2} customers match", [
						message.added,
						message.removed,
						message.matched,
					]),
					indicator: "green",
				});
				frm.reload_doc();
			})
		);
	},
});
