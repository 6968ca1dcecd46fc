frappe.ui.form.on("CRM Opportunity", {});
