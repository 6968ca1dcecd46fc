"""Whether a MariaDB replica is current enough to read from, judged from its row of SHOW SLAVE STATUS."""


def replica_problem(status: dict | None, max_lag_seconds: float) -> str | None:
	"""Why reads should not go to the replica whose status row is `status`, to follow "the replica", or None when
	they may.

	No row means the server replicates from no primary. A NULL lag means its SQL thread is stopped, or that it has
	applied all it received while its I/O thread is cut off from the primary: either way it falls behind unseen.
	"""
	if not status:
		return "does not replicate from any primary"
	lag = status.get("Seconds_Behind_Master", status.get("Seconds_Behind_Source"))
	if lag is None:
		return "has its replication stopped"
	if lag > max_lag_seconds:
		return f"is {lag:g} s behind its primary, more than the {max_lag_seconds:g} s allowed"
	return None
