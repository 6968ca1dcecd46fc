frappe.listview_settings["CRM Coupon"] = {
	get_indicator(doc) {
		const colour = { Issued: "green", Redeemed: "blue", Expired: "gray" }[doc.status];
		return [__(doc.status), colour, `status,=,${doc.status}`];
	},
};
