"""Scheduled jobs, listed in hooks.scheduler_events. Each one hands over to the module that owns the rule."""

from crm_app import follow_ups
from crm_app.analytics import nightly
from crm_app.marketing import campaigns, coupons, journeys
from crm_app.permissions import forget_follows_out_of_reach
from crm_app.sales_pipeline import einvoice, pool
from crm_app.sales_pipeline.doctype.crm_opportunity.crm_opportunity import alert_stalled_opportunities
from crm_app.service import knowledge, replacements, tickets


def analyse_customers_and_products():
	"""RFM, value tiers, tag rules, churn warnings and purchase association (crm_app/analytics/nightly.py)."""
	nightly.run()


def return_idle_records_to_pool():
	pool.return_idle_records()


def alert_stalled_deals():
	alert_stalled_opportunities()


def forget_follows_of_hidden_records():
	forget_follows_out_of_reach()


def remind_follow_ups():
	follow_ups.remind_follow_ups()


def save_unanswered_searches():
	knowledge.save_unanswered_searches()


def update_ticket_slas():
	tickets.update_sla_statuses()


def remind_replacements():
	replacements.remind_replacements()


def send_invoice_requests():
	"""E-invoice requests whose next try is due (crm_app/sales_pipeline/einvoice.py)."""
	einvoice.send_due_requests()


def expire_coupons():
	coupons.expire_coupons()


def deliver_messages():
	"""The minute's batch of campaign and journey e-mails and SMS (crm_app/marketing/sending.py)."""
	campaigns.deliver()


def run_journeys():
	"""Welcome, birthday, win-back and thank-you journeys (crm_app/marketing/journeys.py)."""
	journeys.run()
