"""Connects pytest to the Frappe test site when tests/run_integration.py names one; a no-op otherwise."""

import os


def pytest_configure(config):
	site = os.environ.get("CRM_TEST_SITE")
	if not site:
		return
	import frappe

	frappe.init(site=site, sites_path=os.environ["CRM_SITES_PATH"])
	frappe.connect()


def pytest_unconfigure(config):
	if os.environ.get("CRM_TEST_SITE"):
		import frappe

		frappe.destroy()
