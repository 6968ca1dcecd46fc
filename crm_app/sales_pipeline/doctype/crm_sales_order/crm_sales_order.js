frappe.ui.form.on("CRM Sales Order", {});
