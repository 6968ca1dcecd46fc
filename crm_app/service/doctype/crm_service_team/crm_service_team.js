frappe.ui.form.on("CRM Service Team", {
	setup(frm) {
		frm.set_query("manager", () => ({
			query: "frappe.core.doctype.user.user.user_query",
			filters: { ignore_user_type: 0 },
		}));
	},
});
