frappe.ui.form.on("CRM Pool Log", {});
