"""Frappe's report runner and list views, reading from the site's replica only while it is up and current
(crm_app/replica.py), through `override_whitelisted_methods`. Each calls Frappe's own function from under its
decorators, Frappe's `frappe.read_only()` among them, with the arguments the caller sent: Frappe reads a whitelisted
function's arguments from its signature, which follows `__wrapped__` to Frappe's."""

import functools
import inspect

import frappe
from frappe.desk import query_report, reportview

from crm_app.replica import read_only

_run = inspect.unwrap(query_report.run)
_get = inspect.unwrap(reportview.get)
_get_count = inspect.unwrap(reportview.get_count)


@frappe.whitelist()
@read_only
@functools.wraps(_run, assigned=("__doc__",))
def run(*args, **kwargs):
	return _run(*args, **kwargs)


@frappe.whitelist()
@read_only
@functools.wraps(_get, assigned=("__doc__",))
def get(*args, **kwargs):
	return _get(*args, **kwargs)


@frappe.whitelist()
@read_only
@functools.wraps(_get_count, assigned=("__doc__",))
def get_count(*args, **kwargs):
	return _get_count(*args, **kwargs)
