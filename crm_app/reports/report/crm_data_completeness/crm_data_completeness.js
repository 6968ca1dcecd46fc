frappe.query_reports["CRM Data Completeness"] = {
	filters: [
		{ fieldname: "sales_owner", label: __("Sales Owner"), fieldtype: "Link", options: "User" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldtype === "Percent" && data && data[column.fieldname] < 60) {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
