frappe.ui.form.on("CRM Analytics Run", {});
