frappe.ui.form.on("CRM Settings", {});
