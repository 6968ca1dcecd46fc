"""Scheduled jobs, listed in hooks.scheduler_events. Each one hands over to the controller that owns the rule."""

from crm_app.customers.doctype.crm_tag_rule.crm_tag_rule import apply_enabled_rules


def apply_tag_rules():
	apply_enabled_rules()
