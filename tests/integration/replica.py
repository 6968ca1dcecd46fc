"""A private MariaDB primary and read replica on loopback, replicating with GTIDs, and a Frappe site on them
served by its own gunicorn, for the tests of reads from a replica (test_read_replica.py).

Both servers live in a temporary directory, with their own data, sockets and logs, on free ports of 127.0.0.1,
and go with it at the end: the machine's own MariaDB is not touched and needs no binary log. The replica is
read-only, so the site's database user can never write to it."""

import getpass
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import pymysql
import redis
import requests
from rq import Queue
from rq.job import Job

BINARIES = ("mariadb-install-db", "mariadbd")
COMMON_OPTIONS = (
	"--bind-address=127.0.0.1",
	"--skip-name-resolve",
	# small: two of them share the machine with the web server and the main suite's site
	"--innodb-buffer-pool-size=256M",
	"--innodb-log-file-size=48M",
	"--max-connections=100",
	# as Frappe expects of its server
	"--character-set-server=utf8mb4",
	"--collation-server=utf8mb4_unicode_ci",
	"--binlog-format=ROW",
	# throwaway servers: durability is not what is tested
	"--innodb-flush-log-at-trx-commit=2",
	"--sync-binlog=0",
)


def binaries() -> dict[str, str]:
	"""{name: path} of MariaDB's server binaries; mariadbd usually lives in /usr/sbin, off a user's PATH."""
	found = {}
	for name in BINARIES:
		path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
		if path:
			found[name] = path
	return found


def missing_binaries() -> str | None:
	"""Why a private MariaDB cannot be started here, or None."""
	missing = [name for name in BINARIES if name not in binaries()]
	return f"{' and '.join(missing)} not installed: cannot start a private MariaDB" if missing else None


def free_port() -> int:
	with socket.socket() as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


def wait_until(condition, what: str, limit: float = 60, every: float = 0.2):
	"""The first truthy result of `condition` within `limit` seconds; fails naming `what` otherwise."""
	deadline = time.monotonic() + limit
	while True:
		if result := condition():
			return result
		if time.monotonic() > deadline:
			raise TimeoutError(f"{what} did not happen within {limit:.0f}s")
		time.sleep(every)


@dataclass
class Server:
	"""One mariadbd of its own, in `root`, on 127.0.0.1:`port`."""

	name: str
	root: Path
	server_id: int
	options: tuple[str, ...] = ()
	port: int = field(default_factory=free_port)
	password: str = ""  # root's, once set
	process: subprocess.Popen | None = None

	@property
	def datadir(self) -> Path:
		return self.root / "data"

	@property
	def socket(self) -> Path:
		return self.root / "mariadb.sock"

	@property
	def log(self) -> Path:
		return self.root / "error.log"

	@property
	def tmpdir(self) -> Path:
		return self.root / "tmp"

	def install(self) -> None:
		self.tmpdir.mkdir(parents=True, exist_ok=True)
		result = subprocess.run(
			[
				binaries()["mariadb-install-db"],
				"--no-defaults",
				f"--datadir={self.datadir}",
				f"--tmpdir={self.tmpdir}",
				f"--user={getpass.getuser()}",
				"--auth-root-authentication-method=normal",
				"--skip-test-db",
			],
			capture_output=True,
			text=True,
		)
		if result.returncode:
			raise RuntimeError(
				f"mariadb-install-db for the {self.name} failed:\n{result.stdout}{result.stderr}"
			)

	def start(self) -> None:
		self.process = subprocess.Popen(
			[
				binaries()["mariadbd"],
				"--no-defaults",
				f"--datadir={self.datadir}",
				f"--tmpdir={self.tmpdir}",
				f"--socket={self.socket}",
				f"--port={self.port}",
				f"--pid-file={self.root / 'mariadb.pid'}",
				f"--log-error={self.log}",
				f"--server-id={self.server_id}",
				# mariadbd refuses to run as root unless told to
				f"--user={getpass.getuser()}",
				*COMMON_OPTIONS,
				*self.options,
			],
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
			start_new_session=True,
		)
		wait_until(self.answers, f"the {self.name} MariaDB starting (log: {self.log})")

	def answers(self) -> bool:
		if self.process.poll() is not None:
			raise RuntimeError(f"the {self.name} MariaDB exited:\n{self.log_tail()}")
		try:
			self.connect().close()
		except pymysql.err.OperationalError:
			return False
		return True

	def connect(self, **kwargs) -> pymysql.connections.Connection:
		"""root over the server's own socket, with autocommit."""
		return pymysql.connect(
			unix_socket=str(self.socket),
			user="root",
			password=self.password,
			autocommit=True,
			charset="utf8mb4",
			**kwargs,
		)

	def query(self, sql: str, args=None) -> list[tuple]:
		with self.connect() as connection, connection.cursor() as cursor:
			cursor.execute(sql, args)
			return list(cursor.fetchall())

	def value(self, sql: str, args=None):
		rows = self.query(sql, args)
		return rows[0][0] if rows else None

	def kill(self) -> None:
		"""Gone at once, as in a crash."""
		if self.process and self.process.poll() is None:
			os.killpg(self.process.pid, signal.SIGKILL)
			self.process.wait(timeout=30)

	def stop(self) -> None:
		if self.process and self.process.poll() is None:
			os.killpg(self.process.pid, signal.SIGTERM)
			try:
				self.process.wait(timeout=60)
			except subprocess.TimeoutExpired:
				self.kill()

	def log_tail(self, lines: int = 30) -> str:
		return (
			"\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""
		)


@dataclass
class Replication:
	"""A primary writing a binary log and a read-only replica following it with GTIDs."""

	root: Path
	primary: Server = None
	replica: Server = None
	started_in: float = 0

	def __post_init__(self):
		self.primary = Server("primary", self.root / "primary", 1, ("--log-bin=binlog",))
		self.replica = Server("replica", self.root / "replica", 2, ("--read-only=ON", "--relay-log=relay"))

	def start(self) -> None:
		started = time.monotonic()
		servers = (self.primary, self.replica)
		# one at a time: two bootstraps at once have been seen to trip over each other's system tables
		for server in servers:
			server.install()
		with ThreadPoolExecutor(2) as pool:
			list(pool.map(Server.start, servers))
		password, repl_password = secrets.token_urlsafe(18), secrets.token_urlsafe(18)
		# Done on the primary, so the replica gets the same accounts by replicating them: root over its socket
		# and from 127.0.0.1 with a password, the replication account, and nothing else.
		others = self.primary.query(
			"select host from mysql.user where user = 'root' and host not in ('localhost', '127.0.0.1')"
		)
		statements = [f"drop user 'root'@'{host}'" for (host,) in others]
		statements += [
			"alter user 'root'@'localhost' identified by %(password)s",
			"alter user 'root'@'127.0.0.1' identified by %(password)s",
			"create user 'repl'@'127.0.0.1' identified by %(repl)s",
			"grant replication slave on *.* to 'repl'@'127.0.0.1'",
		]
		with self.primary.connect() as connection, connection.cursor() as cursor:
			for statement in statements:
				cursor.execute(statement, {"password": password, "repl": repl_password})
		self.primary.password = password
		# one session throughout: root's password changes on the replica as soon as it has caught up
		with self.replica.connect() as connection, connection.cursor() as cursor:
			cursor.execute(
				"change master to master_host = '127.0.0.1', master_port = %s, master_user = 'repl', "
				"master_password = %s, master_use_gtid = slave_pos",
				(self.primary.port, repl_password),
			)
			cursor.execute("start slave")
			self.catch_up(cursor)
		self.replica.password = password
		self.started_in = time.monotonic() - started

	def catch_up(self, replica_cursor=None, limit: int = 120) -> None:
		"""Wait until the replica has applied everything the primary has logged so far."""
		position = self.primary.value("select @@gtid_binlog_pos")
		wait = "select master_gtid_wait(%s, %s)"
		if replica_cursor:
			replica_cursor.execute(wait, (position, limit))
			result = replica_cursor.fetchone()[0]
		else:
			result = self.replica.value(wait, (position, limit))
		if result != 0:
			raise TimeoutError(
				f"the replica did not reach {position} within {limit}s: {self.replica_status()}"
			)

	def replica_status(self) -> dict:
		with self.replica.connect(cursorclass=pymysql.cursors.DictCursor) as connection:
			with connection.cursor() as cursor:
				cursor.execute("show slave status")
				return cursor.fetchone() or {}

	def stop(self) -> None:
		for server in (self.replica, self.primary):
			server.stop()


@dataclass
class ReplicaSite:
	"""A Frappe site on the private primary that reads from the private replica, served by gunicorn."""

	bench: Path
	replication: Replication
	logs: Path
	name: str = field(default_factory=lambda: f"replica-test-{secrets.token_hex(4)}.localhost")
	admin_password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
	port: int = field(default_factory=free_port)
	server: subprocess.Popen | None = None
	created_in: float = 0

	@property
	def sites(self) -> Path:
		return self.bench / "sites"

	@property
	def url(self) -> str:
		return f"http://127.0.0.1:{self.port}"

	@property
	def config_path(self) -> Path:
		return self.sites / self.name / "site_config.json"

	def frappe(self, *args: str, log: str) -> None:
		primary = self.replication.primary
		cmd = [str(self.bench / "env/bin/python"), "-m", "frappe.utils.bench_helper", "frappe", *args]
		with open(self.logs / log, "w") as out:
			result = subprocess.run(cmd, cwd=self.sites, stdout=out, stderr=subprocess.STDOUT)
		if result.returncode:
			tail = (self.logs / log).read_text(errors="replace").splitlines()[-30:]
			raise RuntimeError(
				f"{' '.join(args[:3])} failed ({primary.name} log: {primary.log}):\n" + "\n".join(tail)
			)

	def create(self, max_lag_seconds: int, health_check_seconds: int) -> None:
		started = time.monotonic()
		primary = self.replication.primary
		self.frappe(
			"new-site",
			self.name,
			"--db-host=127.0.0.1",
			f"--db-port={primary.port}",
			"--db-root-username=root",
			f"--db-root-password={primary.password}",
			"--mariadb-user-host-login-scope=127.0.0.1",
			f"--admin-password={self.admin_password}",
			"--install-app=crm_app",
			log=f"{self.name}-new-site.log",
		)
		config = json.loads(self.config_path.read_text())
		# the replica's lag is read with SHOW SLAVE STATUS; granted on the primary, the replica follows
		primary.query(f"grant slave monitor on *.* to '{config['db_name']}'@'127.0.0.1'")
		config.update(
			{
				"host_name": self.url,
				"read_from_replica": 1,
				"replica_host": "127.0.0.1",
				"replica_db_port": self.replication.replica.port,
				"replica_max_lag_seconds": max_lag_seconds,
				"replica_health_check_seconds": health_check_seconds,
			}
		)
		self.config_path.write_text(json.dumps(config, indent=1))
		self.replication.catch_up()
		self.created_in = time.monotonic() - started

	@property
	def db_name(self) -> str:
		return json.loads(self.config_path.read_text())["db_name"]

	def serve(self) -> None:
		log = open(self.logs / f"{self.name}-gunicorn.log", "w")
		self.server = subprocess.Popen(
			[
				str(self.bench / "env/bin/gunicorn"),
				"-b",
				f"127.0.0.1:{self.port}",
				"-w",
				"2",
				"--threads",
				"4",
				"-t",
				"120",
				"frappe.app:application_with_statics()",
			],
			cwd=self.sites,
			stdout=log,
			stderr=subprocess.STDOUT,
			start_new_session=True,
		)
		wait_until(self.answers, f"gunicorn serving {self.name}", limit=120)

	def answers(self) -> bool:
		if self.server.poll() is not None:
			raise RuntimeError(f"gunicorn for {self.name} exited; see {self.logs}")
		try:
			ping = requests.get(
				f"{self.url}/api/method/ping", headers={"X-Frappe-Site-Name": self.name}, timeout=5
			)
		except requests.ConnectionError:
			return False
		return ping.ok

	def drop(self) -> None:
		if self.server and self.server.poll() is None:
			os.killpg(self.server.pid, signal.SIGTERM)
			self.server.wait(timeout=30)
		self.forget_jobs()
		if not (self.sites / self.name).exists():
			return
		try:
			self.frappe(
				"drop-site",
				self.name,
				"--db-root-username=root",
				f"--db-root-password={self.replication.primary.password}",
				"--no-backup",
				"--force",
				log=f"{self.name}-drop-site.log",
			)
		except RuntimeError:
			# the servers go anyway: only the site's folder is left to remove
			with suppress(FileNotFoundError):
				shutil.rmtree(self.sites / self.name)

	def forget_jobs(self) -> None:
		"""Delete the jobs the site queued that no worker has taken: the bench's queues are shared, and no worker
		could run them once the site is gone."""
		url = json.loads((self.sites / "common_site_config.json").read_text())["redis_queue"]
		connection = redis.Redis.from_url(url)
		for queue in Queue.all(connection=connection):
			for job_id in queue.get_job_ids():
				if job_id.startswith(f"{self.name}::"):
					Job.fetch(job_id, connection=connection).delete()
