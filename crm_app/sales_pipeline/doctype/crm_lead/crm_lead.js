// The app's desk bundle (crm_app.bundle.js, built by `bench build --app crm_app`) adds the helpers used below;
// without it the form still works, without them.
frappe.provide("crm_app");

frappe.ui.form.on("CRM Lead", {
	refresh(frm) {
		crm_app.region_fields?.setup(frm);
		crm_app.log_interaction_button?.(frm, "lead");
		crm_app.add_pool_buttons?.(frm, "lead_owner");
		if (!frm.is_new() && !frm.doc.converted_customer) {
			frm.add_custom_button(__("Convert to Customer"), () => convert_dialog(frm)).addClass("btn-primary");
		}
		crm_app.phone_fields?.(frm, ["mobile_no", "phone"]);
		crm_app.quick_actions?.(frm, [__("Log Interaction"), __("Convert to Customer"), __("Claim")]);
	},
	province: (frm) => crm_app.region_fields?.on_change(frm, "province"),
	city: (frm) => crm_app.region_fields?.on_change(frm, "city"),
	district: (frm) => crm_app.region_fields?.on_change(frm, "district"),
});

function convert_dialog(frm) {
	frappe.prompt(
		[
			{
				fieldname: "opportunity_name",
				fieldtype: "Data",
				label: __("Opportunity"),
				default: `${frm.doc.company_name || frm.doc.lead_name}`,
			},
			{ fieldname: "amount", fieldtype: "Currency", label: __("Amount") },
		],
		({ opportunity_name, amount }) =>
			frappe
				.xcall("crm_app.api.leads.convert", { lead: frm.doc.name, opportunity_name, amount })
				.then(({ opportunity }) => frappe.set_route("Form", "CRM Opportunity", opportunity)),
		__("Convert to Customer"),
		__("Convert")
	);
}
