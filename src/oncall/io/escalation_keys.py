"""``escalation:`` in a rotation file: the text people read, or a mapping that also sets
the relay's timer (``after: 30m``) and where an unacknowledged, unresolved alert goes
then (another chat's webhook, or PagerDuty's Events API v2), with an optional second step
(``then``).

The text form stays what it always was (``escalation: "Escalate to SRE after 30
minutes"``); the mapping's ``text`` is that same text. Secrets stay out of the file: a
step names the environment variable that holds the webhook URL or the routing key, which
`oncall relay` reads at start. A timer of zero, a negative one, one over a day, or a step
without a target is an error with its place, for every command that reads the file.
"""

from __future__ import annotations

import re

from yaml.nodes import MappingNode, Node

from oncall.core.model import PAGERDUTY_EVENTS_URL, EscalationStep
from oncall.io import yamlsafe as ys
from oncall.io.readers import text
from oncall.io.schema import Key, Section, Table
from oncall.io.yamlsafe import At, mark_of

DAY_SECONDS = 86_400
_DURATION = re.compile(r"(-?[0-9]+)(s|m|h)")
_UNITS = {"s": 1, "m": 60, "h": 3600}
_ENV = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def duration(node: Node, at: At) -> int:
    """``30m``, ``1h`` or ``90s``: whole seconds above zero, at most a day."""
    raw = ys.text(node, at).strip()
    match = _DURATION.fullmatch(raw)
    if match is None:
        raise at.error(node, f"found {raw!r}, expected a time such as 30m, 1h or 90s")
    seconds = int(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise at.error(node, f"found {raw}, expected a time above zero, such as 30m")
    if seconds > DAY_SECONDS:
        raise at.error(node, f"found {raw}, expected at most a day (24h): a timer "
                       "longer than a duty day escalates after the people have gone home")
    return seconds


def env_name(node: Node, at: At) -> str:
    value = ys.text(node, at)
    if not _ENV.fullmatch(value):
        raise at.error(node, f"found {value!r}, expected an environment variable name "
                       "such as SRE_CHAT_WEBHOOK")
    return value


def _url(node: Node, at: At) -> str:
    value = text(node, at)
    if not value.startswith(("https://", "http://")):
        raise at.error(node, f"found {value!r}, expected an http(s) URL")
    return value


def _step_keys(prefix: str) -> tuple[Key, ...]:
    second = prefix.endswith("then.")
    return (
        Key(f"{prefix}after", "time: `Nm`, `Nh` or `Ns`", "How long after "
            + ("the first step" if second else "the alert fired (not acknowledged, not "
                                                  "resolved)") + " this step escalates "
            "(above zero, at most a day)" + ("; required in `then`." if second else "."),
            duration, required=not second),
        Key(f"{prefix}webhook_url_env", "environment variable", "Escalate to another "
            "chat (e.g. SRE's channel): the variable holding its webhook URL, posted in "
            "the rotation's `reminders.chat` format.", env_name, default_doc="none"),
        Key(f"{prefix}pagerduty_routing_key_env", "environment variable", "Escalate "
            "through PagerDuty's Events API v2: the variable holding the integration's "
            "routing key (`event_action: trigger`, then `resolve`, `dedup_key` the "
            "incident tag).", env_name, default_doc="none"),
        Key(f"{prefix}pagerduty_url", "URL", "Where PagerDuty events are sent.", _url,
            default=PAGERDUTY_EVENTS_URL, default_doc=f"`{PAGERDUTY_EVENTS_URL}`"),
    )


ESCALATION_KEYS = Table(
    "Escalation (`escalation:` as a mapping)",
    (
        Key("escalation.text", "text", "What people read: the same as `escalation:` "
            "written as text.", text, default_doc="none"),
        *_step_keys("escalation."),
        Key("escalation.then", "mapping", "An optional second step, with the keys above "
            "(`then.after` counts from the first step).", default_doc="none"),
        *_step_keys("escalation.then."),
    ),
)


def escalation(node: Node, at: At) -> tuple[str | None, tuple[EscalationStep, ...]]:
    """The text, and the relay's steps (none for the text form)."""
    if not isinstance(node, MappingNode):
        return text(node, at), ()
    top = ESCALATION_KEYS.read(node, at, "escalation")
    steps = [_step(top, at)]
    then: Section = top["then"]
    if then.node is not None:
        if then["after"] is None:
            raise then.error(None, "found a second step without after, expected one such "
                             "as after: 30m")
        steps.append(_step(then, at.key("then")))
    return top["text"], tuple(steps)


def _step(section: Section, at: At) -> EscalationStep:
    webhook, pagerduty = section["webhook_url_env"], section["pagerduty_routing_key_env"]
    if (webhook is None) == (pagerduty is None):
        found = "both" if webhook is not None else "neither"
        raise section.error(None, f"found {found} of webhook_url_env and "
                            "pagerduty_routing_key_env, expected exactly one: the step's "
                            "target", hint="webhook_url_env: SRE_CHAT_WEBHOOK posts to "
                            "SRE's chat; pagerduty_routing_key_env pages through PagerDuty")
    node = section.nodes.get("webhook_url_env" if webhook else "pagerduty_routing_key_env")
    mark = mark_of(node, at.file)
    return EscalationStep(
        after_seconds=section["after"],
        webhook_url_env=webhook,
        pagerduty_routing_key_env=pagerduty,
        pagerduty_url=section["pagerduty_url"],
        where=(mark.file, mark.line, mark.column),
        key=f"{at.path}.{'webhook_url_env' if webhook else 'pagerduty_routing_key_env'}",
    )
