frappe.ui.form.on("CRM Channel", {});
