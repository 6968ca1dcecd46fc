"""Session fixtures for the integration suite: a real web server and RQ worker on the test site, and users of
every role, each with an API key, organised in sales teams."""

import os
import random
import subprocess
import time
from itertools import count
from pathlib import Path
from urllib.parse import urlparse

import frappe
import pytest
import requests
from frappe.utils.background_jobs import get_queues, get_redis_conn
from rq import Worker
from rq.registry import StartedJobRegistry

from crm_app.background import forget_finished_run
from crm_app.domain.uscc import ALPHABET, check_character
from tests.integration.client import Client
from tests.integration.fake_gateway import FakeGateway

SITE = os.environ.get("CRM_TEST_SITE", "")
BENCH = Path(os.environ.get("FRAPPE_BENCH", Path.home() / "frappe-bench"))
SITES = Path(os.environ.get("CRM_SITES_PATH", BENCH / "sites"))
LOGS = Path(os.environ.get("CRM_TEST_LOGS", "/tmp"))

# key -> (roles, language)
USERS = {
	"admin": (["CRM Admin"], "en"),
	"chief": (["CRM Admin"], "zh"),
	"east_manager": (["CRM Sales Manager", "CRM Sales User"], "en"),
	"south_manager": (["CRM Sales Manager", "CRM Sales User"], "en"),
	"sales_a": (["CRM Sales User"], "en"),
	"sales_b": (["CRM Sales User"], "zh"),
	"sales_c": (["CRM Sales User"], "en"),
	"sales_d": (["CRM Sales User"], "en"),
	"warehouse": (["CRM Warehouse"], "en"),
	"finance": (["CRM Finance"], "en"),
	"agent_east": (["CRM Service Agent"], "zh"),
	"agent_south": (["CRM Service Agent"], "en"),
	"service_manager": (["CRM Service Manager"], "zh"),
	"outsider": (["Blogger"], "en"),
	"portal": ([], "en"),  # a Website user of no customer
	"customer": (["CRM Customer"], "en"),  # a Website user invited to the portal as a contact of a customer
}
# team -> (parent, manager, members)
TEAMS = {
	"华东销售部": (None, "east_manager", ["sales_a", "sales_b"]),
	"杭州组": ("华东销售部", None, ["sales_d"]),
	"华南销售部": (None, "south_manager", ["sales_c"]),
}

# service team -> (manager, agents, routing)
SERVICE_TEAMS = {
	"华东服务组": ("service_manager", ["agent_east"], {"product_type": "Goods"}),
	"华南服务组": (None, ["agent_south"], {"channel": "Email"}),
}

PASSWORD = "Crm-Test-Passw0rd!"
REPLY_TOKEN = "crm-test-sms-reply-token"
message_ids = count(1)


def email_of(key: str) -> str:
	return f"{key}@crm-test.example.cn"


def fresh():
	"""Forget this process's transaction snapshot, so the next read sees what the server committed."""
	frappe.db.rollback()


def start(cmd: list, log_name: str) -> subprocess.Popen:
	log = open(LOGS / log_name, "w")
	return subprocess.Popen(cmd, cwd=SITES, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
	os.killpg(process.pid, 15)
	process.wait(timeout=30)


@pytest.fixture(scope="session")
def base_url():
	"""gunicorn serving the site and its static assets at the site's own URL (its host_name, an address on
	loopback set when the site was made), so that server-side fetches reach it without a name lookup."""
	url = frappe.local.conf.host_name
	port = urlparse(url).port
	assert url.startswith("http://127.0.0.1:") and port, (
		"the test site's host_name must be http://127.0.0.1:<port>"
	)
	server = start(
		[
			str(BENCH / "env/bin/gunicorn"),
			"-b",
			f"127.0.0.1:{port}",
			"-w",
			"2",
			"--threads",
			"4",
			"-t",
			"120",
			"frappe.app:application_with_statics()",
		],
		f"crm_app-gunicorn-{port}.log",
	)
	for _ in range(120):
		try:
			if requests.get(f"{url}/api/method/ping", headers={"X-Frappe-Site-Name": SITE}, timeout=5).ok:
				break
		except (requests.ConnectionError, requests.Timeout):  # not up yet, or still loading on a busy machine
			time.sleep(0.5)
	else:
		stop(server)
		pytest.fail("the web server did not start")
	yield url
	stop(server)


@pytest.fixture(scope="session")
def worker():
	process = start(
		[
			str(BENCH / "env/bin/python"),
			"-m",
			"frappe.utils.bench_helper",
			"frappe",
			"worker",
			"--queue",
			"short,default,long",
		],
		f"crm_app-worker-{os.getpid()}.log",
	)
	yield process
	stop(process)


def ensure_user(key: str, roles: list[str], language: str) -> tuple[str, str]:
	email = email_of(key)
	if frappe.db.exists("User", email):
		user = frappe.get_doc("User", email)
	else:
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": key,
				"send_welcome_email": 0,
				"user_type": "System User" if set(roles) - {"CRM Customer"} else "Website User",
			}
		)
	user.language = language
	user.set("roles", [{"role": role} for role in roles])
	user.api_key = user.api_key or frappe.generate_hash(length=15)
	secret = frappe.generate_hash(length=15)
	user.api_secret = secret
	user.new_password = PASSWORD
	user.flags.ignore_permissions = True
	user.save() if not user.is_new() else user.insert()
	return user.api_key, secret


def ensure_service_teams():
	for team, (manager, agents, routing) in SERVICE_TEAMS.items():
		if not frappe.db.exists("CRM Service Team", team):
			frappe.get_doc(
				{
					"doctype": "CRM Service Team",
					"team_name": team,
					"manager": email_of(manager) if manager else None,
					"members": [{"user": email_of(agent)} for agent in agents],
					**routing,
				}
			).insert(ignore_permissions=True)


def ensure_teams():
	for team, (parent, manager, members) in TEAMS.items():
		if frappe.db.exists("CRM Sales Team", team):
			continue
		frappe.get_doc(
			{
				"doctype": "CRM Sales Team",
				"team_name": team,
				"parent_crm_sales_team": parent,
				"manager": email_of(manager) if manager else None,
				"members": [{"user": email_of(member)} for member in members],
			}
		).insert(ignore_permissions=True)


@pytest.fixture(scope="session")
def users(base_url) -> dict[str, Client]:
	frappe.set_user("Administrator")
	keys = {key: ensure_user(key, roles, language) for key, (roles, language) in USERS.items()}
	ensure_teams()
	ensure_service_teams()
	# as after the owner finished Frappe's setup wizard; until then the desk sends everyone else to it
	frappe.db.set_value("Installed Application", {"has_setup_wizard": 1}, "is_setup_complete", 1)
	# The default lead rule now shares new leads among the salespeople above; tests that need leads in the
	# public pool make them, and the assignment tests switch the rule on again.
	frappe.db.set_value("Assignment Rule", "CRM Lead Round Robin", "disabled", 1)
	frappe.db.commit()
	clients = {key: Client(base_url, SITE, email_of(key), *keys[key]) for key in USERS}
	# Chinese-speaking users log in like the desk does, so their language applies to every response.
	for key, (_roles, language) in USERS.items():
		if language == "zh":
			clients[key].login(PASSWORD)
	return clients


_used = set()


def unique_mobile() -> str:
	while True:
		number = f"13{random.randint(0, 9)}{random.randint(0, 99999999):08d}"
		if number not in _used:
			_used.add(number)
			return number


def unique_uscc() -> str:
	body = "91" + "".join(random.choice(ALPHABET) for _ in range(15))
	return body + check_character(body)


def unique_name(prefix: str = "测试客户") -> str:
	return f"{prefix}{frappe.generate_hash(length=8)}有限公司"


def settle(limit: float = 900, site: str = SITE) -> None:
	"""Wait until the workers have finished every job of the site (the test site unless another is named) queued
	so far, and the jobs those queued.

	Idle means no job of the site whose status is still queued or started, none in a queue or a started-job
	registry and no worker busy with one, seen twice in a row a moment apart. A worker takes a job off its queue
	before it marks the job or itself as started, and on a loaded machine that moment can last: only the job's own
	status covers it. Every job id starts with its site's name, so the jobs of other sites on the bench (another
	suite running beside this one) never keep this one waiting. The limit only guards against a hung worker: a test
	that waits on background work asserts once, after it has all run, however slow the machine is.
	"""
	connection = get_redis_conn()
	deadline = time.monotonic() + limit
	quiet = 0
	while quiet < 2:
		quiet = 0 if site_busy(connection, site) else quiet + 1
		if time.monotonic() > deadline:
			pytest.fail(f"background jobs still running after {limit:.0f}s: is the worker stuck?")
		time.sleep(0.2)
	fresh()


def site_busy(connection, site: str) -> bool:
	ours = f"{site}::"
	if unfinished_job(connection, ours):
		return True
	for queue in get_queues(connection):
		ids = [*queue.get_job_ids(), *StartedJobRegistry(queue=queue).get_job_ids()]
		if any(job_id.startswith(ours) for job_id in ids):
			return True
	return any(
		worker.get_state() == "busy" and (worker.get_current_job_id() or ours).startswith(ours)
		for worker in Worker.all(connection=connection)
	)


def unfinished_job(connection, prefix: str) -> bool:
	return any(
		connection.type(key) == b"hash" and connection.hget(key, "status") in (b"queued", b"started")
		for key in connection.scan_iter(f"rq:job:{prefix}*", count=1000)
	)


def wait_for(condition, what: str = "the condition"):
	"""The result of `condition` once every background job has run; fails if it is still falsy then."""
	settle()
	result = condition()
	assert result, f"{what} did not happen, though every background job has finished"
	return result


def run_scheduled_job(method: str, limit: float = 900) -> None:
	"""Enqueue a scheduled job exactly as the scheduler does and let the worker finish it.

	The job's run is known by the Scheduled Job Log it leaves, a log that was not there before, rather than by
	the time on this process's clock: the wait ends when the worker has finished that run. The record of the last
	run goes first: the new job would keep its expiry, and could expire unseen while the worker is busy."""
	job = frappe.get_doc("Scheduled Job Type", {"method": method})
	earlier = set(frappe.get_all("Scheduled Job Log", {"scheduled_job_type": job.name}, pluck="name"))
	assert forget_finished_run(job.rq_job_id), f"{method} is already queued"
	assert job.enqueue(force=True), f"{method} is already queued"
	frappe.db.commit()
	deadline = time.monotonic() + limit
	while True:
		settle(limit)
		logs = [
			log
			for log in frappe.get_all(
				"Scheduled Job Log",
				filters={"scheduled_job_type": job.name},
				fields=["name", "status", "details"],
			)
			if log.name not in earlier
		]
		if logs and logs[0].status != "Start":
			break
		if time.monotonic() > deadline:
			workers = [
				(worker.name, worker.hostname, worker.pid)
				for worker in Worker.all(connection=get_redis_conn())
			]
			pytest.fail(f"{method} has not finished a run after {limit:.0f}s: logs {logs}; workers {workers}")
		time.sleep(0.2)
	assert logs[0].status == "Complete", logs[0].details


@pytest.fixture(scope="session")
def outgoing_email(users):
	"""The default outgoing account an admin sets up; mail is queued, never sent, as no SMTP server is reachable."""
	fresh()
	frappe.set_user("Administrator")
	if not frappe.db.exists("Email Account", "CRM 通知"):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "CRM 通知",
				"email_id": "notify@crm-test.example.cn",
				"service": "",
				"smtp_server": "smtp.crm-test.example.cn",
				"smtp_port": 465,
				"use_ssl_for_outgoing": 1,
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"awaiting_password": 1,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()


@pytest.fixture
def gateway():
	"""A fake HTTP gateway on loopback for a service the site calls out to (tests/integration/fake_gateway.py);
	the test points the site's settings at gateway.url."""
	with FakeGateway() as fake:
		yield fake


@pytest.fixture
def sms_gateway(users, gateway):
	"""SMS Settings point at the fake gateway, which accepts every message with an id, as a provider does."""
	gateway.route(
		"/sms/send", lambda request: {"code": 0, "msgid": f"SM{next(message_ids):06d}"}, method="POST"
	)
	fresh()
	frappe.set_user("Administrator")
	settings = frappe.get_doc("SMS Settings")
	settings.update(
		{
			"sms_gateway_url": f"{gateway.url}/sms/send",
			"message_parameter": "content",
			"receiver_parameter": "mobile",
			"use_post": 1,
			"parameters": [{"parameter": "apikey", "value": "crm-test-key", "header": 0}],
		}
	)
	settings.save()
	crm = frappe.get_doc("CRM Settings")
	crm.update({"sms_signature": "母婴之家", "sms_reply_token": REPLY_TOKEN})
	crm.save()
	frappe.db.commit()
	yield gateway
	fresh()
	frappe.db.set_single_value("SMS Settings", "sms_gateway_url", "")
	frappe.db.commit()
