frappe.ui.form.on("CRM Coupon Type", {
	refresh(frm) {
		if (frm.is_new() || !frm.doc.enabled || !frm.perm[0]?.write) return;
		frm.add_custom_button(__("Issue to Customer"), () => {
			frappe.prompt(
				{
					fieldname: "customer",
					fieldtype: "Link",
					options: "CRM Customer",
					label: __("Customer"),
					reqd: 1,
				},
				({ customer }) =>
					frappe
						.xcall("crm_app.api.coupons.issue", { coupon_type: frm.doc.name, customer })
						.then(({ code }) =>
							frappe.show_alert({ message: __("Coupon {0} issued", [code]), indicator: "green" })
						),
				__("Issue a Coupon"),
				__("Issue")
			);
		});
	},
});
