frappe.ui.form.on("CRM Handover", {});
