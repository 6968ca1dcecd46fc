frappe.query_reports["CRM Campaign ROI"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), -365),
			reqd: 1,
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		{ fieldname: "campaign", label: __("Campaign"), fieldtype: "Link", options: "CRM Campaign" },
	],
	// each campaign, then the channels its leads came by
	tree: true,
	name_field: "campaign",
	parent_field: "parent_campaign",
};
