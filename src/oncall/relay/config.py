"""The relay's config file: which rotations alerts go to, how they are routed, the spool.

Read like a rotation file, with the safe YAML layer and a key table (``oncall.io.schema``),
so a typo is an "unknown key, did you mean" error with file:line:column and the relay
refuses to start (exit 2) rather than route alerts nowhere. Routes name rotations by their
id (``rotation:`` in the rotation file); an unknown id or a bad matcher is found here, at
start, never when the first alert arrives at night.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from yaml.nodes import Node

from oncall.core.errors import InputError, Mark
from oncall.io import yamlsafe as ys
from oncall.io.files import read_text
from oncall.io.readers import rotation_id, text, whole_number
from oncall.io.schema import Key, Section, Table
from oncall.io.webhook import check_url
from oncall.io.yamlsafe import At

LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


def _matchers(node: Node, at: At) -> dict[str, str]:
    """``{label: value}``: label names as Prometheus spells them, values as text."""
    found: dict[str, str] = {}
    for name, key_node, value_node in ys.mapping(node, at, "a mapping of label: value"):
        if not LABEL_NAME.fullmatch(name):
            raise at.key(name).error(
                key_node, f"found label name {name!r}, expected [a-zA-Z_][a-zA-Z0-9_]*"
            )
        found[name] = ys.text(value_node, at.key(name))
    if not found:
        raise at.error(node, "found an empty mapping, expected at least one label: value")
    return found


def _regex_matchers(node: Node, at: At) -> dict[str, Any]:
    """``{label: regex}``, anchored at both ends as in Alertmanager, compiled by RE2 (the
    syntax Alertmanager uses): matching takes time linear in the label, whatever the
    pattern, so no route can be made to backtrack for minutes (``(a|aa)*c``)."""
    import re2

    options = re2.Options()
    options.log_errors = False  # the error is ours to word, with its place
    compiled: dict[str, Any] = {}
    for name, pattern in _matchers(node, at).items():
        try:
            compiled[name] = re2.compile(pattern, options)
        except re2.error as exc:
            reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(
                exc.args[0], bytes) else str(exc)
            value_node = next(v for k, _, v in ys.mapping(node, at) if k == name)
            raise at.key(name).error(
                value_node, f"found {pattern!r}, which is not a regular expression RE2 "
                f"(Alertmanager's syntax) accepts: {reason}",
                hint="RE2 has no backreferences or lookarounds",
            ) from None
    return compiled


def _seconds(minimum: int, maximum: int) -> Callable[[Node, At], int]:
    """A whole number of seconds in [minimum, maximum]: a timer the relay can set."""
    at_least = whole_number(minimum)

    def read(node: Node, at: At) -> int:
        value = at_least(node, at)
        if value > maximum:
            days = maximum // DAY
            raise at.error(node, f"found {value}, expected at most {maximum} seconds "
                           f"({'a day' if days == 1 else f'{days} days'})")
        return value

    return read


DAY = 86_400
MONTH = 30 * DAY
MAX_WORKERS = 16


def _workers(node: Node, at: At) -> int:
    value: int = whole_number(1)(node, at)
    if value > MAX_WORKERS:
        raise at.error(node, f"found {value}, expected at most {MAX_WORKERS} workers per "
                       "rotation")
    return value


RELAY_KEYS = Table(
    "Relay config file",
    (
        Key("rotations", "list of mappings", "The rotations alerts may go to.",
            required=True, many=True),
        Key("rotations[].file", "path", "The rotation file (relative to this file); its "
            "schedule is found beside it.", text, required=True),
        Key("rotations[].webhook_url_env", "text", "Environment variable holding the chat "
            "webhook URL.", text, default_doc="none"),
        Key("rotations[].webhook_url_file", "path", "File holding the chat webhook URL "
            "(first non-empty line).", text, default_doc="none"),
        Key("rotations[].backup_webhook_url_env", "text", "Environment variable holding a "
            "backup chat's webhook URL (same chat format), used while the first one fails.",
            text, default_doc="none"),
        Key("rotations[].backup_webhook_url_file", "path", "File holding the backup chat's "
            "webhook URL (first non-empty line).", text, default_doc="none"),
        Key("rotations[].failover_after_seconds", "whole number >= 1", "How long the first "
            "chat must have failed before messages go to the backup (at most a day).",
            _seconds(1, DAY), default=120, default_doc="`120`"),
        Key("routes", "list of mappings", "Tried in order; the first that matches an alert "
            "group's common labels wins.", many=True),
        Key("routes[].match", "mapping of label: text", "Labels that must equal these values.",
            _matchers, default_doc="none"),
        Key("routes[].match_re", "mapping of label: regex", "Labels that must fully match "
            "these regular expressions.", _regex_matchers, default_doc="none"),
        Key("routes[].rotation", "rotation id", "Where matching alerts go.", rotation_id,
            required=True),
        Key("default", "rotation id", "Where an alert no route matches goes.", rotation_id,
            required=True),
        Key("spool", "mapping", "The directory where accepted alerts wait for delivery."),
        Key("spool.directory", "path", "Relative to this file.", text,
            default="relay-spool", default_doc="`relay-spool`"),
        Key("spool.max_messages", "whole number >= 1", "Above this many waiting messages "
            "the relay answers 503 (the sender retries) instead of growing.",
            whole_number(1), default=10_000, default_doc="`10000`"),
        Key("spool.keep_sent_seconds", "whole number >= 0", "How long a delivered "
            "message is remembered, so a re-sent notification is posted once; keep it "
            "under Alertmanager's `repeat_interval`, or reminders are taken for re-sends "
            "(at most 30 days).",
            _seconds(0, MONTH), default=3600, default_doc="`3600`"),
        Key("delivery", "mapping", "Posting to the chat."),
        Key("delivery.deadline_seconds", "whole number >= 1", "After this long undelivered, "
            "a message is moved to `failed/` (at most 30 days).", _seconds(1, MONTH),
            default=3600, default_doc="`3600`"),
        Key("delivery.first_retry_seconds", "whole number >= 1", "Wait before the first "
            "retry; doubles each time (at most a day).", _seconds(1, DAY), default=2,
            default_doc="`2`"),
        Key("delivery.max_retry_seconds", "whole number >= 1", "Longest wait between "
            "retries (at most a day).", _seconds(1, DAY), default=60, default_doc="`60`"),
        Key("delivery.workers", "whole number from 1 to 16", "Messages of one rotation "
            "posted at once (each rotation has its own workers; each alert group's "
            "messages stay in order).", _workers, default=2, default_doc="`2`"),
        Key("ack", "mapping", "Acknowledgement links in each message that mentions the "
            "people on duty (off without `secret_env`)."),
        Key("ack.base_url", "URL", "The address people open the links at (this relay, "
            "or the reverse proxy in front of it), e.g. `https://oncall-relay.example.com`.",
            text, default_doc="none"),
        Key("ack.secret_env", "environment variable", "Holds the secret the links are "
            "signed with (HMAC-SHA256, at least 32 bytes); never in this file.", text,
            default_doc="none"),
        Key("ack.slack_signing_secret_env", "environment variable", "Holds the Slack "
            "app's signing secret (at least 32 bytes): turns on the slash command "
            "`/oncall ack #inc-…` at `POST /slack/command`.", text, default_doc="none"),
        Key("ack.valid_seconds", "whole number >= 60", "How long a link works after its "
            "message (at most 7 days).", _seconds(60, 7 * DAY), default=DAY,
            default_doc="`86400`"),
        Key("incidents", "mapping", "The incident log: fired, acknowledged, escalated and "
            "resolved, one JSON line each, read by `remind --handoff` "
            "(`reminders.incidents_log`)."),
        Key("incidents.log", "path", "Relative to this file.", text,
            default_doc="`incidents.log` in the spool directory"),
        Key("incidents.max_bytes", "whole number >= 4096", "Above this the log is renamed "
            "to `<log>.1` (replacing the older one) and begun anew: it holds at most twice "
            "this.", whole_number(4096), default=16 * 1024 * 1024,
            default_doc="`16777216`"),
        Key("max_body_bytes", "whole number >= 1024", "Largest request accepted (413 "
            "above).", whole_number(1024), default=1_048_576, default_doc="`1048576`"),
        Key("max_connections", "whole number >= 16", "Connections open at once; above "
            "this a new one is answered 503 and closed.", whole_number(16), default=1024,
            default_doc="`1024`"),
    ),
)


class Route:
    """A matcher and the rotation it sends to."""

    __slots__ = ("equal", "regex", "rotation")

    def __init__(
        self, rotation: str, equal: Mapping[str, str], regex: Mapping[str, re.Pattern[str]]
    ) -> None:
        self.rotation = rotation
        self.equal = dict(equal)
        self.regex = dict(regex)

    def matches(self, labels: Mapping[str, str]) -> bool:
        if any(labels.get(k) != v for k, v in self.equal.items()):
            return False
        return all(p.fullmatch(labels.get(k, "")) for k, p in self.regex.items())


class Target:
    """A rotation file and the webhook its alerts are posted to (never logged)."""

    __slots__ = ("backup", "failover_after", "path", "rotation", "url")

    def __init__(self, rotation: str, path: Path, url: str, backup: str | None = None,
                 failover_after: int = 120) -> None:
        self.rotation = rotation
        self.path = path
        self.url = url
        self.backup = backup  # the backup chat's webhook URL, or None
        self.failover_after = failover_after


class RelayConfig:
    """The checked config: targets by rotation id, routes in order, limits."""

    __slots__ = (
        "ack_base",
        "ack_secret",
        "ack_valid",
        "deadline",
        "default",
        "first_retry",
        "incident_log",
        "incident_log_bytes",
        "keep_sent",
        "max_body",
        "max_connections",
        "max_messages",
        "max_retry",
        "path",
        "routes",
        "slack_secret",
        "spool",
        "targets",
        "top",
        "workers",
    )

    def __init__(self, path: Path, top: Section, targets: dict[str, Target]) -> None:
        base = path.parent
        self.path = path
        self.targets = targets
        self.routes = [
            Route(item["rotation"], item["match"] or {}, item["match_re"] or {})
            for item in top["routes"] or []
        ]
        self.default: str = top["default"]
        spool, delivery = top["spool"], top["delivery"]
        self.spool = base / spool["directory"]
        self.max_messages: int = spool["max_messages"]
        self.keep_sent: int = spool["keep_sent_seconds"]
        self.deadline: int = delivery["deadline_seconds"]
        self.first_retry: int = delivery["first_retry_seconds"]
        self.max_retry: int = delivery["max_retry_seconds"]
        self.workers: int = delivery["workers"]
        incidents = top["incidents"]
        self.incident_log = (base / incidents["log"] if incidents["log"] is not None
                             else self.spool / "incidents.log")
        self.incident_log_bytes: int = incidents["max_bytes"]
        if incidents["log"] is not None and not self.incident_log.parent.is_dir():
            raise incidents.error("log", f"found {self.incident_log}, whose folder does "
                                  "not exist; expected a file in an existing folder",
                                  hint=f"mkdir -p {self.incident_log.parent}")
        self.max_body: int = top["max_body_bytes"]
        self.max_connections: int = top["max_connections"]
        self.top = top  # where each value was written, for the checks made at start
        from oncall.relay.ack import check_base_url, read_secret, read_slack_secret

        ack = top["ack"]
        self.ack_secret = read_secret(ack)
        self.ack_base = (check_base_url(ack["base_url"], ack)
                         if self.ack_secret is not None else "")
        self.ack_valid: int = ack["valid_seconds"]
        self.slack_secret = read_slack_secret(ack, self.ack_secret is not None)

    def route(self, labels: Mapping[str, str]) -> str:
        """The rotation id for an alert group with these (common) labels."""
        for route in self.routes:
            if route.matches(labels):
                return route.rotation
        return self.default


def load_config(path: Path) -> RelayConfig:
    """Read and check the relay config; rotation files are found but not yet opened."""
    file = str(path)
    node = ys.compose(read_text(path), file)
    if node is None:
        raise InputError("found only comments, expected a relay config", mark=Mark(file))
    top = RELAY_KEYS.read(node, At(file))
    targets: dict[str, Target] = {}
    for item in top["rotations"]:
        target = _target(path.parent, item)
        target.backup = _backup(path.parent, item, target.url)
        target.failover_after = item["failover_after_seconds"]
        if target.rotation in targets:
            raise item.error("file", f"rotation {target.rotation!r} is listed twice")
        targets[target.rotation] = target
    known = sorted(targets)
    for item in top["routes"] or []:
        if item["match"] is None and item["match_re"] is None:
            raise item.error(
                None, "found a route without match or match_re, expected at least one",
                hint="the route for everything else is the top-level `default:`",
            )
        _known(item, "rotation", known)
    _known(top, "default", known)
    return RelayConfig(path, top, targets)


def _known(section: Section, key: str, known: list[str]) -> None:
    value = section[key]
    if value not in known:
        raise section.error(
            key,
            f"found rotation {value!r}, expected one of the rotations listed: {', '.join(known)}",
            hint=_did_you_mean(value, known),
        )


def _did_you_mean(value: str, known: list[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def _backup(base: Path, item: Section, primary: str) -> str | None:
    """The backup chat's webhook URL, or None; never the primary's own."""
    env, url_file = item["backup_webhook_url_env"], item["backup_webhook_url_file"]
    if env is None and url_file is None:
        return None
    if env is not None and url_file is not None:
        raise item.error("backup_webhook_url_file", "expected at most one of "
                         "backup_webhook_url_env and backup_webhook_url_file")
    key = "backup_webhook_url_env" if env is not None else "backup_webhook_url_file"
    if env is not None:
        value = os.environ.get(env, "").strip()
        if not value:
            raise item.error(key, f"the environment variable {env} is "
                             f"{'empty' if env in os.environ else 'not set'}")
        url = check_url(value, f"backup_webhook_url_env {env}")
    else:
        shown = base / url_file
        lines = [line.strip() for line in read_text(shown, max_bytes=8192).splitlines()]
        url = check_url(next((line for line in lines if line), ""),
                        f"backup_webhook_url_file {shown}")
    if url == primary:
        raise item.error(key, "found the same webhook URL as the first chat, expected "
                         "another chat's", hint="a backup on the same chat service "
                         "fails with it; use another workspace or service")
    return url


def _target(base: Path, item: Section) -> Target:
    """The rotation file's id (read from its `rotation:` key) and the webhook URL."""
    path = base / item["file"]
    if not path.is_file():
        raise item.error("file", f"found no rotation file at {path}")
    head = ys.compose(read_text(path), str(path))
    rotation = None
    if head is not None:
        for name, _, value in ys.mapping(head, At(str(path))):
            if name == "rotation":
                rotation = rotation_id(value, At(str(path), "rotation"))
    if rotation is None:
        raise item.error("file", f"{path} has no `rotation:` id")
    env, url_file = item["webhook_url_env"], item["webhook_url_file"]
    if (env is None) == (url_file is None):
        raise item.error(
            None, "expected exactly one of webhook_url_env and webhook_url_file",
            hint="the URL is a secret: keep it out of this file",
        )
    if env is not None:
        url = os.environ.get(env, "").strip()
        if not url:
            raise item.error("webhook_url_env", f"the environment variable {env} is "
                             f"{'empty' if env in os.environ else 'not set'}")
        return Target(rotation, path, check_url(url, f"webhook_url_env {env}"))
    shown = base / url_file
    lines = [line.strip() for line in read_text(shown, max_bytes=8192).splitlines()]
    url = next((line for line in lines if line), "")
    return Target(rotation, path, check_url(url, f"webhook_url_file {shown}"))
