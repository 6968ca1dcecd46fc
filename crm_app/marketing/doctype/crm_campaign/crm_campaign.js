const CAMPAIGN_ACTIONS = {
	Draft: [["Start Sending", "start"]],
	Sending: [
		["Pause", "pause"],
		["Cancel Sending", "cancel_sending"],
	],
	Paused: [
		["Resume", "resume"],
		["Cancel Sending", "cancel_sending"],
	],
};

frappe.ui.form.on("CRM Campaign", {
	refresh(frm) {
		if (frm.is_new() || !frm.has_perm("write")) return;
		for (const [label, method] of CAMPAIGN_ACTIONS[frm.doc.status] || []) {
			frm.add_custom_button(__(label), () =>
				frm.call({ method, doc: frm.doc, freeze: true }).then(({ message }) => {
					frappe.show_alert({ message, indicator: "green" });
					frm.reload_doc();
				})
			);
		}
		if (frm.doc.status !== "Draft") {
			frm.add_custom_button(__("Messages"), () =>
				frappe.set_route("List", "CRM Outbound Message", { campaign: frm.doc.name })
			);
		}
	},
});
