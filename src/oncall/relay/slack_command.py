"""Slack's slash command ``/oncall ack #inc-7f3a2c``: acknowledge from Slack itself.

Slack POSTs the command as a form to ``/slack/command``, signed with the app's signing
secret (``ack.slack_signing_secret_env``): ``X-Slack-Signature`` is ``v0=`` and the hex
HMAC-SHA256 of ``v0:{X-Slack-Request-Timestamp}:{body}``. The relay refuses (401, with the
reason) a signature that does not match, a timestamp more than five minutes from its
clock, and a signed request it has already seen (a replay within those five minutes);
https://api.slack.com/authentication/verifying-requests-from-slack. The person is the
rotation member whose ``slack`` id sent the command; the answer, shown only to them, says
what happened. The acknowledgement itself is the link's (``oncall.relay.ack``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from oncall.relay.ack import Acks
from oncall.relay.logs import Log

PATH = "/slack/command"
MAX_BODY = 4096  # Slack's command bodies are a few hundred bytes
WINDOW_SECONDS = 300
MAX_SEEN = 10_000
_TAG = re.compile(r"#?(inc-[0-9a-f]{6})")


class Refusal(Exception):
    """A request that is not Slack's: answered 401 with ``str()``."""


class SlackCommands:
    """Verifies Slack's signature and runs ``ack``."""

    def __init__(self, secret: bytes, acks: Acks, member: Callable[[str, str], str | None],
                 log: Log, clock: Callable[[], float]) -> None:
        self.secret = secret
        self.acks = acks
        self.member = member  # (rotation, slack user id) -> handle, or None
        self.log = log
        self.clock = clock
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def verify(self, timestamp: str, signature: str, body: bytes) -> None:
        if not timestamp.isdigit() or len(timestamp) > 12:
            raise Refusal("X-Slack-Request-Timestamp: expected seconds since 1970")
        now = self.clock()
        if abs(now - int(timestamp)) > WINDOW_SECONDS:
            raise Refusal("X-Slack-Request-Timestamp: more than 5 minutes from the relay's "
                          "clock (a stale or replayed request)")
        base = b"v0:" + timestamp.encode("ascii") + b":" + body
        expected = "v0=" + hmac.new(self.secret, base, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(signature.encode("ascii", "replace"), expected.encode()):
            raise Refusal("X-Slack-Signature: does not match the signing secret")
        with self._lock:
            for seen, until in list(self._seen.items()):
                if until < now:
                    del self._seen[seen]
            if expected in self._seen:
                raise Refusal("this signed request was already received (a replay)")
            if len(self._seen) >= MAX_SEEN:
                raise Refusal("too many commands in 5 minutes; try again")
            self._seen[expected] = int(timestamp) + WINDOW_SECONDS

    def run(self, timestamp: str, signature: str, body: bytes) -> tuple[int, dict[str, Any]]:
        """(status, JSON answer): 401 when the request is not Slack's, else 200 with the
        text Slack shows the person who typed the command."""
        try:
            self.verify(timestamp, signature, body)
        except Refusal as exc:
            self.log("ack_refused", "warning", reason="slack_signature", error=str(exc))
            return 401, {"error": str(exc)}
        try:
            form = parse_qs(body.decode("utf-8"), strict_parsing=True, max_num_fields=32)
        except (UnicodeDecodeError, ValueError):
            return 400, {"error": "the body is not a form Slack sends"}
        text = (form.get("text") or [""])[0].split()
        user = (form.get("user_id") or [""])[0]
        match = _TAG.fullmatch(text[1]) if len(text) == 2 and text[0] == "ack" else None
        if match is None:
            return 200, _say("Usage: /oncall ack #inc-xxxxxx (the tag of the alert's messages)")
        tag = "#" + match.group(1)
        with self.acks.timers.edit:
            timer = self.acks.timers.find(tag)
            if timer is None:
                return 200, _say(f"{tag} is not an open incident (resolved, or no such tag).")
            person = self.member(timer["rotation"], user)
            if person is None:
                return 200, _say(f"Your Slack id is not a member of {timer['rotation']}'s "
                                 "rotation file; nothing was recorded.")
            now = self.acks.clock() + self.acks.offset(timer["rotation"])
            page = self.acks.acknowledge(timer, person, now)
        return 200, _say(page.text)


def _say(text: str) -> dict[str, Any]:
    return {"response_type": "ephemeral", "text": text}


def dumps(answer: dict[str, Any]) -> bytes:
    return json.dumps(answer, ensure_ascii=False).encode("utf-8")
