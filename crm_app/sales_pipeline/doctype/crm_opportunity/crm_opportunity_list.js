frappe.listview_settings["CRM Opportunity"] = {
	add_fields: ["status", "stage", "customer_name"],
	get_indicator(doc) {
		const colours = { Open: "blue", Won: "green", Lost: "red" };
		return [__(doc.stage), colours[doc.status], `stage,=,${doc.stage}`];
	},
};
