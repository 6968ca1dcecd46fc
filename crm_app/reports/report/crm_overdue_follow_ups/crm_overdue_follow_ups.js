frappe.query_reports["CRM Overdue Follow-ups"] = {
	filters: [
		{ fieldname: "allocated_to", label: __("Assigned To"), fieldtype: "Link", options: "User" },
	],
};
