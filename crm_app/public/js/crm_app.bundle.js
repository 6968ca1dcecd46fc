// Shared desk helpers for crm_app forms.
frappe.provide("crm_app");

// Province → city → district pickers, fed by the same division data the server validates against.
crm_app.region_fields = {
	setup(frm) {
		crm_app.region_fields.load(frm, "province", {});
		if (frm.doc.province) {
			crm_app.region_fields.load(frm, "city", { province: frm.doc.province });
		}
		if (frm.doc.province && frm.doc.city) {
			crm_app.region_fields.load(frm, "district", {
				province: frm.doc.province,
				city: frm.doc.city,
			});
		}
	},
	load(frm, fieldname, args) {
		frappe
			.xcall("crm_app.api.regions.get_region_options", args)
			.then((options) => frm.set_df_property(fieldname, "options", options));
	},
	on_change(frm, fieldname) {
		const below = { province: ["city", "district"], city: ["district"], district: [] }[fieldname];
		below.forEach((field) => frm.doc[field] && frm.set_value(field, null));
		if (fieldname === "province" && frm.doc.province) {
			crm_app.region_fields.load(frm, "city", { province: frm.doc.province });
		}
		if (fieldname === "city" && frm.doc.city) {
			crm_app.region_fields.load(frm, "district", {
				province: frm.doc.province,
				city: frm.doc.city,
			});
		}
	},
};

// The contact picker of an interaction offers the contacts of its customer.
crm_app.set_contact_options = (frm) => {
	if (!frm.doc.customer) {
		frm.set_df_property("contact_name", "options", []);
		return;
	}
	frappe
		.xcall("crm_app.api.customers.get_contact_names", { customer: frm.doc.customer })
		.then((names) => frm.set_df_property("contact_name", "options", names));
};
