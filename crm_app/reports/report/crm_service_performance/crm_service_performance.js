frappe.query_reports["CRM Service Performance"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), -30),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Team", "Agent", "Product", "Product Type", "Channel"].map((value) => ({
				value,
				label: __(value),
			})),
			default: "Team",
			reqd: 1,
		},
		{
			fieldname: "service_team",
			label: __("Service Team"),
			fieldtype: "Link",
			options: "CRM Service Team",
		},
		{
			fieldname: "priority",
			label: __("Priority"),
			fieldtype: "Select",
			options: ["", "Low", "Medium", "High", "Urgent"].map((value) => ({
				value,
				label: value ? __(value) : "",
			})),
		},
	],
};
