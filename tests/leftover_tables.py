"""Print the crm_app tables (its DocTypes' and its own search index) still present on a site (run with the bench's Python from its sites folder)."""

import sys

import frappe

frappe.init(site=sys.argv[1], sites_path=".")
frappe.connect()
tables = frappe.db.sql("show tables like 'tabCRM %%'") + frappe.db.sql("show tables like 'crm\\_%%'")
print(" ".join(row[0] for row in tables))
frappe.destroy()
