"""Reads from the site's MariaDB replica, while it is up and current.

A site reads from a replica when its config sets `read_from_replica`, `replica_host` and `replica_db_port`, as
Frappe has it. Frappe's own `frappe.read_only()` connects to the replica without asking whether it is up or how
far behind: it fails the call when the replica is down and serves whatever a lagging replica holds. So on such a
site Frappe's switch is held on the primary (`keep_frappe_reads_on_primary`), and the app's read paths use
`read_only` below: the replica while a recent check found it reachable and at most `replica_max_lag_seconds`
behind its primary, the primary otherwise. The verdict is shared by every worker through Redis for
`replica_health_check_seconds`; a connection to the replica that fails turns it at once.
"""

import functools
from contextlib import contextmanager, suppress

import frappe
import pymysql

from crm_app.domain.replication import replica_problem

HEALTH_KEY = "crm_app:replica_healthy"
DEFAULT_MAX_LAG_SECONDS = 10
DEFAULT_HEALTH_CHECK_SECONDS = 15
# the client's codes for a server it cannot reach or lost on the way
CONNECTION_ERRORS = frozenset({2003, 2006, 2013, 2055})
_UNSET = object()


def read_only(fn):
	"""Decorator: `fn` reads from the replica while it is healthy, from the primary otherwise. It must not write:
	the replica refuses writes, and frappe.db is the primary again once `fn` returns or raises."""

	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		with replica_reads():
			return fn(*args, **kwargs)

	return wrapper


@contextmanager
def replica_reads():
	local = frappe.local
	switched_from = getattr(local, "primary_db", None)
	if not frappe.conf.read_from_replica or (switched_from is not None and local.db is not switched_from):
		yield  # no replica, or already reading from it
		return
	primary = local.db
	replica = healthy_replica()
	saved = {name: getattr(local, name, _UNSET) for name in ("primary_db", "replica_db")}
	# with both set, a frappe.read_only() nested in the call keeps the connection chosen here
	local.primary_db, local.replica_db = primary, replica or primary
	local.db = replica or primary
	# what Frappe writes on its own while reading (an Error Log of a refused report) waits for the primary
	read_only_before, frappe.flags.read_only = frappe.flags.read_only, replica is not None
	try:
		yield
	except (pymysql.err.OperationalError, pymysql.err.InterfaceError) as e:
		if replica is not None and local.db is replica and is_connection_error(e):
			mark_unhealthy(f"dropped the connection: {e}")
		raise
	finally:
		local.db = primary
		frappe.flags.read_only = read_only_before
		for name, value in saved.items():
			if value is _UNSET:
				delattr(local, name)
			else:
				setattr(local, name, value)
		if replica is not None:
			close(replica)


@contextmanager
def primary_reads():
	"""Within a replica read, read from the primary: what is cached for every request must be current."""
	local = frappe.local
	replica = local.db
	local.db = getattr(local, "primary_db", None) or replica
	try:
		yield
	finally:
		local.db = replica


def keep_frappe_reads_on_primary():
	"""before_request and before_job: on a site that reads from a replica, Frappe's `frappe.read_only()` finds a
	switch already made, to the primary, and makes none of its own; `read_only` decides instead."""
	local = frappe.local
	if frappe.conf.read_from_replica and not hasattr(local, "primary_db"):
		local.primary_db = local.replica_db = local.db


def healthy_replica():
	"""A connection to the replica, or None while it is down or too far behind."""
	healthy = frappe.cache.get_value(HEALTH_KEY, expires=True)
	if healthy is False:
		return None
	replica = replica_connection()
	try:
		replica.connect()
		status = None if healthy else replica.sql("show slave status", as_dict=True)
	except Exception as e:  # whatever keeps the replica from answering, the primary answers
		close(replica)
		mark_unhealthy(f"cannot be checked: {e}")
		return None
	if status is not None:
		if problem := replica_problem(status[0] if status else None, max_lag_seconds()):
			close(replica)
			mark_unhealthy(problem)
			return None
		frappe.cache.set_value(HEALTH_KEY, True, expires_in_sec=health_check_seconds())
	return replica


def replica_connection():
	"""The replica's connection as Frappe's `connect_replica` makes it, not yet connected."""
	from frappe.database import get_db

	conf = frappe.conf
	user, password = conf.db_name, conf.db_password
	if conf.different_credentials_for_replica:
		user, password = conf.replica_db_name, conf.replica_db_password
	return get_db(
		socket=None,
		host=conf.replica_host,
		port=conf.replica_db_port,
		user=user,
		password=password,
		cur_db_name=conf.db_name,
	)


def mark_unhealthy(problem: str) -> None:
	frappe.cache.set_value(HEALTH_KEY, False, expires_in_sec=health_check_seconds())
	frappe.logger("crm_app.replica").error(f"reading from the primary: the replica {problem}")


def close(connection) -> None:
	with suppress(pymysql.err.Error):  # a connection the server dropped is closed already
		connection.close()


def is_connection_error(error: Exception) -> bool:
	return isinstance(error, pymysql.err.InterfaceError) or (
		bool(error.args) and error.args[0] in CONNECTION_ERRORS
	)


def max_lag_seconds() -> float:
	return float(frappe.conf.get("replica_max_lag_seconds", DEFAULT_MAX_LAG_SECONDS))


def health_check_seconds() -> int:
	# Redis keeps a value without an expiry for ever
	return max(1, int(frappe.conf.get("replica_health_check_seconds", DEFAULT_HEALTH_CHECK_SECONDS)))
