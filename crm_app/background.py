"""Queueing a job under a fixed id, so that asking again while it is queued or running adds nothing."""

import frappe
from frappe.utils.background_jobs import get_job
from rq.job import JobStatus


def forget_finished_run(job_id: str) -> bool:
	"""Forget the record of a finished or failed run of `job_id`; False while a run is queued or running.

	RQ writes a new job over the record of an earlier one with the same id and keeps that record's expiry (ten
	minutes after a run finished): a job queued soon after the last run could expire before a busy worker reached
	it, and RQ skips an expired job without a word."""
	job = get_job(job_id)
	if job and job.get_status() in (JobStatus.QUEUED, JobStatus.STARTED):
		return False
	if job:
		job.delete()
	return True


def enqueue_once(method: str, job_id: str, **kwargs) -> bool:
	"""frappe.enqueue under `job_id` unless a run is queued or running; returns whether it was queued."""
	if not forget_finished_run(job_id):
		return False
	frappe.enqueue(method, job_id=job_id, **kwargs)
	return True
