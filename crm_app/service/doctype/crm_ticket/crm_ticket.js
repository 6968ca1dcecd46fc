frappe.ui.form.on("CRM Ticket", {
	refresh(frm) {
		frm.trigger("show_clock");
		if (!frm.is_new()) frm.trigger("suggest_articles");
	},

	show_clock(frm) {
		const colors = { "On Track": "green", "At Risk": "orange", Breached: "red", Paused: "blue" };
		if (!frm.doc.sla_status) return;
		const due = frm.doc.first_responded_on ? frm.doc.resolution_by : frm.doc.response_by;
		const what = frm.doc.first_responded_on ? __("Resolve By") : __("Respond By");
		frm.dashboard.set_headline_alert(
			`<span class="indicator ${colors[frm.doc.sla_status] || "gray"}">${__(frm.doc.sla_status)}</span>` +
				(due ? ` · ${what} ${frappe.datetime.str_to_user(due)}` : "")
		);
	},

	// articles of the knowledge base that may answer the ticket, from its subject
	suggest_articles(frm) {
		frappe
			.xcall("crm_app.api.knowledge.search", { query: frm.doc.subject, limit: 5 })
			.then((articles) => {
				if (!articles?.length) return;
				const links = articles
					.map(
						(article) =>
							`<a href="/app/crm-knowledge-article/${encodeURIComponent(article.name)}">${frappe.utils.escape_html(
								article.title
							)}</a>`
					)
					.join(" · ");
				frm.dashboard.add_comment(`${__("Knowledge base")}: ${links}`, "blue", true);
			})
			.catch(() => {});
	},
});
