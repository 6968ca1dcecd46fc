"""Demo data and Frappe's setup wizard in either order, as an owner runs them: `bench crm-demo` on the command line,
and the wizard in the desk, which ends by calling its whitelisted `setup_complete`.

Finishing the wizard happens once in a site's life, so each test makes a site of its own (with crm_app installed)
and drops it afterwards. The suite's web server serves it, by name, next to the test site.
"""

import json
import re
import subprocess
import time

import pytest

from crm_app.demo.generator import DEMO_EMAIL_DOMAIN, DEMO_USERS
from tests.integration import browser
from tests.integration.client import Client, messages
from tests.integration.conftest import BENCH, SITES, settle
from tests.run_integration import db_root_credentials

FRAPPE = [str(BENCH / "env/bin/python"), "-m", "frappe.utils.bench_helper", "frappe"]
ADMIN_PASSWORD = "Wizard-Admin-Passw0rd!"
OWNER = ("林晓燕", "lin.xiaoyan@yunfan-trading.cn", "Owner-Passw0rd-2025!")
DEMO_PASSWORD = "Demo-Passw0rd-2025!"
SETUP_COMPLETE = "frappe.desk.page.setup_wizard.setup_wizard.setup_complete"
NOT_FINISHED = "设置向导尚未完成"  # the command's reminder, in its default language


def frappe_cli(*args: str) -> str:
	result = subprocess.run([*FRAPPE, *args], cwd=SITES, capture_output=True, text=True)
	assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
	return result.stdout


@pytest.fixture
def new_site(worker, tmp_path):
	"""A new site with crm_app, before its setup wizard, as after `bench new-site` and `install-app`. The jobs it
	queues (Frappe's for each new user) run before it is dropped, and its files are archived in a temporary
	folder."""
	site = f"crm-wizard-{time.strftime('%H%M%S')}-{time.monotonic_ns() % 10**6}.localhost"
	db_user, db_password = db_root_credentials(BENCH)
	credentials = ["--db-root-username", db_user, "--db-root-password", db_password]
	frappe_cli("new-site", site, "--admin-password", ADMIN_PASSWORD, *credentials)
	try:
		frappe_cli("--site", site, "install-app", "crm_app")
		yield site
	finally:
		settle(site=site)
		frappe_cli(
			"drop-site", site, *credentials, "--no-backup", "--force", "--archived-sites-path", str(tmp_path)
		)


def crm_demo(site: str, *options: str) -> str:
	return frappe_cli("--site", site, "crm-demo", "--customers", "20", *options)


def wizard_values(full_name: str, email: str, password: str) -> str:
	"""What the wizard's slides send when the owner presses Complete Setup."""
	return json.dumps(
		{
			"language": "简体中文",
			"country": "China",
			"timezone": "Asia/Shanghai",
			"currency": "CNY",
			"enable_telemetry": 0,
			"allow_recording_first_session": 0,
			"full_name": full_name,
			"email": email,
			"password": password,
		}
	)


def setup_is_complete(site: str) -> bool:
	# `bench execute` prints what the function returns, and nothing for a false value
	return frappe_cli("--site", site, "execute", "frappe.is_setup_complete").strip() == "true"


def assert_owner_administers_the_site(base_url: str, site: str) -> None:
	full_name, email, password = OWNER
	owner = Client(base_url, site, email).login(password)
	user = owner.get_doc("User", email).json()["data"]
	assert user["full_name"] == full_name and user["enabled"] == 1
	assert "System Manager" in {row["role"] for row in user["roles"]}
	# the wizard set China's formats; the app's Chinese ones stay: ¥, times to the minute, weeks from Monday
	settings = owner.get_doc("System Settings", "System Settings").json()["data"]
	assert (settings["time_format"], settings["first_day_of_the_week"]) == ("HH:mm", "Monday")
	assert owner.get_doc("Currency", "CNY").json()["data"]["symbol"] == "¥"


def assert_demo_users_log_in_unchanged(base_url: str, site: str, password: str) -> None:
	"""Every demo user logs in with the demo password, under their own name and with their demo roles only."""
	owner = Client(base_url, site, OWNER[1]).login(OWNER[2])
	for demo_user in DEMO_USERS:
		Client(base_url, site, demo_user.email).login(password)
		user = owner.get_doc("User", demo_user.email).json()["data"]
		assert user["full_name"] == demo_user.full_name, demo_user.email
		assert {row["role"] for row in user["roles"]} == set(demo_user.roles), demo_user.email


def test_demo_data_then_the_setup_wizard(base_url, new_site):
	output = crm_demo(new_site)  # no --password: the command makes one and shows it with the logins
	assert "演示账号（按角色）：" in output and NOT_FINISHED in output
	assert all(f"\n  {role}\n" in output for role in ("销售主管", "销售", "管理员"))
	assert all(user.email in output for user in DEMO_USERS)
	demo_password = re.search(r"^密码：(\S+)$", output, re.MULTILINE).group(1)

	administrator = Client(base_url, new_site, "Administrator").login(ADMIN_PASSWORD)
	# the user Frappe's wizard puts in its account step: the user saved last, now a demo user
	prefill = administrator.get(
		"frappe.client.get_value",
		doctype="User",
		fieldname=json.dumps(["full_name", "email"]),
		filters=json.dumps({"name": ["not in", ["Administrator", "Guest"]]}),
	).json()["message"]
	assert prefill["email"].endswith(f"@{DEMO_EMAIL_DOMAIN}")

	# finishing with it is refused before anything changes, with the reason
	refused = administrator.post(
		SETUP_COMPLETE, args=wizard_values(prefill["full_name"], prefill["email"], OWNER[2])
	)
	assert refused.status_code == 417, refused.text
	assert prefill["email"] in messages(refused) and "administrator" in messages(refused)
	assert not setup_is_complete(new_site)

	finished = administrator.post(SETUP_COMPLETE, args=wizard_values(*OWNER))
	assert finished.status_code == 200, finished.text
	assert finished.json()["message"] == {"status": "ok"}
	assert setup_is_complete(new_site)
	assert_owner_administers_the_site(base_url, new_site)
	assert_demo_users_log_in_unchanged(base_url, new_site, demo_password)


def test_the_setup_wizard_then_demo_data(base_url, new_site):
	administrator = Client(base_url, new_site, "Administrator").login(ADMIN_PASSWORD)
	finished = administrator.post(SETUP_COMPLETE, args=wizard_values(*OWNER))
	assert finished.json()["message"] == {"status": "ok"}, finished.text

	output = crm_demo(new_site, "--password", DEMO_PASSWORD)
	assert f"\n密码：{DEMO_PASSWORD}\n" in output and NOT_FINISHED not in output
	# a second load reuses the demo users, and says their passwords stay what they were
	again = crm_demo(new_site, "--password", "Another-Passw0rd-2025!")
	assert "这些演示账号此前已存在，密码不变。" in again

	assert_owner_administers_the_site(base_url, new_site)
	assert_demo_users_log_in_unchanged(base_url, new_site, DEMO_PASSWORD)


@pytest.mark.skipif(not browser.available(), reason="needs chromium and chromium-driver")
def test_the_wizard_account_step_starts_empty_after_demo_data(base_url, new_site):
	crm_demo(new_site, "--password", DEMO_PASSWORD)
	owner = browser.Browser(base_url, new_site)
	try:
		owner.login("Administrator", ADMIN_PASSWORD)
		# Frappe's own prefill arrives with the first step: a demo user's login
		prefilled = owner.wait_until("window.frappe && frappe.wizard && frappe.wizard.values.email")
		assert prefilled.endswith(f"@{DEMO_EMAIL_DOMAIN}")
		owner.script("frappe.wizard.show_slide(frappe.wizard.slides.findIndex((s) => s.name === 'user'))")
		owner.wait_until("frappe.wizard.current_slide && frappe.wizard.current_slide.name === 'user'")
		shown = owner.script(
			"return ['full_name', 'email'].map((f) => frappe.wizard.current_slide.form.get_value(f) || '')"
		)
		assert shown == ["", ""]
		assert owner.errors() == []
	finally:
		owner.close()
