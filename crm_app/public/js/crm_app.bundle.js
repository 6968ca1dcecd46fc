// Shared desk helpers for crm_app forms.
frappe.provide("crm_app");

// Province → city → district pickers: each offers, as the user types, what the one above it contains.
crm_app.region_fields = {
	above: { province: [], city: ["province"], district: ["province", "city"] },
	setup(frm) {
		Object.entries(crm_app.region_fields.above).forEach(([fieldname, above]) => {
			frm.set_query(fieldname, () => ({
				query: "crm_app.api.regions.get_region_options",
				params: Object.fromEntries(above.map((field) => [field, frm.doc[field] || ""])),
			}));
		});
	},
	on_change(frm, fieldname) {
		const below = { province: ["city", "district"], city: ["district"], district: [] }[fieldname];
		below.forEach((field) => frm.doc[field] && frm.set_value(field, null));
	},
};

// The contact picker of an interaction or opportunity offers the contacts of its customer.
crm_app.set_contact_options = (frm) => {
	frm.set_query("contact_name", () => ({
		query: "crm_app.api.customers.get_contact_names",
		params: { customer: frm.doc.customer || "" },
	}));
};

// Claim from / release to the public pool, for leads and customers.
crm_app.add_pool_buttons = (frm, owner_field) => {
	if (frm.is_new()) return;
	const call = (method, args = {}) =>
		frappe
			.xcall(`crm_app.api.pool.${method}`, { doctype: frm.doctype, name: frm.doc.name, ...args })
			.then(() => frm.reload_doc());
	if (!frm.doc[owner_field]) {
		frm.add_custom_button(__("Claim"), () => call("claim"));
		frm.dashboard.set_headline(__("This record is in the public pool."), "orange");
	} else if (frm.doc[owner_field] === frappe.session.user) {
		frm.add_custom_button(
			__("Release to Public Pool"),
			() =>
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason") },
					({ reason }) => call("release", { reason }),
					__("Release to Public Pool")
				),
			__("Actions")
		);
	}
};

crm_app.log_interaction_button = (frm, link_field) => {
	if (frm.is_new()) return;
	frm.add_custom_button(__("Log Interaction"), () =>
		frappe.new_doc("CRM Interaction", { [link_field]: frm.doc.name })
	);
};

// Mobiles read as people write them (+86 138-0013-8000), a tap on a phone calls, and the keypad is numeric.
crm_app.format_phone = (e164) => {
	const mobile = /^\+86(1\d{2})(\d{4})(\d{4})$/.exec(e164 || "");
	return mobile ? `+86 ${mobile[1]}-${mobile[2]}-${mobile[3]}` : e164 || "";
};

crm_app.phone_link = (e164) =>
	`<a href="tel:${encodeURIComponent(e164)}" onclick="event.stopPropagation()">${frappe.utils.escape_html(
		crm_app.format_phone(e164)
	)}</a>`;

crm_app.phone_fields = (frm, fieldnames) => {
	fieldnames.forEach((fieldname) => {
		const field = frm.fields_dict[fieldname];
		if (!field || !field.$input) return;
		field.$input.attr({ type: "tel", inputmode: "tel" });
		field.format_for_input = (value) => crm_app.format_phone(value);
		field.refresh_input();
		// on a phone, a tap on the number calls it
		field.set_description(frappe.is_mobile() && frm.doc[fieldname] ? crm_app.phone_link(frm.doc[fieldname]) : "");
	});
	// and in the rows of its tables (contacts)
	const formatter = (value) => frappe.utils.escape_html(crm_app.format_phone(value));
	frm.meta.fields
		.filter((df) => df.fieldtype === "Table")
		.forEach((table) => {
			const grid = frm.fields_dict[table.fieldname]?.grid;
			fieldnames
				.filter((fieldname) => grid?.docfields.some((df) => df.fieldname === fieldname))
				.forEach((fieldname) => grid.update_docfield_property(fieldname, "formatter", formatter));
		});
};

// When the next follow-up is due, in a few characters that fit under a name on a phone.
crm_app.follow_up_due = (date) => {
	const days = frappe.datetime.get_day_diff(date, frappe.datetime.get_today());
	if (days < 0) return `<span class="text-danger">${__("{0} days overdue", [-days])}</span>`;
	if (days === 0) return `<span class="text-warning">${__("Follow up today")}</span>`;
	return `${__("Next Follow-up")} ${moment(date).format(__("MM-DD"))}`;
};

// The search bar also finds customers by any part of the name, its pinyin, or the mobile as typed.
crm_app.find_customers_for_search_bar = frappe.utils.debounce((bar, txt) => {
	if (!frappe.model.can_read("CRM Customer")) return;
	frappe
		.call({
			method: "frappe.desk.search.search_link",
			args: { doctype: "CRM Customer", txt, page_length: 5 },
			type: "GET",
		})
		.then(({ message: rows }) => {
			if ((bar.awesomplete.input.value || "").trim() !== txt) return; // typed on since
			rows.forEach((row) => {
				const title = frappe.utils.escape_html(row.label || row.value);
				const description = frappe.utils.escape_html(row.description || "");
				bar.options.push({
					label: `${__("Customer")}: ${title} <span class="text-muted">${description}</span>`,
					value: `${__("Customer")} ${row.value}`,
					route: ["Form", "CRM Customer", row.value],
					index: 95,
				});
			});
			bar.awesomplete.list = bar.deduplicate(bar.options);
			bar.awesomplete.evaluate();
		});
}, 200);

if (frappe.search?.AwesomeBar) {
	const add_defaults = frappe.search.AwesomeBar.prototype.add_defaults;
	frappe.search.AwesomeBar.prototype.add_defaults = function (txt) {
		add_defaults.call(this, txt);
		crm_app.find_customers_for_search_bar(this, txt);
	};
}

// A new customer from the list's Add button: what a salesperson has on the first call, the contact included.
if (frappe.ui.form.QuickEntryForm) {
	frappe.ui.form.CRMCustomerQuickEntryForm = class CRMCustomerQuickEntryForm extends (
		frappe.ui.form.QuickEntryForm
	) {
		set_meta_and_mandatory_fields() {
			super.set_meta_and_mandatory_fields();
			const query = (above) => () => ({
				query: "crm_app.api.regions.get_region_options",
				params: Object.fromEntries(above.map((field) => [field, this.dialog?.get_value(field) || ""])),
			});
			this.mandatory.forEach((df) => {
				if (df.fieldname === "province") df.get_query = query([]);
				if (df.fieldname === "city") df.get_query = query(["province"]);
			});
			this.mandatory = this.mandatory.concat([
				{ fieldtype: "Section Break", label: __("Contact") },
				{ fieldname: "crm_contact_name", fieldtype: "Data", label: __("Contact Name") },
				{
					fieldname: "crm_decision_role",
					fieldtype: "Select",
					label: __("Decision Role"),
					options: ["", "Decision Maker", "Influencer", "User", "Purchasing", "Finance", "Other"]
						.map((role) => ({ value: role, label: __(role) })),
				},
			]);
		}

		// The new customer's page next, where the first call gets logged, rather than back to the list.
		open_form_if_not_list() {
			frappe.set_route("Form", this.dialog.doc.doctype, this.dialog.doc.name);
		}

		render_dialog() {
			super.render_dialog();
			this.dialog.fields_dict.mobile_no?.$input.attr({ type: "tel", inputmode: "tel" });
		}

		update_doc() {
			const doc = super.update_doc();
			const contact = doc.crm_contact_name;
			delete doc.crm_contact_name;
			const role = doc.crm_decision_role;
			delete doc.crm_decision_role;
			if (contact && !(doc.contacts || []).length) {
				doc.contacts = [{ doctype: "CRM Customer Contact", contact_name: contact, decision_role: role, is_primary: 1 }];
			}
			return doc;
		}
	};
}

// A date and time shows its time zone only when it is not the user's own.
if (frappe.ui.form.ControlDatetime) {
	const set_description = frappe.ui.form.ControlDatetime.prototype.set_description;
	frappe.ui.form.ControlDatetime.prototype.set_description = function () {
		if (frappe.datetime.is_system_time_zone()) {
			return frappe.ui.form.ControlData.prototype.set_description.call(this);
		}
		return set_description.call(this);
	};
}

// On a phone the form's own buttons fold into a menu; the ones used on every call stay one tap away.
crm_app.quick_actions = (frm, labels) => {
	frm.page.wrapper.find(".crm-quick-actions").remove();
	const buttons = labels.map((label) => frm.custom_buttons[label]).filter(Boolean);
	if (!buttons.length) return;
	const $bar = $(`<div class="crm-quick-actions"></div>`).appendTo(frm.page.wrapper);
	// the call itself first, when the record has a mobile
	if (frm.doc.mobile_no && !frm.is_new()) {
		$(`<a class="btn btn-primary btn-sm"></a>`)
			.attr("href", `tel:${frm.doc.mobile_no}`)
			.text(__("Dial"))
			.appendTo($bar);
	}
	buttons.forEach(($button) => {
		$(`<button class="btn btn-default btn-sm"></button>`)
			.text($button.text().trim())
			.on("click", () => $button.trigger("click"))
			.appendTo($bar);
	});
};

// Large figures on cards and chart axes in 万 and 亿 where the site is set up for China, rather than K and M.
{
	const chinese_units = [
		{ divisor: 1.0e8, symbol: "亿" },
		{ divisor: 1.0e4, symbol: "万" },
		// whole numbers below 万 as they are: counts on a chart's axis read 50, not 50.00
		{ divisor: 1, symbol: "" },
	];
	const stock_number_system = frappe.utils.get_number_system;
	frappe.utils.get_number_system = function (country) {
		return country === "China" ? chinese_units : stock_number_system.call(this, country);
	};
}

// Charts without animations, and not redrawn while hidden. frappe-charts swaps a chart's SVG out for 250 ms while
// it animates, and a redraw in that time removes the swapped-out SVG and throws; the desk redraws every chart it
// made as the window is resized or a page shown, those of pages left behind too, at a width of NaN.
{
	const StockChart = frappe.Chart;
	frappe.Chart = function (parent, options) {
		const chart = new StockChart(parent, { ...options, animate: 0, disableEntryAnimation: 1 });
		const draw = chart.draw;
		chart.draw = function (...args) {
			if (this.parent?.isConnected && this.parent.offsetWidth) return draw.apply(this, args);
		};
		return chart;
	};
}

// Rows of moved records name a kind of record: shown in the user's language, not as a link to the DocType,
// which only developers may open.
crm_app.translate_moved_records = () => {
	const df = frappe.meta.docfield_map["CRM Moved Record"]?.document_type;
	if (df) df.formatter = (value) => frappe.utils.escape_html(__(value || ""));
};

// Frappe's kanban view does not wait for the list's fields, and a link shown by its title (an owner by name) is
// added only once the linked DocType has loaded: a board's first load showed cards without their owner.
frappe.views.KanbanView.prototype.set_fields = async function () {
	await frappe.views.ListView.prototype.set_fields.call(this);
	this._add_field(this.card_meta.title_field);
};
