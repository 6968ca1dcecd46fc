frappe.ui.form.on("CRM Quotation", {});
