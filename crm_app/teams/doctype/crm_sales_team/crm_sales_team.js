frappe.ui.form.on("CRM Sales Team", {});
