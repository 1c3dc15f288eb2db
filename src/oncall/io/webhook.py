"""Posting a message to a chat incoming webhook (Slack-compatible ``{"text": ...}``).

Standard library only, so the cron path stays light. A cron job has nobody watching it:
a transient failure is retried once, and a lasting one becomes a DeliveryError (exit 4)
whose message cron mails to its owner. Webhook URLs are secrets (the path is the key), so
messages name only the scheme and host.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from oncall.core.errors import DeliveryError, InputError

TIMEOUT_SECONDS = 10.0
RETRY_DELAY_SECONDS = 1.0
MAX_RETRY_AFTER_SECONDS = 10.0
USER_AGENT = "oncall-reminder"


def check_url(url: str) -> str:
    """The URL if it is an http(s) URL with a host; anything else is an input error."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(
            f"--post: expected an http:// or https:// webhook URL, found {_redact(url)!r}",
            hint="use the incoming webhook URL your chat tool gave you",
        )
    return url.strip()


def _redact(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme and parts.hostname:
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{parts.hostname}{port}/…"
    return url[:12] + ("…" if len(url) > 12 else "")


class _Transient(Exception):
    """A failure worth one more try: no connection, a timeout, 5xx or 429."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def post(
    url: str,
    text: str,
    *,
    timeout: float = TIMEOUT_SECONDS,
    retry_delay: float = RETRY_DELAY_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Send ``{"text": text}``; retry once on a transient failure, then raise DeliveryError."""
    url = check_url(url)
    body = json.dumps({"text": text}, ensure_ascii=False).encode("utf-8")
    where = _redact(url)
    try:
        _send(url, body, timeout)
        return
    except _Transient as first:
        delay = retry_delay
        if first.retry_after is not None:
            delay = min(max(first.retry_after, retry_delay), MAX_RETRY_AFTER_SECONDS)
        sleep(delay)
        try:
            _send(url, body, timeout)
            return
        except _Transient as second:
            raise DeliveryError(
                f"could not post to {where}: {second.reason} (tried twice)"
            ) from None


def _send(url: str, body: bytes, timeout: float) -> None:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT},
    )
    where = _redact(url)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read(4096)
    except urllib.error.HTTPError as exc:
        detail = _body_excerpt(exc)
        reason = f"HTTP {exc.code} {exc.reason}{detail}"
        if exc.code == 429 or exc.code >= 500:
            raise _Transient(reason, _retry_after(exc.headers.get("Retry-After"))) from None
        raise DeliveryError(f"the webhook at {where} refused the message: {reason}") from None
    except urllib.error.URLError as exc:
        raise _Transient(_describe(exc.reason)) from None
    except TimeoutError:
        raise _Transient(f"no answer within {timeout:g} s") from None
    except (ConnectionError, OSError) as exc:
        raise _Transient(_describe(exc)) from None


def _describe(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "host name not found"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason)


def _body_excerpt(exc: urllib.error.HTTPError) -> str:
    try:
        raw = exc.read(200)
    except OSError:
        return ""
    text = raw.decode("utf-8", "replace").strip()
    return f": {text}" if text else ""


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None
