"""Print the crm_app tables still present on a site (run with the bench's Python from its sites folder)."""

import sys

import frappe

frappe.init(site=sys.argv[1], sites_path=".")
frappe.connect()
print(" ".join(row[0] for row in frappe.db.sql("show tables like 'tabCRM %%'")))
frappe.destroy()
