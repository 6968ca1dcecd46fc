frappe.ui.form.on("CRM Lead", {});
