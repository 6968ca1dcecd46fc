frappe.ui.form.on("CRM Tag", {});
