frappe.ui.form.on("CRM Outbound Message", {});
