"""Posting a message to a chat incoming webhook: a JSON payload (Slack, Google Chat and
Mattermost ``{"text": ...}``, a Teams Workflows Adaptive Card, Discord ``{"content": ...}``).

Standard library only, so the cron path stays light. A cron job has nobody watching it:
a transient failure is retried once, and a lasting one becomes a DeliveryError (exit 4)
whose message cron mails to its owner. So that a cron line never hangs, one deadline
covers every connection, read and retry of a post, however slowly a server drips its
answer. A redirect is never followed: urllib would repeat a POST as a GET without its
body and report success. Webhook URLs are secrets (the path is the key), so every message
names only the scheme and host, and text a server sends back is stripped of control
characters before it reaches a terminal or a mail.
"""

from __future__ import annotations

import base64
import http.client
import io
import json
import math
import os
import socket
import ssl
import time
import unicodedata
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from oncall.core.errors import DeliveryError, InputError
from oncall.io.files import read_text

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

TIMEOUT_SECONDS = 10.0
DEADLINE_SECONDS = 25.0
RETRY_DELAY_SECONDS = 1.0
MAX_RETRY_AFTER_SECONDS = 10.0
USER_AGENT = "oncall-reminder"
EXCERPT_CHARS = 200


@dataclass(frozen=True)
class Target:
    """A checked webhook URL, split the way a request needs it."""

    url: str
    scheme: str
    host: str
    port: int | None
    path: str
    authorization: str | None

    @property
    def redacted(self) -> str:
        return redact(self.url)


def webhook_url(url: str | None, url_file: Path | None, url_env: str | None) -> str:
    """The checked URL from exactly one of --post, --post-url-file and --post-url-env.

    A file or a variable keeps the secret out of ``ps`` and crontabs; each is read only
    here, and an empty or missing one is an error, never a silent "post nowhere"."""
    given = [name for name, value in (("--post", url), ("--post-url-file", url_file),
                                      ("--post-url-env", url_env)) if value is not None]
    if len(given) > 1:
        raise InputError(f"{' and '.join(given)} each name a webhook; give one of them")
    if url_file is not None:
        lines = [line.strip() for line in read_text(url_file, max_bytes=8192).splitlines()]
        url = next((line for line in lines if line), "")
        return check_url(url, f"--post-url-file {url_file}")
    if url_env is not None:
        value = os.environ.get(url_env)
        if not value or not value.strip():
            raise InputError(
                f"--post-url-env: the environment variable {url_env} is "
                f"{'empty' if value is not None else 'not set'}, expected the webhook URL",
                hint=f"in a crontab, set it on a line of its own: {url_env}=https://...",
            )
        return check_url(value, f"--post-url-env {url_env}")
    assert url is not None
    return check_url(url)


def check_url(url: str, option: str = "--post") -> str:
    """The URL if it is a usable http(s) URL; anything else is an input error (exit 2)."""
    return _target(url, option).url


def _target(url: str, option: str) -> Target:
    text = url.strip()
    bad = next((ch for ch in text if ch.isspace() or unicodedata.category(ch) == "Cc"), None)
    if bad is not None:
        raise InputError(
            f"{option}: found {'a space' if bad == ' ' else 'a control character'} in the "
            f"webhook URL {redact(text)}, expected a URL without spaces",
            hint="copy the URL again; spaces in a path are written %20",
        )
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
        host = parts.hostname
    except ValueError as exc:
        raise InputError(
            f"{option}: the webhook URL {redact(text)} is malformed: {exc}",
            hint="expected https://host[:port]/path with a port from 1 to 65535",
        ) from None
    if parts.scheme not in ("http", "https") or not host:
        raise InputError(
            f"{option}: expected an http:// or https:// webhook URL, found {redact(text)}",
            hint="use the incoming webhook URL your chat tool gave you",
        )
    if port == 0:
        raise InputError(f"{option}: the webhook URL {redact(text)} has port 0, expected 1-65535")
    authorization = None
    if parts.username is not None:
        user = urllib.parse.unquote(parts.username)
        password = urllib.parse.unquote(parts.password or "")
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        authorization = f"Basic {token}"
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(text, parts.scheme, host, port, path, authorization)


def redact(url: str) -> str:
    """``scheme://host[:port]/…``: enough to tell which service, never the secret path."""
    try:
        parts = urllib.parse.urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
        parts = None
    if parts is not None and parts.scheme in ("http", "https") and host:
        shown = f"[{host}]" if ":" in host else host
        return f"{parts.scheme}://{shown}{f':{port}' if port else ''}/…"
    return "(not an http URL)"


class _Transient(Exception):
    """A failure worth one more try: no connection, a timeout, 5xx or 429."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class _OutOfTime(Exception):
    """The post's one deadline passed."""


def post(
    url: str,
    payload: Mapping[str, object],
    *,
    timeout: float = TIMEOUT_SECONDS,
    deadline: float = DEADLINE_SECONDS,
    retry_delay: float = RETRY_DELAY_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    retry: bool = True,
) -> None:
    """Send ``payload`` as JSON; retry once on a transient failure, all within ``deadline``
    seconds, then raise DeliveryError. ``retry=False``: one try, for a caller that keeps
    its own retry schedule (the relay)."""
    target = _target(url, "--post")
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    ends = clock() + deadline
    try:
        try:
            _send(target, body, timeout, ends, clock)
            return
        except _Transient as first:
            if not retry:
                raise DeliveryError(
                    f"could not post to {target.redacted}: {first.reason}"
                ) from None
            delay = retry_delay
            if first.retry_after is not None:
                delay = min(max(first.retry_after, retry_delay), MAX_RETRY_AFTER_SECONDS)
            if clock() + delay >= ends:
                raise DeliveryError(
                    f"could not post to {target.redacted}: {first.reason} (no time left to "
                    f"retry within {deadline:g} s)"
                ) from None
            sleep(delay)
            try:
                _send(target, body, timeout, ends, clock)
                return
            except _Transient as second:
                raise DeliveryError(
                    f"could not post to {target.redacted}: {second.reason} (tried twice)"
                ) from None
    except _OutOfTime:
        raise DeliveryError(
            f"could not post to {target.redacted}: no complete answer within {deadline:g} s"
        ) from None


def _send(
    target: Target, body: bytes, timeout: float, ends: float, clock: Callable[[], float]
) -> None:
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "Content-Length": str(len(body)),
    }
    if target.authorization:
        headers["Authorization"] = target.authorization
    left = ends - clock()
    if left <= 0:
        raise _OutOfTime
    connection = _connection(target, min(timeout, left), ends, clock)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = _excerpt(response.read(EXCERPT_CHARS * 4))
    except _OutOfTime:
        raise
    except TimeoutError:
        raise _Transient(f"no answer within {min(timeout, left):g} s") from None
    except ssl.SSLError as exc:
        raise _Transient(f"TLS failed: {_clean(exc.reason or str(exc))}") from None
    except (http.client.HTTPException, OSError) as exc:
        raise _Transient(_describe(exc)) from None
    finally:
        connection.close()
        connection.release()
    _judge(target, response, excerpt)


def _judge(target: Target, response: http.client.HTTPResponse, excerpt: str) -> None:
    """Success, a transient failure, or a final refusal, by the status code."""
    status = response.status
    if 200 <= status < 300:
        return
    reason = f"HTTP {status} {_clean(response.reason)}{f': {excerpt}' if excerpt else ''}"
    if 300 <= status < 400:
        location = response.getheader("Location") or ""
        where = redact(urllib.parse.urljoin(target.url, location)) if location else "nowhere"
        raise DeliveryError(
            f"the webhook at {target.redacted} answered HTTP {status} and redirects to "
            f"{where}; a POST is not followed to another address, so nothing was delivered"
        )
    if status == 429 or status >= 500:
        raise _Transient(reason, _retry_after(response.getheader("Retry-After")))
    raise DeliveryError(f"the webhook at {target.redacted} refused the message: {reason}")


class _Connection(Protocol):
    """What ``_connection`` returns: an HTTP(S) connection that also releases its socket."""

    def request(self, method: str, url: str, body: bytes, headers: Mapping[str, str]) -> None: ...
    def getresponse(self) -> http.client.HTTPResponse: ...
    def close(self) -> None: ...
    def release(self) -> None: ...


def _connection(
    target: Target, timeout: float, ends: float, clock: Callable[[], float]
) -> _Connection:
    """A connection whose every read and write also stops at the post's deadline."""
    base = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection

    # HTTP or HTTPS, chosen at run time: a base mypy cannot follow, so the class is unchecked.
    class Deadlined(base):  # type: ignore[valid-type, misc]
        sock: socket.socket
        wrapped: _DeadlineSocket | None = None

        def connect(self) -> None:
            super().connect()
            # http.client needs only sendall, makefile and close of it; typeshed says a socket.
            self.sock = self.wrapped = _DeadlineSocket(self.sock, ends, clock)  # type: ignore[assignment]

        def release(self) -> None:
            if self.wrapped is not None:
                self.wrapped.release()

    return Deadlined(target.host, target.port, timeout=timeout)


class _DeadlineSocket:
    """A socket whose timeout shrinks to what is left of the deadline before each call,
    so a server that answers one byte at a time still cannot hold the post open."""

    def __init__(self, sock: socket.socket, ends: float, clock: Callable[[], float]) -> None:
        self._sock = sock
        self._ends = ends
        self._clock = clock

    def _arm(self) -> None:
        left = self._ends - self._clock()
        if left <= 0:
            raise _OutOfTime
        self._sock.settimeout(left)

    def sendall(self, data: bytes) -> None:
        self._arm()
        self._sock.sendall(data)

    def recv_into(self, buffer: WriteableBuffer, size: int = 0) -> int:
        self._arm()
        try:
            return self._sock.recv_into(buffer, size)
        except TimeoutError:
            if self._clock() >= self._ends:
                raise _OutOfTime from None
            raise

    def makefile(self, mode: str = "rb", buffering: int = -1) -> io.BufferedReader:
        return io.BufferedReader(_Reader(self))

    def close(self) -> None:
        """http.client closes the socket while the response is still being read (a
        real socket counts its files for that); the post releases it when done."""

    def release(self) -> None:
        self._sock.close()

    def __getattr__(self, name: str) -> object:
        return getattr(self._sock, name)


class _Reader(io.RawIOBase):
    def __init__(self, sock: _DeadlineSocket) -> None:
        self._sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        return self._sock.recv_into(buffer)


def _describe(reason: BaseException) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "host name not found"
    if isinstance(reason, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(reason, OSError) and reason.strerror:
        return _clean(reason.strerror)
    return _clean(str(reason)) or type(reason).__name__


def _clean(text: str) -> str:
    """Text from a server made safe for a terminal: control characters (ANSI escapes
    included) become spaces, runs of blanks one space."""
    printable = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return " ".join(printable.split())


def _excerpt(raw: bytes) -> str:
    text = _clean(raw.decode("utf-8", "replace"))
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait, from a number; anything else (a date, nan, inf, garbage) is ignored
    in favour of the usual delay."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None
