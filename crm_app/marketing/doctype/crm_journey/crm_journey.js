frappe.ui.form.on("CRM Journey", {});
