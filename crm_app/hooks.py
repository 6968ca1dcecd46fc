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
}

# Records that belong to customers, seen by exactly those who may see every customer they link to.
crm_customer_scoped_doctypes = {
	"CRM Interaction": ["customer"],
	"CRM Duplicate Candidate": ["customer", "similar_customer"],
}

# Child tables of the customer. Frappe lets a child table be listed on its own (with parent_doctype), so it
# needs the same row rules as its parent.
crm_customer_child_doctypes = ["CRM Customer Contact", "CRM Customer Tag"]

_row_permission_doctypes = [*crm_owner_fields, *crm_customer_scoped_doctypes]
permission_query_conditions = {
	doctype: "crm_app.permissions.get_permission_query_conditions"
	for doctype in [*_row_permission_doctypes, *crm_customer_child_doctypes]
}
has_permission = {doctype: "crm_app.permissions.has_permission" for doctype in _row_permission_doctypes}

additional_timeline_content = {
	"CRM Customer": ["crm_app.customers.doctype.crm_customer.crm_customer.interaction_timeline_content"],
}

scheduler_events = {
	"daily_long": ["crm_app.jobs.apply_tag_rules"],
}

doc_events = {
	"*": {"validate": "crm_app.permissions.refuse_links_to_hidden_records"},
}

override_whitelisted_methods = {
	"frappe.client.get_count": "crm_app.api.counts.get_count",
}
