frappe.ui.form.on("CRM Industry", {});
