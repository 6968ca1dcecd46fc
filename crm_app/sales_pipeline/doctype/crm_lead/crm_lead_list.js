frappe.listview_settings["CRM Lead"] = {
	add_fields: ["status", "score", "lead_owner"],
	get_indicator(doc) {
		const colours = {
			New: "blue",
			Contacted: "orange",
			Qualified: "green",
			Unqualified: "gray",
			Converted: "purple",
		};
		return [__(doc.status), colours[doc.status], `status,=,${doc.status}`];
	},
	onload(listview) {
		listview.page.add_inner_button(__("Public Pool"), () =>
			listview.filter_area.add([[listview.doctype, "lead_owner", "is", "not set"]])
		);
	},
};
