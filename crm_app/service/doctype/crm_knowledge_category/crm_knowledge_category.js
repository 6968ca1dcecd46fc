frappe.ui.form.on("CRM Knowledge Category", {});
