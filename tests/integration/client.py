"""A REST client that acts as one real user of the test site, over HTTP."""

import json
import re
from dataclasses import dataclass

import requests


@dataclass
class Client:
	base_url: str
	site: str
	user: str
	api_key: str | None = None  # without a key, the client acts only once it has logged in
	api_secret: str | None = None

	def __post_init__(self):
		self.session = requests.Session()
		# A connection per request: a kept-alive one that the server closes after its idle timeout, just as the
		# next request goes out, is reset, and a test fails by chance.
		self.session.headers.update(
			{"X-Frappe-Site-Name": self.site, "Accept": "application/json", "Connection": "close"}
		)
		if self.api_key:
			self.session.headers["Authorization"] = f"token {self.api_key}:{self.api_secret}"

	def login(self, password: str) -> "Client":
		"""Switch from the API key to a browser-style session, as the desk uses (language from the user)."""
		self.session.headers.pop("Authorization", None)
		response = self.request("POST", "/api/method/login", json={"usr": self.user, "pwd": password})
		assert response.ok, response.text
		desk = self.request("GET", "/app")
		token = re.search(r'csrf_token\s*=\s*"([^"]+)"', desk.text)
		assert token, "the desk page carries no CSRF token"
		self.session.headers["X-Frappe-CSRF-Token"] = token.group(1)
		return self

	def request(self, method: str, path: str, **kwargs) -> requests.Response:
		return self.session.request(method, f"{self.base_url}{path}", timeout=120, **kwargs)

	def get_doc(self, doctype: str, name: str) -> requests.Response:
		return self.request("GET", f"/api/resource/{doctype}/{name}")

	def insert(self, doctype: str, data: dict) -> requests.Response:
		return self.request("POST", f"/api/resource/{doctype}", json=data)

	def update(self, doctype: str, name: str, data: dict) -> requests.Response:
		return self.request("PUT", f"/api/resource/{doctype}/{name}", json=data)

	def delete(self, doctype: str, name: str) -> requests.Response:
		return self.request("DELETE", f"/api/resource/{doctype}/{name}")

	def list(self, doctype: str, fields=("name",), filters=None, **params) -> list[dict]:
		query = {"fields": json.dumps(list(fields)), "limit_page_length": 0, **params}
		if filters is not None:
			query["filters"] = json.dumps(filters)
		response = self.request("GET", f"/api/resource/{doctype}", params=query)
		assert response.status_code == 200, response.text
		return response.json()["data"]

	def get(self, method: str, **params) -> requests.Response:
		return self.request("GET", f"/api/method/{method}", params=params)

	def post(self, method: str, **data) -> requests.Response:
		return self.request("POST", f"/api/method/{method}", json=data)


def messages(response: requests.Response) -> str:
	"""Every user-facing message of a Frappe error response, joined: what the user would read."""
	body = response.json()
	texts = [json.loads(item).get("message", "") for item in json.loads(body.get("_server_messages", "[]"))]
	if body.get("exception"):
		texts.append(body["exception"])
	return "\n".join(texts)
