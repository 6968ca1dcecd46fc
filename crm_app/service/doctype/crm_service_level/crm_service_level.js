frappe.ui.form.on("CRM Service Level", {
	refresh(frm) {
		frm.set_intro(__("The clock runs {0} working hours a week", [weekly_hours(frm.doc)]), "blue");
	},
});

frappe.ui.form.on("CRM Service Hours", {
	start_time: (frm) => frm.trigger("refresh"),
	end_time: (frm) => frm.trigger("refresh"),
	working_hours_remove: (frm) => frm.trigger("refresh"),
});

function weekly_hours(doc) {
	const minutes = (value) => {
		const [hours, mins] = (value || "").split(":").map(Number);
		return (hours || 0) * 60 + (mins || 0);
	};
	let total = 0;
	for (const row of doc.working_hours || []) {
		if (!row.start_time || !row.end_time) continue;
		// an end of 00:00 is the midnight that ends the day
		total += Math.max(0, (minutes(row.end_time) || 24 * 60) - minutes(row.start_time));
	}
	return Math.round((total / 60) * 10) / 10;
}
