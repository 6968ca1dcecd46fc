"""Headless Chromium, driven as a person uses the desk and the portal: through the login page, at a desktop or a
phone's width. Needs Debian's chromium and chromium-driver (installed by .ci/run) and the selenium package."""

import re
import shutil
import time
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import (
	JavascriptException,
	StaleElementReferenceException,
	TimeoutException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

DESKTOP = (1440, 900)
PHONE = (390, 844)
# what Chrome says of an SVG that frappe-charts drew in a hidden page
HIDDEN_CHART = re.compile(r"<\w+> attribute [\w-]+: (A negative value|Expected (length|number), \"[^\"]*NaN)")


def available() -> bool:
	return bool(shutil.which("chromium") and shutil.which("chromedriver"))


class Browser:
	"""One person's browser. The test site is reached by address, so every request names it in a header."""

	def __init__(self, base_url: str, site: str, size: tuple[int, int] = DESKTOP):
		options = webdriver.ChromeOptions()
		options.binary_location = shutil.which("chromium")
		for flag in (
			"--headless=new",
			"--no-sandbox",
			"--disable-gpu",
			"--disable-dev-shm-usage",
			"--disable-quic",
			"--no-first-run",
			"--disable-background-networking",
			"--disable-component-update",
			"--disable-sync",
			"--lang=zh-CN",
			"--autoplay-policy=no-user-gesture-required",
			f"--window-size={size[0]},{size[1]}",
		):
			options.add_argument(flag)
		if size == PHONE:
			options.add_experimental_option(
				"mobileEmulation", {"deviceMetrics": {"width": size[0], "height": size[1], "pixelRatio": 2}}
			)
		options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
		self.driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
		self.driver.execute_cdp_cmd("Network.enable", {})
		# as the window a person types into has focus: link pickers show their results only to a focused input
		self.driver.execute_cdp_cmd("Emulation.setFocusEmulationEnabled", {"enabled": True})
		self.driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {"X-Frappe-Site-Name": site}})
		self.base_url = base_url

	def close(self):
		self.driver.quit()

	def open(self, path: str):
		self.driver.get(f"{self.base_url}{path}")

	def login(self, user: str, password: str):
		"""Through the login page, as a person signs in."""
		self.open("/login")
		self.wait_for("#login_email").send_keys(user)
		self.find("#login_password").send_keys(password)
		self.find(".btn-login").click()
		WebDriverWait(self.driver, 30).until(lambda d: "/login" not in d.current_url)

	def find(self, css: str):
		return self.driver.find_element(By.CSS_SELECTOR, css)

	def find_all(self, css: str):
		return self.driver.find_elements(By.CSS_SELECTOR, css)

	def wait_for(self, css: str, timeout: float = 30, visible: bool = True):
		condition = (
			expected_conditions.visibility_of_element_located
			if visible
			else expected_conditions.presence_of_element_located
		)
		try:
			return WebDriverWait(self.driver, timeout).until(condition((By.CSS_SELECTOR, css)))
		except TimeoutException:
			raise AssertionError(f"{css} did not appear on {self.driver.current_url}") from None

	def wait_until(self, script: str, timeout: float = 30, args: tuple = ()):
		"""Until the JavaScript expression (which may read `arguments`) is truthy; returns its value."""
		deadline = time.monotonic() + timeout
		while time.monotonic() < deadline:
			try:
				if value := self.driver.execute_script(f"return {script}", *args):
					return value
			except JavascriptException:
				pass
			time.sleep(0.2)
		raise AssertionError(f"{script} never held on {self.driver.current_url}")

	def desk_ready(self):
		"""The desk page has booted and has no request in flight."""
		self.wait_until("window.frappe && frappe.boot && frappe.boot.user && !frappe.dom.freeze_count")
		self.wait_until("!(frappe.request && frappe.request.ajax_count) || frappe.request.ajax_count === 0")
		time.sleep(0.3)

	def route(self, path: str):
		"""A desk route, reached as the desk's own links reach it once the desk is open."""
		if self.script("return !!(window.frappe && frappe.set_route && frappe.boot)"):
			self.script("frappe.set_route(arguments[0])", path)
			self.wait_until(f"decodeURIComponent(location.pathname) === {('/app/' + path)!r}")
		else:
			self.open(f"/app/{path}")
		self.desk_ready()

	def new(self, doctype: str, full_form: bool = True):
		"""A new record, as the list's Add button makes it; past the quick entry dialog to the full form."""
		self.script("frappe.quick_entry = null; frappe.new_doc(arguments[0])", doctype)
		opened = self.wait_until(
			"(location.pathname.includes('/new-') && 'form')"
			" || (frappe.quick_entry && frappe.quick_entry.dialog && frappe.quick_entry.dialog.display && 'dialog')"
		)
		if opened == "dialog" and full_form:
			self.script("frappe.quick_entry.open_doc(true)")
		if opened == "form" or full_form:
			self.form(doctype)

	def form(self, doctype: str):
		"""Until the form of `doctype` is the one on screen, loaded."""
		self.wait_until(
			f"!!(window.cur_frm && cur_frm.doctype === {doctype!r} && cur_frm.doc && cur_frm.layout)"
		)
		self.desk_ready()

	def click(self, element):
		"""Clicks as a person does, on the element brought to the middle of the screen, clear of the desk's
		sticky bars (focus moves, so the field left behind commits what was typed)."""
		self.script("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})", element)
		element.click()

	def type_into(self, element, text: str):
		"""Types into an input as a person does, key by key, after clearing it."""
		self.click(element)
		element.clear()
		element.send_keys(text)

	def choose(self, element, typed: str, option: str):
		"""Types into a picker (link, autocomplete or the search bar) and clicks the offered option that reads
		`option`, as a person picks from the dropdown."""
		self.type_into(element, typed)
		for _attempt in range(3):
			item = self.wait_until(
				"""[...arguments[0].closest('.awesomplete').querySelectorAll('li, [role=option]')]
				.find(item => item.offsetParent && item.innerText.includes(arguments[1]))""",
				args=(element, option),
			)
			try:
				self.click(item)
				return
			except StaleElementReferenceException:
				continue  # the list was drawn again as the server's answer replaced the cached one
		raise AssertionError(f"{option} kept being redrawn under {typed}")

	def script(self, code: str, *args):
		return self.driver.execute_script(code, *args)

	def errors(self) -> list[str]:
		"""Console errors since the last call: failed requests and uncaught exceptions. Left out: the desk's
		attempts to reach socket.io, which the test server does not run, and frappe-charts drawing a chart of
		a page already left (SVG sizes that are negative or NaN, which Chrome reports but nobody sees)."""
		return [
			entry["message"]
			for entry in self.driver.get_log("browser")
			if entry["level"] == "SEVERE"
			and "socket.io" not in entry["message"]
			and not HIDDEN_CHART.search(entry["message"])
		]

	def screenshot(self, path: Path):
		path.parent.mkdir(parents=True, exist_ok=True)
		height = self.script("return Math.max(document.body.scrollHeight, window.innerHeight)")
		width = self.script("return window.innerWidth")
		self.driver.set_window_size(self.driver.get_window_size()["width"], min(height + 120, 4000))
		self.driver.save_screenshot(str(path))
		self.driver.set_window_size(
			self.driver.get_window_size()["width"], self.driver.get_window_size()["height"]
		)
		return width
