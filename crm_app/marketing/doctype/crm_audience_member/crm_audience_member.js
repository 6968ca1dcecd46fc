frappe.ui.form.on("CRM Audience Member", {});
