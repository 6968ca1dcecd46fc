frappe.listview_settings["CRM Ticket"] = {
	add_fields: ["status", "sla_status"],
	get_indicator(doc) {
		const colors = {
			New: "red",
			"In Progress": "orange",
			"Waiting on Customer": "blue",
			Resolved: "green",
			Closed: "gray",
		};
		return [__(doc.status), colors[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
