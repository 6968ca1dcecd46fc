frappe.ui.form.on("CRM Payment", {});
