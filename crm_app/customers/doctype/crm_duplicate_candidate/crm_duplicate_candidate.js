frappe.ui.form.on("CRM Duplicate Candidate", {
	refresh(frm) {
		if (frm.doc.status !== "Open") return;
		const merge = (duplicate, survivor) =>
			frappe
				.xcall("crm_app.api.customers.merge", { duplicate, survivor })
				.then(() => frappe.set_route("Form", "CRM Customer", survivor));
		frm.add_custom_button(__("Keep {0}", [frm.doc.customer]), () =>
			merge(frm.doc.similar_customer, frm.doc.customer)
		);
		frm.add_custom_button(__("Keep {0}", [frm.doc.similar_customer]), () =>
			merge(frm.doc.customer, frm.doc.similar_customer)
		);
		frm.add_custom_button(__("Not a Duplicate"), () => {
			frm.set_value("status", "Dismissed");
			frm.save();
		});
	},
});
