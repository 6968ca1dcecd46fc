frappe.query_reports["CRM Product Association"] = {
	filters: [{ fieldname: "product", label: __("Bought"), fieldtype: "Link", options: "CRM Product" }],
};
