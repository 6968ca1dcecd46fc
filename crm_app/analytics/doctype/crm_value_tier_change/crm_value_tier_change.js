frappe.ui.form.on("CRM Value Tier Change", {});
