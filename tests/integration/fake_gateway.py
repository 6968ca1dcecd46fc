"""A fake gateway on loopback for the services the site calls out to (e-invoice providers, SMS gateways…).

The site's web server and RQ worker are other processes: they reach the gateway over HTTP at `gateway.url`, set
in the site's settings by the test. The gateway records every request, answers each path through a handler the
test sets, and fails on demand:

	gateway.route("/invoices", lambda request: {"status": "issued", "invoice_no": "1"})
	gateway.fail_next(2, status=503)            # the next two requests, to any path, get a 503
	gateway.fail_next(1, status=400, when=lambda request: request.json["order_no"] == "SO-1")
	gateway.requests_to("/invoices")[-1].json   # what the site sent

A path without a route answers 404. Handlers run on the server's threads; they may raise, which answers 500.
"""

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Request:
	"""One request as the gateway received it. `form` and `query` keep the last value of a repeated name."""

	method: str
	path: str
	query: dict[str, str]
	headers: dict[str, str]  # names as sent; look them up with header()
	body: bytes
	json: Any = None  # the body parsed, when it is JSON
	form: dict[str, str] = field(default_factory=dict)  # the body parsed, when it is form-encoded

	@property
	def text(self) -> str:
		return self.body.decode("utf-8", errors="replace")

	def header(self, name: str, default: str | None = None) -> str | None:
		return next((value for key, value in self.headers.items() if key.lower() == name.lower()), default)


@dataclass(frozen=True)
class Reply:
	"""An answer: a dict or list body is sent as JSON, str or bytes as they are."""

	status: int = 200
	body: Any = None
	headers: dict[str, str] = field(default_factory=dict)


# a handler answers a Request with a Reply, or with a JSON body for a 200
Handler = Callable[[Request], "Reply | dict | list"]


@dataclass
class _Failure:
	remaining: int
	reply: Reply
	path: str | None
	when: "Callable[[Request], bool] | None"

	def matches(self, request: "Request") -> bool:
		return self.path in (None, request.path) and (self.when is None or self.when(request))


class FakeGateway:
	"""A threaded HTTP server on 127.0.0.1, on a free port; use it as a context manager, or start() and stop()."""

	def __init__(self):
		self._lock = threading.Lock()
		self._requests: list[Request] = []
		self._routes: dict[tuple[str | None, str], Handler] = {}
		self._failures: list[_Failure] = []
		self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
		self._server.daemon_threads = True
		self._thread = threading.Thread(target=self._server.serve_forever, name="fake-gateway", daemon=True)

	@property
	def url(self) -> str:
		host, port = self._server.server_address[:2]
		return f"http://{host}:{port}"

	def start(self) -> "FakeGateway":
		self._thread.start()
		return self

	def stop(self) -> None:
		self._server.shutdown()
		self._server.server_close()
		self._thread.join(timeout=10)

	def __enter__(self) -> "FakeGateway":
		return self.start()

	def __exit__(self, *exc) -> None:
		self.stop()

	def route(self, path: str, handler: "Handler | Reply | dict | list", method: str | None = None) -> None:
		"""Answer requests to `path` (any method, or only `method`) with `handler`, or always with the same
		reply when given a Reply or a JSON body. A later route for the same path and method replaces it."""
		if not callable(handler):
			fixed = handler
			handler = lambda _request: fixed  # noqa: E731
		with self._lock:
			self._routes[(method.upper() if method else None, path)] = handler

	def fail_next(
		self,
		count: int = 1,
		status: int = 500,
		body: Any = None,
		path: str | None = None,
		when: Callable[[Request], bool] | None = None,
	) -> None:
		"""Answer the next `count` requests (to `path`, or to any path; only those `when` accepts, if given) with
		`status` and `body`, without calling their handler. Failures set one after another are used in that
		order. A test that shares the gateway with background work it did not start narrows its failures with
		`when`, so that no other request takes them."""
		reply = Reply(status, body if body is not None else {"message": f"fake gateway failure {status}"})
		with self._lock:
			self._failures.append(_Failure(count, reply, path, when))

	@property
	def requests(self) -> list[Request]:
		"""Every request received so far, oldest first."""
		with self._lock:
			return list(self._requests)

	def requests_to(self, path: str, method: str | None = None) -> list[Request]:
		return [r for r in self.requests if r.path == path and (method is None or r.method == method.upper())]

	def clear(self) -> None:
		"""Forget the requests, routes and pending failures."""
		with self._lock:
			self._requests.clear()
			self._routes.clear()
			self._failures.clear()

	def _answer(self, request: Request) -> Reply:
		with self._lock:
			self._requests.append(request)
			failure = next((f for f in self._failures if f.matches(request)), None)
			if failure:
				failure.remaining -= 1
				if not failure.remaining:
					self._failures.remove(failure)
				return failure.reply
			handler = self._routes.get((request.method, request.path)) or self._routes.get(
				(None, request.path)
			)
		if not handler:
			return Reply(404, {"message": f"no route for {request.method} {request.path}"})
		try:
			answer = handler(request)
		except Exception as error:
			return Reply(500, {"message": f"handler failed: {error!r}"})
		return answer if isinstance(answer, Reply) else Reply(200, answer)


def _handler_for(gateway: FakeGateway) -> type[BaseHTTPRequestHandler]:
	class GatewayHandler(BaseHTTPRequestHandler):
		protocol_version = "HTTP/1.1"

		def handle_any(self):
			length = int(self.headers.get("Content-Length") or 0)
			body = self.rfile.read(length) if length else b""
			url = urlsplit(self.path)
			content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
			parsed, form = None, {}
			if content_type == "application/x-www-form-urlencoded":
				form = dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
			elif body:
				try:
					parsed = json.loads(body)
				except ValueError:
					parsed = None
			request = Request(
				method=self.command,
				path=url.path,
				query=dict(parse_qsl(url.query, keep_blank_values=True)),
				headers=dict(self.headers.items()),
				body=body,
				json=parsed,
				form=form,
			)
			self.send(gateway._answer(request))

		def send(self, reply: Reply):
			if isinstance(reply.body, dict | list):
				content, content_type = (
					json.dumps(reply.body, ensure_ascii=False).encode(),
					"application/json",
				)
			elif isinstance(reply.body, str):
				content, content_type = reply.body.encode(), "text/plain; charset=utf-8"
			else:
				content, content_type = reply.body or b"", "application/octet-stream"
			self.send_response(reply.status)
			headers = {"Content-Type": content_type, **reply.headers, "Content-Length": str(len(content))}
			for name, value in headers.items():
				self.send_header(name, value)
			self.end_headers()
			self.wfile.write(content)

		do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

		def log_message(self, format, *args):
			pass  # the recorded requests are the log

	return GatewayHandler
