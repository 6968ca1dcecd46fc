// Shared desk helpers for crm_app forms.
frappe.provide("crm_app");

// Read-only endpoints are GET-only on the server; frappe.xcall always POSTs.
crm_app.get = (method, args) =>
	new Promise((resolve, reject) =>
		frappe.call({ method, args, type: "GET", callback: (r) => resolve(r.message), error: reject })
	);

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
		crm_app
			.get("crm_app.api.regions.get_region_options", args)
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
	crm_app
		.get("crm_app.api.customers.get_contact_names", { customer: frm.doc.customer })
		.then((names) => frm.set_df_property("contact_name", "options", names));
};

// Claim from / release to the public pool, for leads and customers.
crm_app.add_pool_buttons = (frm, owner_field) => {
	if (frm.is_new()) return;
	const call = (method, args = {}) =>
		frappe
			.xcall(`crm_app.api.pool.${method}`, { doctype: frm.doctype, name: frm.doc.name, ...args })
			.then(() => frm.reload_doc());
	if (!frm.doc[owner_field]) {
		frm.add_custom_button(__("Claim"), () => call("claim"));
		frm.dashboard.set_headline(__("This record is in the public pool."), "orange");
	} else if (frm.doc[owner_field] === frappe.session.user) {
		frm.add_custom_button(
			__("Release to Public Pool"),
			() =>
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason") },
					({ reason }) => call("release", { reason }),
					__("Release to Public Pool")
				),
			__("Actions")
		);
	}
};

crm_app.log_interaction_button = (frm, link_field) => {
	if (frm.is_new()) return;
	frm.add_custom_button(__("Log Interaction"), () =>
		frappe.new_doc("CRM Interaction", { [link_field]: frm.doc.name })
	);
};
