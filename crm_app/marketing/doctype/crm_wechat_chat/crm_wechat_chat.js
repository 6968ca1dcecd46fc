frappe.ui.form.on("CRM WeChat Chat", {
	refresh(frm) {
		if (frm.doc.status !== "Unmatched") {
			return;
		}
		frm.add_custom_button(__("Match to Customer"), () => {
			const dialog = new frappe.ui.Dialog({
				title: __("Match to Customer"),
				fields: [
					{
						fieldname: "customer",
						fieldtype: "Link",
						options: "CRM Customer",
						label: __("Customer"),
						reqd: 1,
					},
					{ fieldname: "contact_name", fieldtype: "Data", label: __("Contact") },
				],
				primary_action_label: __("Match"),
				primary_action(values) {
					frappe.call({
						method: "crm_app.api.wechat.match_chat",
						args: { chat: frm.doc.name, ...values },
						freeze: true,
						callback(r) {
							dialog.hide();
							frappe.show_alert({
								message: __("{0} messages added to the customer's timeline", [
									r.message.interactions,
								]),
								indicator: "green",
							});
							frm.reload_doc();
						},
					});
				},
			});
			dialog.show();
		}).addClass("btn-primary");
	},
});
