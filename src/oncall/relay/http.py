"""The relay's endpoints, on aiohttp's HTTP/1.1 server (llhttp's strict parser).

``POST /alertmanager`` and ``POST /grafana`` take a sender's webhook body, ``GET /healthz``
and ``GET /metrics`` serve operators. A POST must carry the bearer token (compared in
constant time) before its body is read at all; a body without Content-Length or above
the limit is refused unread; a body that is not JSON, or not a notification, gets 400
with the reason and is never posted. 2xx means the alert is durably in the spool.

Connections are cheap here (a coroutine each, not a thread), and bounded: at most
``max_connections`` at once (the rest get 503 and are closed), the request line and
headers within ``HEADER_SECONDS`` of connecting or of the previous answer (the same timer
closes idle keep-alive connections), the body within ``BODY_SECONDS``. The parser refuses
what a lenient one would guess at (``Content-Length: +5``, two lengths, a length beside
chunked) with 400. The spool write (fsync) and everything that reads the body run on a
small thread pool, so a slow disk never stalls the connections.
"""

from __future__ import annotations

import asyncio
import hmac
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from oncall.core import alerts
from oncall.relay.bodies import Refused, decode

SOURCES = {"/alertmanager": "alertmanager", "/grafana": "grafana"}
HEADER_SECONDS = 5.0
BODY_SECONDS = 10.0
SHUTDOWN_SECONDS = 5.0
MAX_LINE_BYTES = 8190
MAX_HEADERS = 64
POOL_THREADS = 8
MAX_ACK_BODY = 1024  # an acknowledgement's form carries nothing the relay reads
HTML_TYPE = "text/html; charset=utf-8"
SERVER = "oncall-relay"
JSON_TYPE = "application/json; charset=utf-8"


class Answer:
    """What ``accept`` says back: an HTTP status and a JSON body."""

    __slots__ = ("body", "retry_after", "status")

    def __init__(self, status: int, body: dict[str, Any], retry_after: int | None = None):
        self.status = status
        self.body = body
        self.retry_after = retry_after


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None,
          close: bool = False) -> web.Response:
    data = (json.dumps(body, ensure_ascii=False) + "\n").encode("utf-8")
    response = web.Response(status=status, body=data,
                            headers={"Content-Type": JSON_TYPE, "Server": SERVER,
                                     **(headers or {})})
    if close:  # the body (if any) was not read: the connection cannot be reused
        response.force_close()
    return response


class _Handler(RequestHandler):
    """aiohttp's connection handler, answering its own refusals (bad framing, a header
    line too long) as JSON with the reason, counted and logged as ``bad_request``; a
    connection closed by the header timer after it began a request that never ended is
    counted and logged as ``slow_headers`` (an idle keep-alive one is not)."""

    relay_server: RelayHTTPServer
    begun = False  # bytes of a request came while none was being handled

    def data_received(self, data: bytes) -> None:
        if not self._request_in_progress:
            self.begun = True
        super().data_received(data)

    def _process_keepalive(self) -> None:
        open_before = not self._force_close
        super()._process_keepalive()
        if open_before and self._force_close and self.begun:
            self.relay_server.reject("slow_headers")

    def handle_error(self, request: Any, status: int = 500,
                     exc: BaseException | None = None,
                     message: str | None = None) -> web.StreamResponse:
        reason = getattr(exc, "message", None) or (str(exc) if exc else "") or "bad request"
        reason = str(reason).split(":\n", 1)[0].strip()  # llhttp appends the raw line
        self.relay_server.reject("bad_request" if status < 500 else "server_error")
        text = f"the request is not HTTP/1.1 this server accepts: {reason}"
        return _json(status if status >= 400 else 400, {"error": text}, close=True)

    def log_exception(self, *args: Any, **kw: Any) -> None:
        """The relay logs its own events as JSON; no library lines with client text."""

    def log_debug(self, *args: Any, **kw: Any) -> None:
        pass


class _Busy(asyncio.Protocol):
    """Over the connection cap: 503 with Retry-After, then the connection is closed
    (after a moment reading and dropping what the client sends, so the close is not a
    reset that loses the answer)."""

    LINGER_SECONDS = 1.0

    def __init__(self, reject: Callable[[str], None]) -> None:
        self._reject = reject

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._reject("too_many_connections")
        data = b'{"error": "too many connections; send again"}\n'
        head = (f"HTTP/1.1 503 Service Unavailable\r\nServer: {SERVER}\r\n"
                f"Content-Type: {JSON_TYPE}\r\nContent-Length: {len(data)}\r\n"
                "Retry-After: 5\r\nConnection: close\r\n\r\n").encode("ascii")
        assert isinstance(transport, asyncio.Transport)
        transport.write(head + data)
        transport.write_eof()
        asyncio.get_running_loop().call_later(self.LINGER_SECONDS, transport.close)

    def data_received(self, data: bytes) -> None:
        pass


class _Server(web.Server):
    """aiohttp's low-level server with a cap on open connections."""

    def __init__(self, relay_server: RelayHTTPServer, **kwargs: Any) -> None:
        super().__init__(relay_server.handle, **kwargs)
        self.relay_server = relay_server

    def __call__(self) -> Any:
        if len(self.connections) >= self.relay_server.max_connections:
            return _Busy(self.relay_server.reject)
        handler = _Handler(self, loop=self._loop, **self._kwargs)
        handler.relay_server = self.relay_server
        return handler


class RelayHTTPServer:
    """The endpoints, bound to ``address`` by ``start`` and drained by ``stop``."""

    def __init__(
        self,
        address: tuple[str, int],
        token: bytes,
        max_body: int,
        accept: Callable[[str, Any, alerts.AlertGroup], Answer],
        health: Callable[[], Answer],
        metrics: Callable[[], tuple[bytes, str]],
        reject: Callable[[str], None],
        max_connections: int = 1024,
        ack: Callable[[str, str], Any] | None = None,
        slack: Callable[[str, str, bytes], tuple[int, dict[str, Any]]] | None = None,
    ) -> None:
        self.address = address
        self.token = token
        self.max_body = max_body
        self.accept = accept
        self.health = health
        self.metrics_page = metrics
        self.reject = reject
        self.max_connections = max_connections
        self.ack = ack  # (method, path) -> ack.Page; None: acknowledgement is off
        self.slack = slack  # (timestamp, signature, body) -> (status, answer)
        self.pool = ThreadPoolExecutor(POOL_THREADS, thread_name_prefix="accept")
        self._server: _Server | None = None
        self._listener: asyncio.Server | None = None

    @property
    def server_address(self) -> tuple[str, int]:
        assert self._listener is not None
        host, port = self._listener.sockets[0].getsockname()[:2]
        return host, port

    async def start(self) -> None:
        """Listen (an ``OSError`` when the address cannot be had)."""
        self._server = _Server(
            self, keepalive_timeout=HEADER_SECONDS, tcp_keepalive=False, access_log=None,
            max_line_size=MAX_LINE_BYTES, max_field_size=MAX_LINE_BYTES,
            max_headers=MAX_HEADERS, lingering_time=0, auto_decompress=False,
        )
        loop = asyncio.get_running_loop()
        host, port = self.address
        self._listener = await loop.create_server(
            self._server, host, port, backlog=128, reuse_address=True
        )

    async def stop(self, timeout: float = SHUTDOWN_SECONDS) -> None:
        """Stop listening, let the requests in flight finish for up to ``timeout``
        seconds, close every connection (slow ones too), then wait for the spool
        writes already started (never cut between the spool write and its 2xx)."""
        if self._listener is not None:
            self._listener.close()
        if self._server is not None:
            await asyncio.sleep(0)
            self._server.pre_shutdown()
            await self._server.shutdown(timeout)
        await asyncio.get_running_loop().run_in_executor(None, self.pool.shutdown)

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        if isinstance(request.protocol, _Handler):
            request.protocol.begun = False  # this request's headers did come in time
        path = request.raw_path.split("?", 1)[0]
        if path.startswith("/ack/") and self.ack is not None and request.method in (
                "GET", "POST"):
            return await self._ack(request.method, path, request)
        if path == "/slack/command" and self.slack is not None and request.method == "POST":
            return await self._slack(request)
        if request.method == "GET":
            return self._get(path)
        if request.method == "POST":
            return await self._post(path, request)
        return _json(501, {"error": f"unsupported method {request.method}"}, close=True)

    def _get(self, path: str) -> web.StreamResponse:
        if path == "/healthz":
            answer = self.health()
            return _json(answer.status, answer.body)
        if path == "/metrics":
            page, content_type = self.metrics_page()
            return web.Response(body=page, headers={"Content-Type": content_type,
                                                    "Server": SERVER})
        return _json(404, {"error": "not found: POST /alertmanager or /grafana, "
                                    "GET /healthz or /metrics"})

    async def _post(self, path: str, request: web.BaseRequest) -> web.StreamResponse:
        source = SOURCES.get(path)
        if source is None:
            return self._refuse(404, "not_found", "not found: POST /alertmanager or /grafana")
        if not self._authorized(request.headers.get("Authorization", "")):
            return self._refuse(401, "unauthorized", "missing or wrong bearer token",
                                {"WWW-Authenticate": 'Bearer realm="oncall-relay"'})
        if "chunked" in request.headers.get("Transfer-Encoding", "").lower():
            return self._refuse(411, "no_length", "send the body with a Content-Length")
        length = request.content_length
        if length is None:
            return self._refuse(411, "no_length", "a Content-Length header is required")
        if length > self.max_body:
            return self._refuse(413, "too_large", f"the body is {length} bytes, at most "
                                f"{self.max_body} are accepted")
        try:
            async with asyncio.timeout(BODY_SECONDS):
                body = await request.content.readexactly(length)
        except asyncio.IncompleteReadError:
            self.reject("cut_short")
            return _json(400, {"error": "the body ended before its Content-Length"},
                         close=True)
        except TimeoutError:
            return self._refuse(408, "slow_body", f"the body was not sent within "
                                f"{BODY_SECONDS:.0f} s")
        loop = asyncio.get_running_loop()
        answer = await loop.run_in_executor(self.pool, self._accept, source, body)
        headers = {"Retry-After": str(answer.retry_after)} if answer.retry_after else None
        return _json(answer.status, answer.body, headers)

    async def _ack(self, method: str, path: str,
                   request: web.BaseRequest) -> web.StreamResponse:
        """An acknowledgement link, opened (GET: a page with a button) or confirmed (POST):
        authorised by its signature, not the bearer token; a body is not read past
        ``MAX_ACK_BODY`` bytes."""
        if method == "POST":
            length = request.content_length or 0
            if length > MAX_ACK_BODY or "chunked" in request.headers.get(
                    "Transfer-Encoding", "").lower():
                return self._refuse(413, "too_large", f"an acknowledgement carries at most "
                                    f"{MAX_ACK_BODY} bytes")
            try:
                if length:
                    async with asyncio.timeout(BODY_SECONDS):
                        await request.content.readexactly(length)
            except (asyncio.IncompleteReadError, TimeoutError):
                return self._refuse(408, "slow_body", "the body was not sent in time")
        assert self.ack is not None
        loop = asyncio.get_running_loop()
        page = await loop.run_in_executor(self.pool, self.ack, method, path)
        if page.status >= 400:
            self.reject("ack_refused")
        return web.Response(status=page.status, body=page.body, headers={
            "Content-Type": HTML_TYPE, "Server": SERVER, "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; form-action 'self'"})

    async def _slack(self, request: web.BaseRequest) -> web.StreamResponse:
        """Slack's slash command: signed by Slack (checked on the pool), at most
        ``MAX_ACK_BODY`` * 4 bytes, with a Content-Length."""
        length = request.content_length
        if length is None:
            return self._refuse(411, "no_length", "a Content-Length header is required")
        if length > 4 * MAX_ACK_BODY:
            return self._refuse(413, "too_large", f"the body is {length} bytes, at most "
                                f"{4 * MAX_ACK_BODY} are accepted")
        try:
            async with asyncio.timeout(BODY_SECONDS):
                body = await request.content.readexactly(length) if length else b""
        except (asyncio.IncompleteReadError, TimeoutError):
            return self._refuse(408, "slow_body", "the body was not sent in time")
        assert self.slack is not None
        loop = asyncio.get_running_loop()
        status, answer = await loop.run_in_executor(
            self.pool, self.slack, request.headers.get("X-Slack-Request-Timestamp", ""),
            request.headers.get("X-Slack-Signature", ""), body)
        if status >= 400:
            self.reject("ack_refused")
        return _json(status, answer)

    def _accept(self, source: str, body: bytes) -> Answer:
        """On the pool: read the body, then spool it (the 2xx waits for the fsync)."""
        try:
            decoded = decode(body)
        except Refused as exc:
            self.reject("malformed")
            return Answer(400, {"error": str(exc)})
        try:
            group = alerts.parse(decoded, source)
        except alerts.BadPayload as exc:
            self.reject("malformed")
            article = "an" if source[:1] in "aeiou" else "a"  # an Alertmanager, a Grafana
            return Answer(400, {"error": f"not {article} {source} notification: {exc}"})
        return self.accept(source, decoded, group)

    def _authorized(self, given: str) -> bool:
        scheme, _, credentials = given.partition(" ")
        if scheme.lower() != "bearer":
            return False
        try:
            offered = credentials.strip().encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # not text a token can be
            return False
        return hmac.compare_digest(offered, self.token)

    def _refuse(self, status: int, reason: str, message: str,
                headers: dict[str, str] | None = None) -> web.Response:
        self.reject(reason)
        return _json(status, {"error": message}, headers, close=True)
