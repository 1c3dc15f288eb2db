"""The relay's endpoints, on the standard library's threading HTTP server.

``POST /alertmanager`` and ``POST /grafana`` take a sender's webhook body, ``GET /healthz``
and ``GET /metrics`` serve operators. A POST must carry the bearer token (compared in
constant time) before its body is read at all; a body without Content-Length or above
the limit is refused unread; a body that is not JSON, or not a notification, gets 400
with the reason and is never posted. 2xx means the alert is durably in the spool.
"""

from __future__ import annotations

import hmac
import json
import socket
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from oncall.core import alerts

SOURCES = {"/alertmanager": "alertmanager", "/grafana": "grafana"}
READ_TIMEOUT_SECONDS = 5


class Answer:
    """What ``accept`` says back: an HTTP status and a JSON body."""

    __slots__ = ("body", "retry_after", "status")

    def __init__(self, status: int, body: dict[str, Any], retry_after: int | None = None):
        self.status = status
        self.body = body
        self.retry_after = retry_after


class RelayHTTPServer(ThreadingHTTPServer):
    """One thread per connection. ``block_on_close``: closing waits for requests in flight,
    so a SIGTERM never cuts a sender off between the spool write and its 2xx."""

    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        token: bytes,
        max_body: int,
        accept: Callable[[str, Any, alerts.AlertGroup], Answer],
        health: Callable[[], Answer],
        metrics: Callable[[], tuple[bytes, str]],
        reject: Callable[[str], None],
    ) -> None:
        self.token = token
        self.max_body = max_body
        self.accept = accept
        self.health = health
        self.metrics_page = metrics
        self.reject = reject
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)


class Handler(BaseHTTPRequestHandler):
    server: RelayHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "oncall-relay"
    sys_version = ""
    timeout = READ_TIMEOUT_SECONDS

    def log_message(self, format: str, *args: Any) -> None:
        """The relay logs its own events as JSON; no access log with client text in it."""

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/healthz":
            answer = self.server.health()
            self._json(answer.status, answer.body)
        elif path == "/metrics":
            page, content_type = self.server.metrics_page()
            self._send(200, page, content_type)
        else:
            self._json(404, {"error": "not found: POST /alertmanager or /grafana, "
                                      "GET /healthz or /metrics"})

    def do_POST(self) -> None:
        source = SOURCES.get(self.path.split("?", 1)[0])
        if source is None:
            self._refuse(404, "not_found", "not found: POST /alertmanager or /grafana")
            return
        if not self._authorized():
            self._refuse(401, "unauthorized", "missing or wrong bearer token",
                         {"WWW-Authenticate": 'Bearer realm="oncall-relay"'})
            return
        body = self._body()
        if body is None:
            return
        try:
            decoded = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError as exc:
            self._refuse(400, "malformed", f"the body is not UTF-8: {exc.reason} at byte "
                         f"{exc.start}", read=True)
            return
        except json.JSONDecodeError as exc:
            self._refuse(400, "malformed", f"the body is not valid JSON: {exc.msg} at line "
                         f"{exc.lineno} column {exc.colno}", read=True)
            return
        try:
            group = alerts.parse(decoded, source)
        except alerts.BadPayload as exc:
            self._refuse(400, "malformed", f"not a {source} notification: {exc}", read=True)
            return
        answer = self.server.accept(source, decoded, group)
        headers = {"Retry-After": str(answer.retry_after)} if answer.retry_after else None
        self._json(answer.status, answer.body, headers)

    def _authorized(self) -> bool:
        given = self.headers.get("Authorization", "")
        scheme, _, credentials = given.partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(credentials.strip().encode("utf-8"), self.server.token)

    def _body(self) -> bytes | None:
        """The request body, or None after refusing it (no length, too long, cut short)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._refuse(411, "no_length", "send the body with a Content-Length")
            return None
        raw = self.headers.get("Content-Length")
        try:
            length = int(raw) if raw is not None else -1
        except ValueError:
            length = -1
        if length < 0:
            self._refuse(411, "no_length", "a Content-Length header is required")
            return None
        if length > self.server.max_body:
            self._refuse(413, "too_large", f"the body is {length} bytes, at most "
                         f"{self.server.max_body} are accepted")
            return None
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True
            self.server.reject("cut_short")
            return None
        return body

    def _refuse(
        self, status: int, reason: str, message: str,
        headers: dict[str, str] | None = None, read: bool = False,
    ) -> None:
        self.server.reject(reason)
        if not read:  # the body (if any) was not read: the connection cannot be reused
            self.close_connection = True
            headers = {**(headers or {}), "Connection": "close"}
        self._json(status, {"error": message}, headers)

    def _json(self, status: int, body: dict[str, Any],
              headers: dict[str, str] | None = None) -> None:
        data = (json.dumps(body, ensure_ascii=False) + "\n").encode("utf-8")
        self._send(status, data, "application/json; charset=utf-8", headers)

    def _send(self, status: int, data: bytes, content_type: str,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
