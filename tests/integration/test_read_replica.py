"""Reports, list views and analytics read from a MariaDB read replica while it is up and current, and from the
primary while it lags or is down; writes always go to the primary.

A private primary and replica (tests/integration/replica.py) carry a site of their own, served over HTTP, so the
main suite's site and its connection are not involved. Reads are traced by a record planted on the replica alone:
whatever shows it was read from the replica, whatever misses it from the primary."""

import json
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pymysql
import pytest

from tests.integration.client import Client
from tests.integration.conftest import BENCH, LOGS, PASSWORD
from tests.integration.replica import ReplicaSite, Replication, missing_binaries, wait_until

MAX_LAG_SECONDS = 3
HEALTH_CHECK_SECONDS = 1
MANAGER = "replica.manager@crm-test.example.cn"
# ER_OPTION_PREVENTS_STATEMENT: the server runs with --read-only
READ_ONLY_ERROR = 1290


@dataclass
class World:
	replication: Replication
	site: ReplicaSite
	manager: Client

	def plant(self) -> str:
		"""A customer of the manager's that only the replica has."""
		name = f"CUST-REPLICA-{secrets.token_hex(4)}"
		self.replication.replica.query(
			f"insert into `{self.site.db_name}`.`tabCRM Customer` (name, customer_name, customer_type,"
			" sales_owner, owner, modified_by, creation, modified) values (%s, %s, 'Company', %s, %s, %s,"
			" now(6), now(6))",
			(name, f"仅在从库{name}有限公司", MANAGER, MANAGER, MANAGER),
		)
		assert not self.on_primary(name)
		return name

	def on_primary(self, name: str) -> bool:
		return bool(
			self.replication.primary.value(
				f"select count(*) from `{self.site.db_name}`.`tabCRM Customer` where name = %s", (name,)
			)
		)

	def on_replica(self, name: str) -> bool:
		return bool(
			self.replication.replica.value(
				f"select count(*) from `{self.site.db_name}`.`tabCRM Customer` where name = %s", (name,)
			)
		)

	def primary_count(self) -> int:
		return self.replication.primary.value(
			f"select count(*) from `{self.site.db_name}`.`tabCRM Customer` where sales_owner = %s", (MANAGER,)
		)

	def listed(self, name: str) -> bool:
		"""Whether the desk's list view of customers shows `name`."""
		response = self.manager.get(
			"frappe.desk.reportview.get",
			doctype="CRM Customer",
			fields=json.dumps(["`tabCRM Customer`.`name`"]),
			filters=json.dumps([["CRM Customer", "name", "=", name]]),
		)
		assert response.status_code == 200, response.text
		message = response.json().get("message") or {}
		return bool(message.get("values")) if isinstance(message, dict) else bool(message)

	def counted(self, name: str) -> int:
		response = self.manager.get(
			"frappe.desk.reportview.get_count",
			doctype="CRM Customer",
			filters=json.dumps([["CRM Customer", "name", "=", name]]),
		)
		assert response.status_code == 200, response.text
		return response.json()["message"]

	def report_count(self) -> int:
		"""The manager's number of customers in 客户信息完整率 (CRM Data Completeness)."""
		response = self.manager.get(
			"frappe.desk.query_report.run", report_name="CRM Data Completeness", filters="{}"
		)
		assert response.status_code == 200, response.text
		rows = response.json()["message"]["result"]
		return next((row["customers"] for row in rows if row.get("sales_owner") == MANAGER), 0)

	def create_customer(self) -> str:
		response = self.manager.insert(
			"CRM Customer", {"customer_name": f"主库写入{secrets.token_hex(4)}有限公司"}
		)
		assert response.status_code == 200, response.text
		name = response.json()["data"]["name"]
		assert self.on_primary(name)
		return name

	def reading_from_replica(self, marker: str) -> None:
		"""Wait until the site reads from the replica again (its health verdict lasts a second)."""
		wait_until(lambda: self.listed(marker), "the list view showing the replica's record")


def logged_in(site: ReplicaSite, user: str, password: str) -> Client:
	client = Client(site.url, site.name, user)
	response = client.request("POST", "/api/method/login", json={"usr": user, "pwd": password})
	assert response.status_code == 200, response.text
	return client


@pytest.fixture(scope="module")
def world():
	if reason := missing_binaries():
		pytest.skip(reason)
	root = Path(tempfile.mkdtemp(prefix="crm-replica-"))
	replication = Replication(root)
	site = ReplicaSite(BENCH, replication, LOGS)
	try:
		replication.start()
		site.create(MAX_LAG_SECONDS, HEALTH_CHECK_SECONDS)
		site.serve()
		admin = logged_in(site, "Administrator", site.admin_password)
		response = admin.insert(
			"User",
			{
				"email": MANAGER,
				"first_name": "从库测试经理",
				"send_welcome_email": 0,
				"new_password": PASSWORD,
				"roles": [{"role": "CRM Sales Manager"}, {"role": "CRM Sales User"}],
			},
		)
		assert response.status_code == 200, response.text
		print(
			f"replication started in {replication.started_in:.1f}s (primary :{replication.primary.port}, "
			f"replica :{replication.replica.port}); site {site.name} made in {site.created_in:.0f}s"
		)
		yield World(replication, site, logged_in(site, MANAGER, PASSWORD))
	finally:
		site.drop()
		replication.stop()
		shutil.rmtree(root, ignore_errors=True)


def test_reports_lists_and_analytics_read_from_the_replica(world):
	marker = world.plant()
	world.reading_from_replica(marker)

	assert world.report_count() == world.primary_count() + 1
	assert world.counted(marker) == 1
	suggestions = world.manager.get("crm_app.api.analytics.often_also_buys", customer=marker)
	assert suggestions.status_code == 200, suggestions.text
	# a form reads from the primary, which has no such record
	assert world.manager.get_doc("CRM Customer", marker).status_code == 404


def test_a_report_refused_while_reading_from_the_replica_answers_417(world):
	"""Frappe logs a refused report in Error Log: that write waits for the primary instead of failing on the
	replica, so the user gets the refusal, not a server error."""
	world.reading_from_replica(world.plant())
	response = world.manager.get(
		"frappe.desk.query_report.run",
		report_name="CRM Sales Ranking",
		filters=json.dumps({"from_date": "x"}),
	)
	assert response.status_code == 417, response.text[:300]


def test_writes_go_to_the_primary_and_replicate(world):
	name = world.create_customer()
	response = world.manager.update("CRM Customer", name, {"city": "杭州市", "province": "浙江省"})
	assert response.status_code == 200, response.text
	city = f"select city from `{world.site.db_name}`.`tabCRM Customer` where name = %s"
	assert world.replication.primary.value(city, (name,)) == "杭州市"
	world.replication.catch_up()
	assert world.replication.replica.value(city, (name,)) == "杭州市"


def test_the_site_cannot_write_to_the_replica(world):
	config = json.loads(world.site.config_path.read_text())
	connection = pymysql.connect(
		host="127.0.0.1",
		port=world.replication.replica.port,
		user=config["db_name"],
		password=config["db_password"],
		database=config["db_name"],
	)
	with connection, connection.cursor() as cursor, pytest.raises(pymysql.err.OperationalError) as refused:
		cursor.execute("update `tabCRM Customer` set modified = now(6)")
	assert refused.value.args[0] == READ_ONLY_ERROR


def test_a_replica_whose_replication_stopped_is_not_read(world):
	marker = world.plant()
	world.reading_from_replica(marker)
	world.replication.replica.query("stop slave sql_thread")
	try:
		written = world.create_customer()
		# its lag is NULL now: reads move to the primary, which has the new record and not the planted one
		wait_until(lambda: world.listed(written), "the list view reading from the primary")
		assert not world.on_replica(written)
		assert not world.listed(marker)
		assert world.report_count() == world.primary_count()
		assert world.manager.get("crm_app.api.analytics.often_also_buys", customer=marker).status_code == 404
	finally:
		world.replication.replica.query("start slave sql_thread")
	world.replication.catch_up()
	world.reading_from_replica(marker)
	assert world.listed(written)


def test_a_replica_too_far_behind_is_not_read(world):
	marker = world.plant()
	world.reading_from_replica(marker)
	replica = world.replication.replica
	replica.query("stop slave")
	replica.query("change master to master_delay = 3600")
	replica.query("start slave")
	try:
		written = world.create_customer()
		# the replica holds the new record back; once it is more than MAX_LAG_SECONDS behind, reads move
		wait_until(lambda: world.listed(written), "the list view reading from the primary")
		assert world.replication.replica_status()["Seconds_Behind_Master"] > MAX_LAG_SECONDS
		assert not world.on_replica(written)
		assert not world.listed(marker)
		assert world.report_count() == world.primary_count()
	finally:
		replica.query("stop slave")
		replica.query("change master to master_delay = 0")
		replica.query("start slave")
	world.replication.catch_up()
	world.reading_from_replica(marker)


def test_a_replica_that_is_down_is_not_read(world):
	marker = world.plant()
	world.reading_from_replica(marker)
	replica = world.replication.replica
	replica.kill()
	try:
		# the first read finds the replica gone and answers from the primary
		assert world.report_count() == world.primary_count()
		assert not world.listed(marker)
		assert world.counted(marker) == 0
		written = world.create_customer()
		assert world.listed(written)
		for method, args in (
			(
				"frappe.desk.reportview.get_sidebar_stats",
				{"stats": '["sales_owner"]', "doctype": "CRM Customer"},
			),
			("crm_app.api.workspace.overdue_follow_ups", {"filters": '{"scope": "mine"}'}),
			("crm_app.api.analytics.often_also_buys", {"customer": written}),
		):
			response = world.manager.get(method, **args)
			assert response.status_code == 200, f"{method}: {response.status_code} {response.text}"
		assert {row["name"] for row in world.manager.list("CRM Customer")} >= {written}
	finally:
		replica.start()
	world.replication.catch_up()
	world.reading_from_replica(marker)
