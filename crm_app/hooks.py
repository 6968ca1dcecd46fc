app_name = "crm_app"
app_title = "CRM App"
app_publisher = "crm_app developers"
app_description = "Customer relationship management for Chinese small and medium businesses"
app_email = "dev@crm-app.invalid"
app_license = "MIT"

export_python_type_annotations = True

app_include_js = "crm_app.bundle.js"

after_install = "crm_app.install.after_install"
after_migrate = "crm_app.install.after_migrate"
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

# Owned records that may have no owner: they sit in the public pool, visible to every salesperson.
crm_pool_doctypes = ["CRM Customer", "CRM Lead"]

# Records that belong to other records, seen by exactly those who may see every record they link to.
crm_linked_doctypes = {
	"CRM Interaction": {"customer": "CRM Customer", "lead": "CRM Lead", "opportunity": "CRM Opportunity"},
	"CRM Duplicate Candidate": {"customer": "CRM Customer", "similar_customer": "CRM Customer"},
	"CRM Merge Log": {"survivor": "CRM Customer"},
}

# Logs about people, seen by those whose reach includes any of the people named.
crm_people_doctypes = {
	"CRM Pool Log": ["user", "previous_owner"],
	"CRM Handover": ["from_user", "to_user"],
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
}

_row_permission_doctypes = [*crm_owner_fields, *crm_linked_doctypes, *crm_people_doctypes]
permission_query_conditions = {
	doctype: "crm_app.permissions.get_permission_query_conditions"
	for doctype in [*_row_permission_doctypes, *crm_child_doctypes]
}
has_permission = {doctype: "crm_app.permissions.has_permission" for doctype in _row_permission_doctypes}

additional_timeline_content = {
	doctype: ["crm_app.customers.doctype.crm_interaction.crm_interaction.interaction_timeline_content"]
	for doctype in ("CRM Customer", "CRM Lead", "CRM Opportunity")
}

scheduler_events = {
	"daily": ["crm_app.jobs.return_idle_records_to_pool", "crm_app.jobs.alert_stalled_deals"],
	"daily_long": ["crm_app.jobs.apply_tag_rules"],
}

doc_events = {
	"*": {"validate": "crm_app.permissions.refuse_links_to_hidden_records"},
	"ToDo": {"after_insert": "crm_app.sales_pipeline.pool.take_ownership_from_assignment"},
}

override_whitelisted_methods = {
	"frappe.client.get_count": "crm_app.api.counts.get_count",
}

jinja = {
	"methods": ["crm_app.domain.money.rmb_uppercase"],
}

standard_queries = {
	"CRM Customer": "crm_app.api.customers.search",
}
