frappe.ui.form.on("CRM Knowledge Article", {});
