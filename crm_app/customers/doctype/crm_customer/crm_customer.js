frappe.ui.form.on("CRM Customer", {
	refresh(frm) {
		crm_app.region_fields.setup(frm);
		const can_reassign = frappe.user.has_role(["CRM Sales Manager", "CRM Admin", "System Manager"]);
		frm.set_df_property("sales_owner", "read_only", !can_reassign && !frm.is_new());
		if (!frm.is_new()) {
			frm.add_custom_button(__("Log Interaction"), () =>
				frappe.new_doc("CRM Interaction", { customer: frm.doc.name })
			);
		}
		if (!frm.is_new() && can_reassign) {
			frm.add_custom_button(__("Merge Duplicate Into This"), () => merge_dialog(frm), __("Actions"));
		}
	},
	province: (frm) => crm_app.region_fields.on_change(frm, "province"),
	city: (frm) => crm_app.region_fields.on_change(frm, "city"),
	district: (frm) => crm_app.region_fields.on_change(frm, "district"),
});

function merge_dialog(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Merge Duplicate Into This"),
		fields: [
			{
				fieldname: "duplicate",
				fieldtype: "Link",
				options: "CRM Customer",
				label: __("Duplicate Customer"),
				reqd: 1,
				get_query: () => ({ filters: { name: ["!=", frm.doc.name] } }),
				description: __(
					"Its contacts, interactions, tags and history move to this customer, and it is then removed."
				),
			},
		],
		primary_action_label: __("Merge"),
		primary_action({ duplicate }) {
			frappe
				.xcall("crm_app.api.customers.merge", { duplicate, survivor: frm.doc.name })
				.then((log) => {
					dialog.hide();
					frappe.show_alert({
						message: __("Merged. See {0}", [log]),
						indicator: "green",
					});
					frm.reload_doc();
				});
		},
	});
	dialog.show();
}
