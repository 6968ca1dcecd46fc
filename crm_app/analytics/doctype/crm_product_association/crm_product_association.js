frappe.ui.form.on("CRM Product Association", {});
