frappe.listview_settings["CRM Invoice Request"] = {
	get_indicator(doc) {
		const colors = { Pending: "orange", Requested: "blue", Issued: "green", Failed: "red" };
		return [__(doc.status), colors[doc.status], `status,=,${doc.status}`];
	},
};
