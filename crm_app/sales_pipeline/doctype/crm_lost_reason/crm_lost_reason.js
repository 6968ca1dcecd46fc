frappe.ui.form.on("CRM Lost Reason", {});
