frappe.ui.form.on("CRM Consent Confirmation", {});
