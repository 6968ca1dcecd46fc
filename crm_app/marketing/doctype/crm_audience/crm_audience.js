frappe.ui.form.on("CRM Audience", {});
