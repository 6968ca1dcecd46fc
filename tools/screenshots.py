"""Take screenshots of the desk and the portal in headless Chromium, as a person signed in through the login page
sees them, at a desktop's width (1440 px) or a phone's (390 px).

Needs Debian's chromium and chromium-driver and `pip install selenium`; the site must be served already, e.g.
`cd $BENCH/sites && ../env/bin/gunicorn -b 127.0.0.1:8000 frappe.app:application_with_statics`. Run it from the
repository's root:

	python tools/screenshots.py --url http://127.0.0.1:8000 --site crm.localhost --user chen.jing@demo.crm-app.cn \
		--password ... --phone --out docs/screenshots customers-phone=crm-customer funnel=crm-opportunity/view/kanban/...

A page is `name=route`: a desk route (without /app/) or a web page (starting with /). A route may end in
`#script`, JavaScript run once the page has loaded (to open a dialog, say).
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.integration.browser import DESKTOP, PHONE, Browser


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--url", required=True, help="e.g. http://127.0.0.1:8000")
	parser.add_argument("--site", required=True)
	parser.add_argument("--user", default="Administrator")
	parser.add_argument("--password", default="admin")
	parser.add_argument("--phone", action="store_true", help="390 px wide, as a phone")
	parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
	parser.add_argument("--wait", type=float, default=3.0, help="seconds for the page to settle")
	parser.add_argument("pages", nargs="+", help="name=route pairs")
	args = parser.parse_args()

	person = Browser(args.url, args.site, PHONE if args.phone else DESKTOP)
	try:
		person.login(args.user, args.password)
		for page in args.pages:
			name, target = page.split("=", 1)
			route, _, script = target.partition("#")
			if route.startswith("/"):
				person.open(route)
			else:
				person.desk_ready()
				person.route(route)
			time.sleep(args.wait)
			if script:
				person.script(script)
				time.sleep(args.wait)
			person.screenshot(args.out / f"{name}.png")
			print(f"{name}: {person.driver.title} {person.errors() or ''}")
	finally:
		person.close()


if __name__ == "__main__":
	main()
