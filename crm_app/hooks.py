from crm_app.defaults import ROLES

app_name = "crm_app"
app_title = "CRM App"
app_publisher = "crm_app developers"
app_description = "Customer relationship management for Chinese small and medium businesses"
app_email = "dev@crm-app.invalid"
app_license = "MIT"

export_python_type_annotations = True

app_include_js = "crm_app.bundle.js"
app_include_css = "crm_app.bundle.css"
# The setup wizard's account step is the owner's own, even after `bench crm-demo` (crm_app/setup_wizard.py).
setup_wizard_requires = "assets/crm_app/js/setup_wizard.js"

after_install = "crm_app.install.after_install"
after_migrate = "crm_app.install.after_migrate"
setup_wizard_complete = "crm_app.install.after_setup_wizard"
before_uninstall = "crm_app.install.before_uninstall"

# Who owns each kind of record. Row permissions and hand-over both read this, so a new owned DocType is
# protected and handed over as soon as it is listed here.
crm_owner_fields = {
	"CRM Customer": "sales_owner",
	"CRM Lead": "lead_owner",
	"CRM Opportunity": "opportunity_owner",
	"CRM Quotation": "sales_owner",
	"CRM Contract": "sales_owner",
	"CRM Sales Order": "sales_owner",
	"CRM Payment": "sales_owner",
}

# What follows when a hand-over gives records a new owner in one statement, which raises no document events:
# {DocType: [method called with the names of the records moved]}.
crm_owner_moved = {"CRM Sales Order": ["crm_app.analytics.product_sales.orders_moved"]}

# Owned records that may have no owner: they sit in the public pool, visible to every salesperson.
crm_pool_doctypes = ["CRM Customer", "CRM Lead"]

# Records that belong to other records, seen by exactly those who may see every record they link to.
crm_linked_doctypes = {
	"CRM Interaction": {"customer": "CRM Customer", "lead": "CRM Lead", "opportunity": "CRM Opportunity"},
	"CRM Duplicate Candidate": {"customer": "CRM Customer", "similar_customer": "CRM Customer"},
	"CRM Merge Log": {"survivor": "CRM Customer"},
	"CRM Value Tier Change": {"customer": "CRM Customer"},
	"CRM WeChat Chat": {"customer": "CRM Customer"},
	# an invoice request follows its order (and so its customer's owner): finance sees every order's
	"CRM Invoice Request": {"sales_order": "CRM Sales Order"},
	"CRM Marketing Consent": {"customer": "CRM Customer"},
	"CRM Audience Member": {"customer": "CRM Customer"},
	"CRM Outbound Message": {"customer": "CRM Customer"},
	"CRM Journey Entry": {"customer": "CRM Customer"},
	"CRM Coupon": {"customer": "CRM Customer"},
}

# Copies of a linked record's owner, kept on the rows that link to it, so that a list read in its own index order
# drops the rows out of a salesperson's reach from the index alone. They only filter in front of the link's own
# rule, which still decides; every change of the owner refreshes them. {DocType: {link field: copy field}}
crm_owner_copies = {"CRM Interaction": {"customer": "customer_owner"}}

# Logs about people, seen by those whose reach includes any of the people named.
crm_people_doctypes = {
	"CRM Pool Log": ["user", "previous_owner"],
	"CRM Handover": ["from_user", "to_user"],
	"CRM WeChat Import": ["imported_by"],
	"CRM WeChat Chat": ["imported_by"],
}

# Records published to audiences, seen whole by those who may write them, published by other desk users, and
# published to the public (Website users, guests and anyone whose roles do not read them) by everyone else.
# {DocType: {"published": Check field, "audience": Select field, "public": the audience that means everyone}}
crm_published_doctypes = {
	"CRM Knowledge Article": {"published": "published", "audience": "visibility", "public": "Public"},
}

# Records handled by service teams: seen by the agents and managers of their team, by their agent, by every agent
# while no team has them (the queue), and read by whoever may see the customer they are about.
# {DocType: {"team": Link to CRM Service Team, "agent": Link to User, "customer": Link to CRM Customer}}
crm_service_doctypes = {"CRM Ticket": {"team": "service_team", "agent": "agent", "customer": "customer"}}

# Records a customer's contacts read in the self-service portal, once invited (a Website user with the role
# CRM Customer, linked from the contact's portal_user): only those about the customers they belong to, and of
# those only the ones meant for the customer's eyes (a sent quotation, not a draft).
# {DocType: {"customer": the field naming its customer, "route": its pages (/route and /route/<name>),
# "title": the menu's label, "shown": {field: the values a customer sees}}}
crm_portal_doctypes = {
	"CRM Ticket": {"customer": "customer", "route": "my_tickets", "title": "My Tickets"},
	"CRM Quotation": {
		"customer": "customer",
		"route": "my_quotations",
		"title": "My Quotations",
		"shown": {"docstatus": [1]},
	},
	"CRM Contract": {
		"customer": "customer",
		"route": "my_contracts",
		"title": "My Contracts",
		"shown": {"signing_status": ["Sent for Signature", "Signed"]},
	},
	"CRM Sales Order": {
		"customer": "customer",
		"route": "my_orders",
		"title": "My Orders",
		"shown": {"docstatus": [1]},
	},
	"CRM Payment": {
		"customer": "customer",
		"route": "my_payments",
		"title": "My Payments",
		"shown": {"docstatus": [1]},
	},
	# every coupon the customer was given, used and expired ones too, as a shop's coupon wallet shows them
	"CRM Coupon": {
		"customer": "customer",
		"route": "my_coupons",
		"title": "My Coupons",
		"shown": {"status": ["Issued", "Redeemed", "Expired"]},
	},
}
has_website_permission = {
	doctype: "crm_app.permissions.has_website_permission" for doctype in crm_portal_doctypes
}

# Child tables. Frappe lets a child table be listed on its own (with parent_doctype), so each gets the row
# rules of its parents.
crm_child_doctypes = {
	"CRM Customer Contact": ["CRM Customer"],
	"CRM Customer Tag": ["CRM Customer"],
	"CRM Opportunity Stage Log": ["CRM Opportunity"],
	"CRM Deal Item": ["CRM Quotation", "CRM Sales Order"],
	"CRM Payment Plan": ["CRM Sales Order"],
	"CRM Moved Record": ["CRM Handover", "CRM Merge Log"],
	"CRM Ticket Pause": ["CRM Ticket"],
}

# Fields only the server writes: what a client sends for them is ignored (crm_app/validation.py).
crm_computed_fields = {
	"CRM Customer": [
		"owner_since",
		"last_interaction_at",
		"next_follow_up_date",
		"interaction_count",
		"completeness",
		"value_tier",
		"recency_score",
		"frequency_score",
		"monetary_score",
		"window_orders",
		"window_amount",
		"last_order_date",
		"order_days",
		"purchase_interval_days",
		"churn_due_date",
		"churn_risk",
		"churn_warned_on",
	],
	"CRM Lead": [
		"owner_since",
		"last_interaction_at",
		"next_follow_up_date",
		"interaction_count",
		"converted_customer",
		"converted_opportunity",
		"converted_at",
		"marketing_consent_at",
		"marketing_consent_confirmed_at",
		# what the visitor's link said, kept as it arrived
		"utm_source",
		"utm_medium",
		"utm_campaign",
		"utm_content",
		"utm_term",
	],
	"CRM Opportunity": [
		"owner_since",
		"status",
		"stage_changed_at",
		"furthest_stage",
		"last_activity_at",
		"stall_alerted_at",
		"source_lead",
		"stage_history",
	],
	"CRM Sales Order": [
		"shipped_at",
		"received_at",
		"paid_amount",
		"outstanding_amount",
		"payment_status",
		"campaign",  # the opportunity's
		"invoice_no",  # its e-invoice's, once issued
	],
	"CRM Invoice Request": [
		"customer",
		"status",
		"invoice_no",
		"invoice_date",
		"total_amount",
		"net_amount",
		"tax_rate",
		"tax_amount",
		"attempts",
		"next_retry_at",
		"last_error",
		"payload",
	],
	"CRM Tag Rule": ["last_applied_at", "matched_customers"],
	"CRM Campaign": ["status", "audience", "total_cost", "recipients", "sent", "failed", "skipped"],
	"CRM Marketing Consent": ["contact", "granted_at", "withdrawn_at", "withdrawn_via"],
	"CRM Coupon": [
		"code",
		"customer",
		"coupon_type",
		"occasion",
		"status",
		"issued_at",
		"valid_until",
		"discount_type",
		"amount",
		"percentage",
		"max_discount",
		"min_spend",
		"sales_order",
		"redeemed_at",
	],
	"CRM Duplicate Candidate": ["customer", "similar_customer", "reason"],
	"CRM Handover": ["handed_over_at", "moved_records"],
	"CRM Knowledge Article": ["term_count"],
	"CRM Interaction": ["wechat_message_key"],
	"CRM WeChat Import": [
		"status",
		"layout",
		"progress",
		"imported_by",
		"started_at",
		"finished_at",
		"message_count",
		"new_interactions",
		"duplicates_skipped",
		"skipped_lines",
		"chats_matched",
		"chats_unmatched",
		"error",
	],
	"CRM WeChat Chat": [
		"chat_title",
		"status",
		"customer",
		"contact_name",
		"wechat_id",
		"chat_names",
		"chat_key",
		"imported_by",
		"wechat_import",
		"message_count",
		"first_message_at",
		"last_message_at",
		"preview",
		"pending_messages",
	],
	"CRM Ticket": [
		"opened_on",
		"first_responded_on",
		"resolved_on",
		"response_by",
		"resolution_by",
		"response_minutes",
		"resolution_minutes",
		"sla_status",
		"escalated_level",
		"pauses",
	],
	# the assignment rule behind an assignment: its assignee becomes the owner of a record in the public pool
	"ToDo": ["assignment_rule"],
}

# Rows of Frappe's side tables that name a record in fields named unlike the Link to DocType beside them; Dynamic
# Links and pairs such as attached_to_doctype / attached_to_name are found in the metadata.
# {DocType: {name field: DocType field}}
crm_reference_fields = {
	"Version": {"docname": "ref_doctype"},
	"Deleted Document": {"deleted_name": "deleted_doctype"},
	"Access Log": {"reference_document": "export_from"},
}

_row_permission_doctypes = [
	*crm_owner_fields,
	*crm_linked_doctypes,
	*crm_people_doctypes,
	*crm_published_doctypes,
	*crm_service_doctypes,
]
permission_query_conditions = {
	"*": "crm_app.permissions.reference_conditions",
	**{
		doctype: "crm_app.permissions.get_permission_query_conditions"
		for doctype in [*_row_permission_doctypes, *crm_child_doctypes]
	},
}
has_permission = {
	"*": "crm_app.permissions.has_reference_permission",
	**{doctype: "crm_app.permissions.has_permission" for doctype in _row_permission_doctypes},
}

# Deny by default (crm_app/perimeter.py): users whose roles are all CRM roles, and Website users, may call these
# whitelisted methods and no others.
crm_roles = list(ROLES)
auth_hooks = ["crm_app.perimeter.check_request"]
crm_desk_methods = [
	# session, boot and the desk around the forms
	"login",
	"logout",
	"ping",
	"version",
	"upload_file",
	"run_doc_method",
	"frappe.auth.get_logged_user",
	"frappe.sessions.get_boot_assets_json",
	"frappe.realtime.can_subscribe_doc",
	"frappe.realtime.can_subscribe_doctype",
	"frappe.realtime.get_user_info",
	"frappe.desk.desktop.get_workspace_sidebar_items",
	"frappe.desk.desktop.get_desktop_page",
	"frappe.desk.desk_page.getpage",
	"frappe.desk.doctype.number_card.number_card.get_result",
	"frappe.desk.doctype.number_card.number_card.get_percentage_difference",
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
	"frappe.desk.doctype.dashboard_settings.dashboard_settings.create_dashboard_settings",
	"frappe.desk.doctype.dashboard_settings.dashboard_settings.save_chart_config",
	"frappe.desk.doctype.route_history.route_history.deferred_insert",
	"frappe.desk.notifications.get_notification_info",
	"frappe.desk.doctype.event.event.get_events",
	"frappe.desk.notifications.get_open_count",
	"frappe.desk.doctype.notification_log.notification_log.get_notification_logs",
	"frappe.desk.doctype.notification_log.notification_log.mark_as_read",
	"frappe.desk.doctype.notification_log.notification_log.mark_all_as_read",
	"frappe.desk.doctype.notification_log.notification_log.trigger_indicator_hide",
	"frappe.desk.doctype.notification_settings.notification_settings.set_seen_value",
	"frappe.model.utils.user_settings.get",
	"frappe.model.utils.user_settings.save",
	"frappe.utils.change_log.show_update_popup",
	"frappe.core.doctype.user.user.switch_theme",
	"frappe.core.doctype.user.user.test_password_strength",
	"frappe.core.doctype.user.user.update_password",
	"frappe.core.doctype.user.user.verify_password",
	"frappe.core.api.file.get_max_file_size",
	# forms
	"frappe.desk.form.load.getdoctype",
	"frappe.desk.form.load.getdoc",
	"frappe.desk.form.load.get_docinfo",
	"frappe.desk.form.load.get_communications",
	"frappe.desk.form.load.get_user_info_for_viewers",
	"frappe.desk.form.save.savedocs",
	"frappe.desk.form.save.cancel",
	"frappe.desk.form.utils.add_comment",
	"frappe.desk.form.utils.update_comment",
	"frappe.desk.form.utils.remove_attach",
	"frappe.desk.form.utils.get_next",
	"frappe.desk.form.linked_with.get",
	"frappe.desk.form.linked_with.get_submitted_linked_docs",
	"frappe.desk.form.assign_to.add",
	"frappe.desk.form.assign_to.remove",
	"frappe.desk.form.assign_to.close",
	"frappe.desk.form.document_follow.update_follow",
	"frappe.desk.form.document_follow.follow_document",
	"frappe.desk.form.document_follow.unfollow_document",
	"frappe.desk.like.toggle_like",
	"frappe.desk.doctype.tag.tag.add_tag",
	"frappe.desk.doctype.tag.tag.remove_tag",
	"frappe.desk.doctype.tag.tag.get_tags",
	"frappe.desk.doctype.tag.tag.get_tags_list_for_awesomebar",
	"frappe.desk.link_preview.get_preview_data",
	"frappe.share.add",
	"frappe.share.remove",
	"frappe.share.set_permission",
	"frappe.share.get_users",
	"frappe.model.workflow.apply_workflow",
	"frappe.model.workflow.get_transitions",
	"frappe.model.workflow.can_cancel_document",
	"frappe.core.doctype.communication.email.make",
	"frappe.email.doctype.email_template.email_template.get_email_template",
	"frappe.email.get_contact_list",
	"frappe.utils.print_format.download_pdf",
	"frappe.www.printview.get_html_and_style",
	"frappe.printing.page.print.print.get_print_settings_to_show",
	# lists, reports, search
	"frappe.client.get",
	"frappe.client.get_list",
	"frappe.client.get_count",
	"frappe.client.get_value",
	"frappe.client.get_single_value",
	"frappe.client.set_value",
	"frappe.client.insert",
	"frappe.client.save",
	"frappe.client.submit",
	"frappe.client.cancel",
	"frappe.client.delete",
	"frappe.client.validate_link",
	"frappe.client.is_document_amended",
	"frappe.client.get_doc_permissions",
	"frappe.desk.reportview.get",
	"frappe.desk.reportview.get_list",
	"frappe.desk.reportview.get_count",
	"frappe.desk.reportview.get_sidebar_stats",
	"frappe.desk.reportview.export_query",
	"frappe.desk.reportview.delete_items",
	"frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs",
	"frappe.desk.listview.get_list_settings",
	"frappe.desk.listview.set_list_settings",
	"frappe.desk.listview.get_group_by_count",
	"frappe.desk.search.search_link",
	"frappe.desk.search.search_widget",
	"frappe.desk.search.get_link_title",
	"frappe.desk.search.get_names_for_mentions",
	"frappe.desk.query_report.run",
	"frappe.desk.query_report.get_script",
	"frappe.desk.query_report.export_query",
	"frappe.desk.doctype.kanban_board.kanban_board.get_kanban_boards",
	"frappe.desk.doctype.kanban_board.kanban_board.update_order_for_single_card",
	"frappe.desk.doctype.kanban_board.kanban_board.update_order",
	# Excel import, for managers
	"frappe.core.doctype.data_import.data_import.get_preview_from_template",
	"frappe.core.doctype.data_import.data_import.form_start_import",
	"frappe.core.doctype.data_import.data_import.get_import_status",
	"frappe.core.doctype.data_import.data_import.get_import_logs",
	"frappe.core.doctype.data_import.data_import.download_template",
	"frappe.core.doctype.data_import.data_import.download_errored_template",
	"frappe.core.doctype.data_import.data_import.download_import_log",
	# the app's own
	"crm_app.api.analytics.often_also_buys",
	"crm_app.api.analytics.run_now",
	"crm_app.api.coupons.issue",
	"crm_app.api.customers.merge",
	"crm_app.api.customers.get_timeline",
	"crm_app.api.customers.get_contact_names",
	"crm_app.api.customers.get_deal_chain",
	"crm_app.api.customers.search",
	"crm_app.api.deals.make_contract",
	"crm_app.api.deals.make_sales_order",
	"crm_app.api.deals.set_delivery_status",
	"crm_app.api.handover.preview",
	"crm_app.api.feedback.rate",
	"crm_app.api.handover.people",
	"crm_app.api.invoices.request_invoice",
	"crm_app.api.invoices.retry",
	"crm_app.api.knowledge.search",
	"crm_app.api.leads.convert",
	"crm_app.api.leads.submit_inquiry",
	"crm_app.api.portal.invite",
	"crm_app.api.pool.claim",
	"crm_app.api.pool.release",
	"crm_app.api.regions.get_region_options",
	"crm_app.api.workspace.overdue_follow_ups",
	"crm_app.api.wechat.match_chat",
	"CRM Tag Rule.apply_now",
	"crm_app.api.marketing.segment_count",
	"crm_app.api.marketing.take_audience",
	"crm_app.api.marketing.unsubscribe",
	"crm_app.api.marketing.confirm_consent",
	"CRM Campaign.start",
	"CRM Campaign.pause",
	"CRM Campaign.resume",
	"CRM Campaign.cancel_sending",
]
crm_portal_methods = [
	"login",
	"logout",
	"ping",
	"frappe.auth.get_logged_user",
	"frappe.realtime.get_user_info",
	"frappe.core.doctype.user.user.test_password_strength",
	"frappe.core.doctype.user.user.update_password",
	"frappe.website.doctype.web_page_view.web_page_view.make_view_log",
	"crm_app.api.leads.submit_inquiry",
	"crm_app.api.knowledge.search",
	"crm_app.api.knowledge.search_public",
	"crm_app.api.feedback.rate",
	"crm_app.api.portal.raise_ticket",
	"crm_app.api.portal.reply",
	"crm_app.api.portal.rate",
	"crm_app.api.portal.attach",
	"crm_app.api.portal.attachment",
	"crm_app.api.portal.quotation_pdf",
	"crm_app.api.marketing.unsubscribe",
	"crm_app.api.marketing.confirm_consent",
]

# The customer self-service portal: its pages (crm_app/www/) and where an invited contact lands after login.
portal_menu_items = [
	*(
		{
			"title": page["title"],
			"route": f"/{page['route']}",
			"reference_doctype": doctype,
			"role": "CRM Customer",
		}
		for doctype, page in crm_portal_doctypes.items()
	),
	{"title": "Knowledge Base", "route": "/knowledge_base", "role": "CRM Customer"},
]
role_home_page = {"CRM Customer": "my_tickets"}
website_route_rules = [
	{"from_route": "/my_tickets/<name>", "to_route": "my_ticket"},
	*(
		rule
		for doctype, page in crm_portal_doctypes.items()
		if doctype != "CRM Ticket"
		for rule in (
			{"from_route": f"/{page['route']}", "to_route": "my_records", "defaults": {"doctype": doctype}},
			{
				"from_route": f"/{page['route']}/<name>",
				"to_route": "my_record",
				"defaults": {"doctype": doctype},
			},
		)
	),
	{"from_route": "/knowledge_base/<name>", "to_route": "knowledge_article"},
]

additional_timeline_content = {
	doctype: ["crm_app.customers.doctype.crm_interaction.crm_interaction.interaction_timeline_content"]
	for doctype in ("CRM Customer", "CRM Lead", "CRM Opportunity")
}
additional_timeline_content["CRM Customer"].append("crm_app.service.tickets.ticket_timeline_content")

scheduler_events = {
	"cron": {
		"* * * * *": ["crm_app.jobs.deliver_messages"],
		"*/5 * * * *": [
			"crm_app.jobs.forget_follows_of_hidden_records",
			"crm_app.jobs.save_unanswered_searches",
			"crm_app.jobs.update_ticket_slas",
			"crm_app.jobs.send_invoice_requests",
		],
	},
	# on the long queue, away from the requests' short jobs; the scheduler never queues a job while its last run
	# is queued or running, and the analysis, which can also be started by hand, holds a lock of its own
	"daily_long": [
		"crm_app.jobs.remind_follow_ups",
		"crm_app.jobs.return_idle_records_to_pool",
		"crm_app.jobs.alert_stalled_deals",
		"crm_app.jobs.remind_replacements",
		"crm_app.jobs.analyse_customers_and_products",
		"crm_app.jobs.expire_coupons",
	],
	"hourly_long": ["crm_app.jobs.run_journeys"],
}

doc_events = {
	"*": {
		"before_validate": [
			"crm_app.validation.keep_computed_fields",
			"crm_app.permissions.refuse_links_to_unseen_records",
		],
		"validate": "crm_app.permissions.fill_owner_copies",
		"on_update": "crm_app.permissions.refresh_copies_of_owner",
	},
	"ToDo": {
		"after_insert": [
			"crm_app.sales_pipeline.pool.take_ownership_from_assignment",
			"crm_app.service.doctype.crm_service_team.crm_service_team.take_ticket_from_assignment",
		]
	},
	"Version": {"before_insert": "crm_app.history.blank_empty_values"},
	"Communication": {
		"before_insert": "crm_app.service.tickets.thread_mail",
		"after_insert": "crm_app.service.tickets.resume_on_reply",
	},
	"File": {"validate": "crm_app.permissions.refuse_foreign_private_files"},
	"User": {
		"on_update": "crm_app.sales_pipeline.pool.sync_lead_assignment_users",
		"after_delete": "crm_app.sales_pipeline.pool.sync_lead_assignment_users",
	},
	"CRM Lead": {"on_change": "crm_app.sales_pipeline.pool.tell_managers_of_unowned_lead"},
	"CRM Payment": {"on_submit": "crm_app.sales_pipeline.einvoice.request_when_paid"},
	"CRM Sales Order": {
		"on_submit": "crm_app.analytics.product_sales.order_changed",
		"on_cancel": "crm_app.analytics.product_sales.order_changed",
	},
}

# A replica is read only while it is up and current (crm_app/replica.py): Frappe's own switch to it stays on the
# primary, and the report runner, list views and analytics go through the app's.
before_request = ["crm_app.replica.keep_frappe_reads_on_primary"]
before_job = ["crm_app.replica.keep_frappe_reads_on_primary"]

override_whitelisted_methods = {
	"frappe.client.get_count": "crm_app.api.side_doors.get_count",
	"frappe.client.validate_link": "crm_app.api.side_doors.validate_link",
	"frappe.desk.search.get_link_title": "crm_app.api.side_doors.get_link_title",
	"frappe.desk.form.load.getdoc": "crm_app.api.side_doors.getdoc",
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get": "crm_app.api.side_doors.get_chart",
	"frappe.desk.doctype.kanban_board.kanban_board.update_order_for_single_card": (
		"crm_app.api.side_doors.update_order_for_single_card"
	),
	"frappe.desk.doctype.kanban_board.kanban_board.update_order": "crm_app.api.side_doors.update_order",
	"frappe.desk.doctype.number_card.number_card.get_result": "crm_app.api.side_doors.get_card_result",
	"frappe.desk.doctype.number_card.number_card.get_percentage_difference": (
		"crm_app.api.side_doors.get_card_difference"
	),
	"frappe.desk.listview.get_group_by_count": "crm_app.api.side_doors.get_group_by_count",
	"frappe.utils.print_format.download_pdf": "crm_app.api.side_doors.download_pdf",
	"frappe.client.get": "crm_app.api.side_doors.get_doc",
	"frappe.desk.form.utils.get_next": "crm_app.api.side_doors.get_next",
	"frappe.desk.query_report.run": "crm_app.api.reports.run",
	"frappe.desk.reportview.get": "crm_app.api.reports.get",
	"frappe.desk.reportview.get_count": "crm_app.api.reports.get_count",
	"frappe.desk.page.setup_wizard.setup_wizard.setup_complete": "crm_app.api.setup_wizard.setup_complete",
	"frappe.desk.page.setup_wizard.setup_wizard.initialize_system_settings_and_user": (
		"crm_app.api.setup_wizard.initialize_system_settings_and_user"
	),
}

jinja = {
	"methods": ["crm_app.domain.money.rmb_uppercase"],
}

standard_queries = {
	"CRM Customer": "crm_app.api.customers.search",
}
