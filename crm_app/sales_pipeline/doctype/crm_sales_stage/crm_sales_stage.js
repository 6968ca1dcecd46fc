frappe.ui.form.on("CRM Sales Stage", {});
