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
		{ fieldname: "from_date", label: __("Opened From"), fieldtype: "Date" },
		{ fieldname: "to_date", label: __("Opened To"), fieldtype: "Date" },
		{ fieldname: "sales_team", label: __("Sales Team"), fieldtype: "Link", options: "CRM Sales Team" },
		{ fieldname: "opportunity_owner", label: __("Opportunity Owner"), fieldtype: "Link", options: "User" },
		{ fieldname: "source_channel", label: __("Source Channel"), fieldtype: "Link", options: "CRM Channel" },
	],
};
