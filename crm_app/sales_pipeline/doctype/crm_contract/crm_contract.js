frappe.ui.form.on("CRM Contract", {});
