// The app's desk bundle (crm_app.bundle.js, built by `bench build --app crm_app`) adds the helpers used below;
// without it the form still works, without them.
frappe.provide("crm_app");

frappe.ui.form.on("CRM Customer", {
	refresh(frm) {
		crm_app.region_fields?.setup(frm);
		crm_app.phone_fields?.(frm, ["mobile_no", "phone"]);
		const can_reassign = frappe.user.has_role(["CRM Sales Manager", "CRM Admin", "System Manager"]);
		frm.set_df_property("sales_owner", "read_only", !can_reassign && !frm.is_new());
		crm_app.log_interaction_button?.(frm, "customer");
		crm_app.add_pool_buttons?.(frm, "sales_owner");
		if (!frm.is_new() && can_reassign) {
			frm.add_custom_button(__("Merge Duplicate Into This"), () => merge_dialog(frm), __("Actions"));
		}
		if (!frm.is_new()) {
			frm.add_custom_button(__("New Opportunity"), () =>
				frappe.new_doc("CRM Opportunity", { customer: frm.doc.name })
			);
			render_deal_chain(frm);
			if (frm.doc.last_order_date) render_also_buys(frm);
			// the order figures are for those who sell: a service agent sees the flag in the list, not this
			if (frm.doc.churn_risk && frm.doc.last_order_date) {
				frm.dashboard.set_headline_alert(
					frm.doc.purchase_interval_days
						? __("Churn risk: usually orders every {0} days, last order on {1}", [
								Math.round(frm.doc.purchase_interval_days),
								frappe.datetime.str_to_user(frm.doc.last_order_date),
						  ])
						: __("Churn risk: no order since {0}", [frappe.datetime.str_to_user(frm.doc.last_order_date)]),
					"red"
				);
			}
			if (frm.doc.contacts?.some((contact) => contact.email_id)) {
				frm.add_custom_button(__("Invite to Customer Portal"), () => invite_dialog(frm), __("Actions"));
			}
		}
		crm_app.quick_actions?.(frm, [__("Log Interaction"), __("New Opportunity"), __("Claim")]);
	},
	province: (frm) => crm_app.region_fields?.on_change(frm, "province"),
	city: (frm) => crm_app.region_fields?.on_change(frm, "city"),
	district: (frm) => crm_app.region_fields?.on_change(frm, "district"),
});

// The contact gets a Website user and the welcome e-mail with the link to set a password.
function invite_dialog(frm) {
	const contacts = frm.doc.contacts.filter((contact) => contact.email_id);
	const dialog = new frappe.ui.Dialog({
		title: __("Invite to Customer Portal"),
		fields: [
			{
				fieldname: "contact",
				fieldtype: "Select",
				label: __("Contact"),
				reqd: 1,
				options: contacts.map((contact) => ({
					value: contact.name,
					label: `${contact.contact_name} <${contact.email_id}>${contact.portal_user ? " ✓" : ""}`,
				})),
				default: contacts[0].name,
			},
		],
		primary_action_label: __("Invite"),
		primary_action({ contact }) {
			frappe
				.xcall("crm_app.api.portal.invite", { customer: frm.doc.name, contact })
				.then((result) => {
					dialog.hide();
					frappe.show_alert({ message: result.message, indicator: result.mailed ? "green" : "orange" });
					frm.reload_doc();
				});
		},
	});
	dialog.show();
}

function merge_dialog(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Merge Duplicate Into This"),
		fields: [
			{
				fieldname: "duplicate",
				fieldtype: "Link",
				options: "CRM Customer",
				label: __("Duplicate Customer"),
				reqd: 1,
				get_query: () => ({ filters: { name: ["!=", frm.doc.name] } }),
				description: __(
					"Its contacts, interactions, tags and history move to this customer, and it is then removed."
				),
			},
		],
		primary_action_label: __("Merge"),
		primary_action({ duplicate }) {
			frappe
				.xcall("crm_app.api.customers.merge", { duplicate, survivor: frm.doc.name })
				.then((log) => {
					dialog.hide();
					frappe.show_alert({ message: __("Merged. See {0}", [log]), indicator: "green" });
					frm.reload_doc();
				});
		},
	});
	dialog.show();
}

// Opportunity → quotation → contract → order → payment, with the status of each step.
function render_deal_chain(frm) {
	frappe.call({ method: "crm_app.api.customers.get_deal_chain", args: { customer: frm.doc.name }, type: "GET" }).then(({ message: chain }) => {
		const link = (doctype, name) =>
			`<a href="/app/${frappe.router.slug(doctype)}/${encodeURIComponent(name)}">${frappe.utils.escape_html(name)}</a>`;
		const money = (value) => format_currency(value, "CNY");
		const rows = [];
		chain["CRM Opportunity"].forEach((opp) => {
			rows.push(`<tr><td>${__("Opportunity")}</td><td>${link("CRM Opportunity", opp.name)} ${frappe.utils.escape_html(opp.opportunity_name)}</td><td>${__(opp.stage)}</td><td class="text-right">${money(opp.amount)}</td></tr>`);
		});
		chain["CRM Quotation"].forEach((q) => {
			rows.push(`<tr><td>${__("Quotation")}</td><td>${link("CRM Quotation", q.name)}</td><td>${__(q.workflow_state || "Draft")}</td><td class="text-right">${money(q.grand_total)}</td></tr>`);
		});
		chain["CRM Contract"].forEach((c) => {
			rows.push(`<tr><td>${__("Contract")}</td><td>${link("CRM Contract", c.name)}</td><td>${__(c.signing_status)}</td><td class="text-right">${money(c.contract_amount)}</td></tr>`);
		});
		chain["CRM Sales Order"].forEach((o) => {
			rows.push(`<tr><td>${__("Sales Order")}</td><td>${link("CRM Sales Order", o.name)}</td><td>${__(o.delivery_status)} · ${__(o.payment_status)}</td><td class="text-right">${money(o.grand_total)} (${__("Outstanding")} ${money(o.outstanding_amount)})</td></tr>`);
		});
		chain["CRM Payment"].forEach((p) => {
			rows.push(`<tr><td>${__("Payment")}</td><td>${link("CRM Payment", p.name)} → ${frappe.utils.escape_html(p.sales_order)}</td><td>${p.is_deposit ? __("Deposit") : ""} ${frappe.datetime.str_to_user(p.payment_date)}</td><td class="text-right">${money(p.amount)}</td></tr>`);
		});
		const html = rows.length
			? `<table class="table table-sm"><tbody>${rows.join("")}</tbody></table>`
			: `<p class="text-muted">${__("No deals yet")}</p>`;
		frm.get_field("deal_chain").$wrapper.html(html);
	});
}

// "Bought X, often also buys Y": what buyers of this customer's products often also buy (the nightly purchase
// association), for the products the customer has not bought yet.
function render_also_buys(frm) {
	frappe.call({ method: "crm_app.api.analytics.often_also_buys", args: { customer: frm.doc.name }, type: "GET" }).then(({ message: rows }) => {
		const esc = frappe.utils.escape_html;
		const html = rows.length
			? `<p class="text-muted small">${__("Customers who bought the same products often also buy:")}</p><ul class="list-unstyled">${rows
					.map(
						(row) =>
							`<li>${__("Bought {0}, often also buys {1}", [`<b>${esc(row.because_of_name)}</b>`, `<b>${esc(row.product_name)}</b>`])} <span class="text-muted small">(${__("{0}% of buyers", [Math.round(row.confidence)])})</span></li>`
					)
					.join("")}</ul>`
			: `<p class="text-muted small">${__("No suggestions yet")}</p>`;
		frm.get_field("also_buys").$wrapper.html(html);
	});
}
