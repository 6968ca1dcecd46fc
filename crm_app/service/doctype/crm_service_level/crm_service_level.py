"""CRM Service Level: working hours, a holiday calendar and response and resolution targets per priority, which
crm_app.service.sla turns into ticket deadlines."""

from collections import Counter, defaultdict

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, get_time

from crm_app.domain.errors import DomainError
from crm_app.domain.sla import (
	PRIORITIES,
	at_risk_share,
	check_overlaps,
	check_priority_rows,
	check_targets,
	working_span,
)
from crm_app.service.sla import forget_service_levels
from crm_app.validation import throw_domain_error


class CRMServiceLevel(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		self.check_working_hours()
		self.check_targets()
		try:
			at_risk_share(flt(self.at_risk_percent))
		except DomainError as error:
			throw_domain_error(error)

	def check_working_hours(self):
		spans = defaultdict(list)
		for row in self.working_hours:
			try:
				spans[row.weekday].append(working_span(get_time(row.start_time), get_time(row.end_time)))
			except DomainError as error:
				throw_domain_error(error, f"{_('Working Hours')} #{row.idx}")
		for weekday, day_spans in spans.items():
			try:
				check_overlaps(day_spans)
			except DomainError as error:
				throw_domain_error(error, _(weekday))

	def check_targets(self):
		for row in self.targets:
			try:
				check_targets(cint(row.response_minutes), cint(row.resolution_minutes))
			except DomainError as error:
				throw_domain_error(error, f"{_('Targets')} #{row.idx}")
		rows = Counter(row.priority for row in self.targets)
		for priority in PRIORITIES:
			try:
				check_priority_rows(rows[priority])
			except DomainError as error:
				throw_domain_error(error, _(priority))

	def on_update(self):
		if self.is_default:
			level = frappe.qb.DocType("CRM Service Level")
			frappe.qb.update(level).set(level.is_default, 0).where(level.is_default == 1).where(
				level.name != self.name
			).run()
		forget_service_levels()
