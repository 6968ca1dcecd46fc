"""Take screenshots of the desk and the inquiry page in headless Chromium, as a logged-in user sees them.

Needs Debian's chromium and chromium-driver and `pip install selenium`; the site must be served already, e.g.
`cd $BENCH/sites && ../env/bin/gunicorn -b 127.0.0.1:8000 frappe.app:application`.

	python tools/screenshots.py --url http://127.0.0.1:8000 --site crm.localhost --user Administrator \
		--password admin --out docs/screenshots customers=/app/crm-customer funnel=/app/crm-opportunity/view/kanban/...
"""

import argparse
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

CHROMIUM_FLAGS = (
	"--headless=new",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--lang=zh-CN",
)


def browser(site: str, height: int) -> webdriver.Chrome:
	options = Options()
	options.add_argument(f"--window-size=1440,{height}")
	options.binary_location = "/usr/bin/chromium"
	for flag in CHROMIUM_FLAGS:
		options.add_argument(flag)
	# Every request names the site, as a reverse proxy would for a named host.
	options.add_argument(f"--host-resolver-rules=MAP {site} 127.0.0.1")
	return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def login(driver, base: str, user: str, password: str) -> None:
	driver.get(f"{base}/login")
	driver.execute_script(
		"""return fetch('/api/method/login', {method: 'POST', headers: {'Content-Type': 'application/json'},
		body: JSON.stringify({usr: arguments[0], pwd: arguments[1]})}).then(r => r.status)""",
		user,
		password,
	)


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--url", required=True, help="e.g. http://crm.localhost:8000")
	parser.add_argument("--site", required=True)
	parser.add_argument("--user", default="Administrator")
	parser.add_argument("--password", default="admin")
	parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
	parser.add_argument("--wait", type=float, default=4.0, help="seconds for the page to settle")
	parser.add_argument("--height", type=int, default=1000, help="window height in pixels")
	parser.add_argument("pages", nargs="+", help="name=/route pairs")
	args = parser.parse_args()

	args.out.mkdir(parents=True, exist_ok=True)
	driver = browser(args.site, args.height)
	try:
		login(driver, args.url, args.user, args.password)
		for page in args.pages:
			name, route = page.split("=", 1)
			driver.get(f"{args.url}{route}")
			time.sleep(args.wait)
			driver.save_screenshot(str(args.out / f"{name}.png"))
			print(f"{name}: {driver.title}")
	finally:
		driver.quit()


if __name__ == "__main__":
	main()
