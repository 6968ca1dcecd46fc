frappe.ui.form.on("CRM Product Sales", {});
