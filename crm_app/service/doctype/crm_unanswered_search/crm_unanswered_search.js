frappe.ui.form.on("CRM Unanswered Search", {});
