import pytest

from crm_app.domain.replication import replica_problem


@pytest.mark.parametrize(
	("status", "max_lag", "problem"),
	[
		({"Seconds_Behind_Master": 0}, 300, None),
		({"Seconds_Behind_Master": 300}, 300, None),
		({"Seconds_Behind_Master": 301}, 300, "is 301 s behind its primary, more than the 300 s allowed"),
		({"Seconds_Behind_Master": 1}, 0, "is 1 s behind its primary, more than the 0 s allowed"),
		({"Seconds_Behind_Master": None, "Slave_SQL_Running": "No"}, 300, "has its replication stopped"),
		({"Seconds_Behind_Source": 5}, 300, None),
		({"Seconds_Behind_Source": 500}, 300, "is 500 s behind its primary, more than the 300 s allowed"),
		({"Seconds_Behind_Source": None}, 300, "has its replication stopped"),
		(None, 300, "does not replicate from any primary"),
		({}, 300, "does not replicate from any primary"),
	],
)
def test_replica_problem(status, max_lag, problem):
	assert replica_problem(status, max_lag) == problem
