"""Acknowledgement links: a person on duty stops an incident's escalation from the chat.

Each message that mentions the people on duty carries one link per person, naming the
incident (its key and when it was opened) and the person, expiring ``ack.valid_seconds``
after the message, signed with HMAC-SHA256 under the relay's secret (``ack.secret_env``,
at least 32 bytes). Opening the link (GET) only shows a page with a button, because chat
apps fetch links to preview them; the button POSTs the same link, which records who
acknowledged and when in the incident's timer file, stops the timer, and puts an
"acknowledged by ..." message in the incident. A link whose signature does not match
(forged, or edited to another incident or person), that has expired, whose incident is
resolved or is a later one, or that comes after the incident was already acknowledged, is
refused with a page saying which, and nothing changes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from oncall.io.schema import Section
from oncall.relay.escalation import Timers, message_key
from oncall.relay.incident_log import IncidentLog
from oncall.relay.logs import Log

MIN_SECRET_BYTES = 32
PATH = re.compile(r"/ack/([0-9a-f]{32})/([0-9]{1,12})/([A-Za-z0-9._-]{1,64})/([0-9]{1,12})/"
                  r"([A-Za-z0-9_-]{43})")


def read_secret(section: Section) -> bytes | None:
    """The signing secret from the environment variable ``ack.secret_env`` names, or None
    when acknowledgement is off; an ``InputError`` at the key when it is unset or short."""
    name = section["secret_env"]
    if name is None:
        if section["base_url"] is not None:
            raise section.error("base_url", "found ack.base_url without ack.secret_env, "
                                "expected both", hint="the links are signed with the "
                                "secret: ack.secret_env: RELAY_ACK_SECRET")
        return None
    if section["base_url"] is None:
        raise section.error("secret_env", "found ack.secret_env without ack.base_url, "
                            "expected both", hint="the address people open the links at, "
                            "e.g. https://oncall-relay.example.com")
    value = os.environ.get(name, "").strip().encode("utf-8")
    if len(value) < MIN_SECRET_BYTES:
        state = ("not set" if name not in os.environ else
                 f"{len(value)} bytes, expected at least {MIN_SECRET_BYTES}")
        raise section.error("secret_env", f"the environment variable {name} is {state}",
                            hint="generate one: python3 -c 'import secrets; "
                            "print(secrets.token_urlsafe(32))'")
    return value


def read_slack_secret(section: Section, acks_on: bool) -> bytes | None:
    """Slack's signing secret (``ack.slack_signing_secret_env``), or None."""
    name = section["slack_signing_secret_env"]
    if name is None:
        return None
    if not acks_on:
        raise section.error("slack_signing_secret_env", "found the Slack command without "
                            "ack.secret_env and ack.base_url, expected them as well")
    value = os.environ.get(name, "").strip().encode("utf-8")
    if len(value) < MIN_SECRET_BYTES:
        state = ("not set" if name not in os.environ else
                 f"{len(value)} bytes, expected at least {MIN_SECRET_BYTES}")
        raise section.error("slack_signing_secret_env",
                            f"the environment variable {name} is {state}",
                            hint="copy the Signing Secret from the Slack app's Basic "
                            "Information page")
    return value


def _signature(secret: bytes, incident: str, opened: int, handle: str, expires: int) -> str:
    message = f"oncall-ack\n{incident}\n{opened}\n{handle}\n{expires}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def link(base_url: str, secret: bytes, incident: str, opened: float, handle: str,
         expires: float) -> str:
    opened_s, expires_s = int(opened), int(expires)
    sig = _signature(secret, incident, opened_s, handle, expires_s)
    return f"{base_url.rstrip('/')}/ack/{incident}/{opened_s}/{handle}/{expires_s}/{sig}"


class Page:
    """What an ack request is answered: a status and a short HTML page."""

    __slots__ = ("body", "status", "text")

    def __init__(self, status: int, title: str, text: str, form: str | None = None) -> None:
        self.status = status
        self.text = text
        button = (f'<form method="post" action="{html.escape(form)}"><button type="submit">'
                  "Acknowledge</button></form>") if form else ""
        self.body = (
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><h1>{html.escape(title)}</h1>"
            f"<p>{html.escape(text)}</p>{button}</html>\n"
        ).encode()


class Acks:
    """Checks and records acknowledgements against the incidents' timer files."""

    def __init__(self, secret: bytes, timers: Timers, offset: Callable[[str], float],
                 enqueue: Callable[[dict[str, Any]], bool], names: Callable[[str, str], str],
                 log: Log, clock: Callable[[], float]) -> None:
        self.secret = secret
        self.timers = timers
        self.offset = offset
        self.enqueue = enqueue
        self.names = names  # (rotation, handle) -> the person's name
        self.log = log
        self.clock = clock
        self.incidents: IncidentLog | None = None  # set by the service

    def handle(self, method: str, path: str) -> Page:
        match = PATH.fullmatch(path)
        if match is None:
            return Page(404, "Not an acknowledgement link",
                        "This address is not a link the relay made.")
        incident, opened, person, expires, sig = match.groups()
        expected = _signature(self.secret, incident, int(opened), person, int(expires))
        if not hmac.compare_digest(sig.encode("ascii"), expected.encode("ascii")):
            self.log("ack_refused", "warning", reason="forged")
            return Page(403, "Link refused", "This link's signature does not match: it was "
                        "not made by this relay, or it was changed. Nothing was recorded.")
        with self.timers.edit:
            timer = self.timers.read(incident)
            if timer is None or int(timer["opened"]) != int(opened):
                self.log("ack_refused", "warning", reason="closed")
                return Page(410, "Incident closed", "This incident is resolved (or the "
                            "alert fired again since, as a new incident). Nothing was "
                            "recorded.")
            now = self.clock() + self.offset(timer["rotation"])
            if now > int(expires):
                self.log("ack_refused", "warning", reason="expired", incident=timer["tag"])
                return Page(410, "Link expired", f"This link expired at {_stamp(int(expires))}."
                            " Nothing was recorded.")
            if method != "POST" and not timer.get("acked_by"):
                name = self.names(timer["rotation"], person)
                return Page(200, f"Acknowledge {timer['tag']}", f"Acknowledge {timer['tag']} "
                            f"as {name}? This stops its escalation.", form=path)
            return self.acknowledge(timer, person, now)

    def acknowledge(self, timer: dict[str, Any], person: str, now: float) -> Page:
        """Record ``person``'s acknowledgement (with ``timers.edit`` held): stop the timer
        and queue the incident's "acknowledged by" message; refused when already done."""
        with self.timers.edit:
            name = self.names(timer["rotation"], person)
            if timer.get("acked_by"):
                self.log("ack_refused", "warning", reason="already", incident=timer["tag"])
                by = self.names(timer["rotation"], timer["acked_by"])
                return Page(409, "Already acknowledged", f"{timer['tag']} was acknowledged "
                            f"by {by} at {_stamp(timer['acked_at'])}. Nothing changed.")
            record = {
                "v": 1, "key": message_key(timer, "acknowledged", 0),
                "received_at": self.clock(), "source": timer["source"],
                "rotation": timer["rotation"], "group": timer["group"],
                "payload": timer["payload"], "kind": "acknowledged", "step": 0, "after": 0,
                "by": person,
            }
            if not self.enqueue(record):
                return Page(503, "Try again", "The relay's spool is full. Nothing was "
                            "recorded; open the link again in a minute.")
            timer.update(acked_by=person, acked_at=now, due=None)
            self.timers.write(timer)
            if self.incidents is not None:
                self.incidents.write("acknowledged", now, rotation=timer["rotation"],
                                     incident=timer["tag"], by=person)
        self.log("acknowledged", incident=timer["tag"], rotation=timer["rotation"], by=person)
        return Page(200, "Acknowledged", f"{timer['tag']} is acknowledged by {name}; its "
                    "escalation is stopped.")


def _stamp(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M UTC")


def check_base_url(value: str, where: Section) -> str:
    if not value.startswith(("http://", "https://")):
        raise where.error("base_url", f"found {value!r}, expected an http(s) URL")
    return value.rstrip("/")

