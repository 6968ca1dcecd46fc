"""Run the integration suite on a fresh site of an existing Frappe bench.

Installs this checkout into the bench (a symlink in apps/ and an editable pip install), creates a new site on
MariaDB, installs crm_app, runs pytest with the bench's Python as real users over HTTP, then uninstalls the app
(proving a clean uninstall) and drops the site. Called by bin/run-tests; needs nothing but the standard library.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd, cwd, log=None, check=True, env=None):
	result = subprocess.run(cmd, cwd=cwd, env=env, text=True, capture_output=log is not None)
	if log is not None:
		log.write_text(result.stdout + result.stderr)
	if check and result.returncode:
		tail = "".join((result.stdout or "") + (result.stderr or "")).splitlines()[-40:]
		sys.exit(f"command failed ({result.returncode}): {' '.join(map(str, cmd))}\n" + "\n".join(tail))
	return result


def link_checkout(bench: Path) -> None:
	target = bench / "apps" / "crm_app"
	if target.is_symlink() or not target.exists():
		if target.is_symlink() and target.resolve() == ROOT:
			return
		target.unlink(missing_ok=True)
		target.symlink_to(ROOT)
	elif target.resolve() != ROOT:
		sys.exit(
			f"{target} is a separate copy of crm_app; move it away (or point FRAPPE_BENCH at another bench) "
			"so this checkout can be tested"
		)


def register_app(bench: Path) -> None:
	apps_txt = bench / "sites" / "apps.txt"
	apps = apps_txt.read_text().split()
	if "crm_app" not in apps:
		apps_txt.write_text("\n".join([*apps, "crm_app"]) + "\n")


def free_port() -> int:
	with socket.socket() as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


def db_root_credentials(bench: Path) -> tuple[str, str]:
	config = json.loads((bench / "sites" / "common_site_config.json").read_text())
	user = os.environ.get("CRM_DB_ROOT_USER") or config.get("root_login") or "root"
	password = os.environ.get("CRM_DB_ROOT_PASSWORD") or config.get("root_password")
	if not password:
		sys.exit(
			"Creating a test site needs a privileged MariaDB account with a password: set CRM_DB_ROOT_USER and "
			"CRM_DB_ROOT_PASSWORD, or root_login and root_password in sites/common_site_config.json"
		)
	return user, password


def main() -> int:
	parser = argparse.ArgumentParser()
	parser.add_argument("--bench", type=Path, required=True)
	parser.add_argument("--keep-site", action="store_true", help="leave the test site in place afterwards")
	args, pytest_args = parser.parse_known_args()  # the rest goes to pytest, e.g. -k merge

	bench = args.bench.resolve()
	python = bench / "env" / "bin" / "python"
	sites = bench / "sites"
	frappe_cli = [str(python), "-m", "frappe.utils.bench_helper", "frappe"]
	logs = Path(os.environ.get("CRM_TEST_LOGS", "/tmp")) / f"crm_app-tests-{os.getpid()}"
	logs.mkdir(parents=True, exist_ok=True)

	link_checkout(bench)
	run(
		[python, "-m", "pip", "install", "-q", "-e", f"{bench / 'apps' / 'crm_app'}[test]"],
		bench,
		logs / "pip.log",
	)
	register_app(bench)

	site = f"crmtest-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}.localhost"
	db_user, db_password = db_root_credentials(bench)
	credentials = ["--db-root-username", db_user, "--db-root-password", db_password]
	started = time.monotonic()
	print(f"creating site {site} and installing crm_app (log in {logs})", flush=True)
	run(
		[*frappe_cli, "new-site", site, "--admin-password", "admin", *credentials],
		sites,
		logs / "new-site.log",
	)
	try:
		run([*frappe_cli, "--site", site, "install-app", "crm_app"], sites, logs / "install-app.log")
		# the desk's script bundle of this checkout, as `bench build --app crm_app` makes it
		run([*frappe_cli, "build", "--app", "crm_app"], sites, logs / "build.log")
		# as on a live site; Data Import refuses to start while the scheduler is off
		run([*frappe_cli, "--site", site, "enable-scheduler"], sites, logs / "enable-scheduler.log")
		# The site's own URL is the test server's address, set before any server or worker starts: server-side
		# fetches (wkhtmltopdf loading the print stylesheet) must never ask the machine's resolver for *.localhost.
		port = free_port()
		run(
			[*frappe_cli, "--site", site, "set-config", "host_name", f"http://127.0.0.1:{port}"],
			sites,
			logs / "set-config.log",
		)
		print(f"site ready in {time.monotonic() - started:.0f}s; running the integration suite", flush=True)
		env = {
			**os.environ,
			"CRM_TEST_SITE": site,
			"CRM_TEST_PORT": str(port),
			"CRM_SITES_PATH": str(sites),
			"FRAPPE_BENCH": str(bench),
		}
		pytest = [
			python,
			"-m",
			"pytest",
			"-p",
			"no:cacheprovider",
			"--rootdir",
			ROOT,
			"-c",
			ROOT / "pyproject.toml",
		]
		paths = [ROOT / arg.split("::")[0] for arg in pytest_args if (ROOT / arg.split("::")[0]).exists()]
		extra = [str(ROOT / arg) if (ROOT / arg.split("::")[0]).exists() else arg for arg in pytest_args]
		tests = [*([] if paths else [ROOT / "tests" / "integration", ROOT / "crm_app"]), *extra]
		status = run([*pytest, *tests], sites, check=False, env=env).returncode

		print("uninstalling crm_app from the test site", flush=True)
		run(
			[*frappe_cli, "--site", site, "uninstall-app", "crm_app", "--yes", "--no-backup"],
			sites,
			logs / "uninstall.log",
		)
		leftovers = run(
			[python, ROOT / "tests" / "leftover_tables.py", site], sites, logs / "leftovers.log", env=env
		)
		if leftovers.stdout.strip():
			print(f"uninstall left tables behind: {leftovers.stdout.strip()}")
			status = status or 1
		else:
			print("uninstall removed every crm_app table")
	finally:
		if args.keep_site:
			print(f"kept site {site}")
		else:
			run(
				[*frappe_cli, "drop-site", site, *credentials, "--no-backup", "--force"],
				sites,
				logs / "drop-site.log",
			)
	return status


if __name__ == "__main__":
	sys.exit(main())
