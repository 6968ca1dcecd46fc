frappe.query_reports["CRM Churn Risk"] = {
	filters: [
		{
			fieldname: "value_tier",
			label: __("Value Tier"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				...["VIP", "Key Customer", "Regular Customer", "Dormant Customer"].map((tier) => ({ value: tier, label: __(tier) })),
			],
		},
		{ fieldname: "sales_owner", label: __("Sales Owner"), fieldtype: "Link", options: "User" },
	],
};
