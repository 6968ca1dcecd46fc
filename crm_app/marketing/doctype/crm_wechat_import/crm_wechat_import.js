frappe.ui.form.on("CRM WeChat Import", {
	refresh(frm) {
		if (!frm.is_new() && ["Queued", "Running"].includes(frm.doc.status)) {
			frm.dashboard.show_progress(__("WeChat import"), frm.doc.progress || 0);
			// Frappe shows the job's progress (sent to this form's room) itself; the form reloads once it is done
			if (!frm.wechat_import_done) {
				frm.wechat_import_done = (data) => {
					if (data.percent >= 100) {
						frappe.realtime.off("progress", frm.wechat_import_done);
						frm.wechat_import_done = null;
						frm.reload_doc();
					}
				};
				frappe.realtime.on("progress", frm.wechat_import_done);
			}
		}
		if (frm.doc.chats_unmatched) {
			frm.add_custom_button(__("Chats to Match"), () =>
				frappe.set_route("List", "CRM WeChat Chat", {
					wechat_import: frm.doc.name,
					status: "Unmatched",
				}),
			);
		}
	},
});
