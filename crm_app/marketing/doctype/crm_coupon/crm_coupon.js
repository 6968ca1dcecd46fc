frappe.ui.form.on("CRM Coupon", {});
