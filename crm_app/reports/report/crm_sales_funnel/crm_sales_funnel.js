frappe.query_reports["CRM Sales Funnel"] = {
	filters: [
		{
			fieldname: "scope",
			label: __("Scope"),
			fieldtype: "Select",
			options: [
				{ value: "Mine", label: __("Mine") },
				{ value: "Team", label: __("Team") },
			],
			default: "Team",
			reqd: 1,
		},
	],
};
