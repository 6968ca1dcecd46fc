frappe.listview_settings["CRM Customer"] = {
	add_fields: ["mobile_no", "next_follow_up_date", "city"],
	formatters: {
		mobile_no: (value) => (value ? crm_app.phone_link?.(value) || value : ""),
	},
	onload(listview) {
		// One box for what people type: part of the name, its pinyin initials, or the mobile as written.
		listview.page.add_field({
			fieldtype: "Data",
			fieldname: "crm_search",
			label: __("Name, pinyin or mobile"),
			change() {
				const typed = (this.get_value() || "").trim();
				listview.filter_area.remove("name");
				if (!typed) return;
				frappe
					.call({
						method: "frappe.desk.search.search_link",
						args: { doctype: "CRM Customer", txt: typed, page_length: 200 },
						type: "GET",
					})
					.then(({ message: rows }) => {
						const names = rows.map((row) => row.value);
						listview.filter_area.add([["CRM Customer", "name", "in", names.length ? names : [""]]]);
					});
			},
		});
	},
	refresh(listview) {
		// A phone shows no columns beside the name: the mobile and the next follow-up go under it.
		listview.data.forEach((doc) => {
			const details = [
				doc.mobile_no && crm_app.phone_link?.(doc.mobile_no),
				doc.next_follow_up_date && crm_app.follow_up_due?.(doc.next_follow_up_date),
			].filter(Boolean);
			const $name = listview.$result
				.find(`.list-row-checkbox[data-name="${CSS.escape(doc.name)}"]`)
				.closest(".list-subject")
				.find("a.ellipsis")
				.parent();
			if (details.length && !$name.find(".crm-list-details").length) {
				$name.append(`<div class="crm-list-details">${details.join(" · ")}</div>`);
			}
		});
	},
};
