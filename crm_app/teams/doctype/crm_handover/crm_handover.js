frappe.ui.form.on("CRM Handover", {
	setup(frm) {
		// only the people of the teams the user leads (everyone, for an admin); the successor still active
		frm.set_query("from_user", () => ({ query: "crm_app.api.handover.people" }));
		frm.set_query("to_user", () => ({ query: "crm_app.api.handover.people", filters: { enabled: 1 } }));
	},
	refresh(frm) {
		frm.set_df_property("to_user", "filter_description", __("Active people only"));
		show_summary(frm);
	},
	from_user: show_summary,
	to_user: show_summary,
});

// Before the submit, which cannot be undone: what it will move, counted by the code that moves it. After: what
// moved. One compact table, readable on a phone.
async function show_summary(frm) {
	const $summary = frm.get_field("summary").$wrapper;
	const { from_user, to_user } = frm.doc;
	const to_name =
		to_user &&
		(frappe.utils.get_link_title("User", to_user) ||
			(await frappe.utils.fetch_link_title("User", to_user)) ||
			to_user);
	const successor = to_user ? `<b>${frappe.utils.escape_html(to_name)}</b>` : __("the successor");
	const render = (intro, nothing, kinds) =>
		$summary.html(
			kinds.length
				? `<p>${intro}</p><table class="table table-sm"><tbody>${kinds
						.map(
							(kind) =>
								`<tr><td>${frappe.utils.escape_html(kind.label)}</td><td class="text-right">${kind.records}</td></tr>`
						)
						.join("")}</tbody></table>`
				: `<p class="text-muted">${nothing}</p>`
		);

	if (frm.doc.docstatus !== 0) {
		const kinds = (frm.doc.moved_records || []).map((row) => ({
			label: __(row.document_type, null, "CRM Handover"),
			records: row.records,
		}));
		render(__("These records and follow-ups moved to {0}.", [successor]), __("Nothing was moved."), kinds);
		return;
	}
	if (!from_user) {
		$summary.html(`<p class="text-muted">${__("Choose the leaving salesperson to see what will move.")}</p>`);
		return;
	}
	const { message: kinds } = await frappe.call({
		method: "crm_app.api.handover.preview",
		args: { from_user },
		type: "GET",
	});
	if (frm.doc.from_user !== from_user || frm.doc.to_user !== to_user) return; // chosen again since
	const intro = __("On submit, the records below move to {0} at once. This cannot be undone.", [successor]);
	render(intro, __("There is nothing to move."), kinds);
}
