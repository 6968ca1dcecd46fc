frappe.query_reports["CRM Product Ranking"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			// whole months: the eleven before this one and this one so far
			default: frappe.datetime.add_months(frappe.datetime.month_start(), -11),
			reqd: 1,
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		{
			fieldname: "sort_by",
			label: __("Sort By"),
			fieldtype: "Select",
			options: ["Amount", "Quantity", "Customers", "Repurchase Rate"].map((value) => ({ value, label: __(value) })),
			default: "Amount",
			reqd: 1,
		},
	],
};
