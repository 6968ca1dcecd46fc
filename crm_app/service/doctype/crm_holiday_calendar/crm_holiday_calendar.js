frappe.ui.form.on("CRM Holiday Calendar", {
	refresh(frm) {
		// The State Council publishes each year's holidays late in the year before: remind whoever opens the
		// calendar when next year's days are still missing.
		const years = [...new Set((frm.doc.days || []).map((row) => Number(row.calendar_date.slice(0, 4))))];
		years.sort((a, b) => a - b);
		const next_year = new Date().getFullYear() + 1;
		if (!years.length) {
			frm.set_intro(__("No days yet: add the holidays and working days the State Council publishes"), "orange");
		} else if (!years.includes(next_year)) {
			frm.set_intro(
				__("Holidays of {0} to {1}. Add those of {2} when the State Council publishes them.", [
					years[0],
					years[years.length - 1],
					next_year,
				]),
				"orange"
			);
		} else {
			frm.set_intro(__("Holidays of {0} to {1}", [years[0], years[years.length - 1]]), "blue");
		}
	},
});
