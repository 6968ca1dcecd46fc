frappe.ui.form.on("CRM Merge Log", {});
