frappe.ui.form.on("CRM Ticket", {
	refresh(frm) {
		frm.trigger("show_clock");
		if (frm.is_new()) return;
		frm.trigger("suggest_articles");
		const done = ["Resolved", "Closed"].includes(frm.doc.status);
		if (done && frm.doc.resolution && frappe.model.can_create("CRM Knowledge Article")) {
			frm.add_custom_button(__("Create Article"), () => frm.trigger("create_article"));
		}
		crm_app.quick_actions?.(frm, [__("Create Article")]);
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

	// articles of the knowledge base that may answer the ticket, from its subject and the start of its description
	suggest_articles(frm) {
		const description = frappe.utils.html2text(frm.doc.description || "").slice(0, 60);
		frappe
			.xcall("crm_app.api.knowledge.search", {
				query: `${frm.doc.subject} ${description}`.trim().slice(0, 140),
				limit: 5,
			})
			.then((articles) => {
				if (!articles?.length) return;
				const links = articles
					.map(
						(article) =>
							`<a href="/app/crm-knowledge-article/${encodeURIComponent(
								article.name
							)}">${frappe.utils.escape_html(article.title)}</a>`
					)
					.join(" · ");
				frm.dashboard.add_comment(`${__("Knowledge base")}: ${links}`, "blue", true);
			})
			.catch(() => {});
	},

	// the problem and its solution as a draft article, for the agent to check and publish
	create_article(frm) {
		frappe.new_doc("CRM Knowledge Article", {
			title: frm.doc.subject,
			product_type: frm.doc.product_type,
			visibility: "Internal",
			published: 0,
			body: `<h3>${__("Problem")}</h3>${frm.doc.description || ""}<h3>${__("Solution")}</h3>${
				frm.doc.resolution
			}`,
		});
	},
});
