frappe.ui.form.on("CRM Marketing Consent", {});
