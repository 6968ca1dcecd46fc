// The list's own search box matches text as typed; this button asks the knowledge base's word search, which
// finds 打印机卡纸处理方法 for 打印机卡纸怎么办 and ranks what it finds.
frappe.listview_settings["CRM Knowledge Article"] = {
	onload(listview) {
		listview.page.add_inner_button(__("Search the Knowledge Base"), () => search_dialog());
	},
};

function search_dialog() {
	const dialog = new frappe.ui.Dialog({
		title: __("Search the Knowledge Base"),
		size: "large",
		fields: [
			{ fieldname: "query", fieldtype: "Data", label: __("Search Text"), reqd: 1 },
			{ fieldname: "results", fieldtype: "HTML" },
		],
		primary_action_label: __("Search"),
		primary_action({ query }) {
			frappe.call({
				method: "crm_app.api.knowledge.search",
				type: "GET",
				args: { query },
				callback: ({ message }) => show_results(dialog, message || []),
			});
		},
	});
	dialog.show();
}

function show_results(dialog, articles) {
	const escape = frappe.utils.escape_html;
	const items = articles.map(
		(article) => `<div class="mb-3">
			<a href="/app/crm-knowledge-article/${encodeURIComponent(article.name)}">${escape(article.title)}</a>
			<span class="text-muted small ml-2">${escape(article.category || "")} · ${escape(__(article.visibility))}${
				article.published ? "" : " · " + escape(__("Draft"))
			}</span>
			<div class="text-muted small">${escape(article.excerpt)}</div>
		</div>`
	);
	dialog.fields_dict.results.$wrapper.html(
		items.join("") || `<p class="text-muted">${escape(__("No article matches these words yet."))}</p>`
	);
}
