"""One alert group as a chat message: who is on duty is mentioned, nobody else is.

Pure: an ``AlertGroup`` (``oncall.core.alerts``) and the ``OnDuty`` answer for the moment
it arrived in, the chat's payload out. It words people and wraps the message with the
reminders' chat styles (``oncall.render.reminders``), so an alert mentions a member
exactly as a reminder does. Inside the window a firing group mentions the primaries on
duty, with the escalation text; outside it (or when nobody is planned) nobody is
mentioned and the fallback is named; a resolved group mentions nobody. Every piece of
alert text comes from a sender we do not control, so it is escaped as strictly as a
member's name: a label cannot ping a channel or forge a mention.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from oncall.core.alerts import Alert, AlertGroup
from oncall.core.duty import OnDuty
from oncall.core.model import Rotation
from oncall.render import messages
from oncall.render.reminders import _Style, chat_payload, chat_style

MAX_ALERT_LINES = 10
MAX_TEXT = 300


def payload(group: AlertGroup, duty: OnDuty, chat: str) -> dict[str, Any]:
    """The JSON body ``chat``'s webhook expects for the group."""
    style = chat_style(duty.rotation, chat)
    return chat_payload(chat, _render(group, duty, style), style)


def render(group: AlertGroup, duty: OnDuty, chat: str = "text") -> str:
    """The message as ``chat`` shows it (plain text by default)."""
    return _render(group, duty, chat_style(duty.rotation, chat))


def mentions(group: AlertGroup, duty: OnDuty) -> bool:
    """Whether the message for this group mentions the people on duty."""
    return group.status == "firing" and duty.on_duty and bool(duty.primary)


def fallback_line(rotation: Rotation, style: _Style) -> str | None:
    """Who owns an alert nobody on duty is mentioned for. The one place a fallback group
    mention would be added."""
    if not rotation.fallback:
        return None
    return messages.text(rotation.language, "fallback", fallback=style.user_text(rotation.fallback))


def _render(group: AlertGroup, duty: OnDuty, style: _Style) -> str:
    rotation = duty.rotation
    lang = rotation.language
    title = style.escape(_clip(_title(group)))
    if group.status == "firing":
        lines = [messages.text(lang, "alert_firing", count=str(len(group.firing)), title=title)]
    else:
        lines = [messages.text(lang, "alert_resolved", title=title)]
    if mentions(group, duty):
        lines.append(messages.text(lang, "alert_on_duty", people=style.people(duty.primary)))
    shown = group.alerts[:MAX_ALERT_LINES]
    lines += [f"{style.bullet} {_alert_line(alert, group, style)}" for alert in shown]
    if len(group.alerts) > len(shown):
        more = str(len(group.alerts) - len(shown))
        lines.append(f"{style.bullet} {messages.text(lang, 'alert_more', count=more)}")
    if group.status == "firing":
        if mentions(group, duty):
            if rotation.escalation:
                lines.append(
                    messages.text(
                        lang, "escalation", text=style.user_text(rotation.escalation)
                    )
                )
        else:
            fallback = fallback_line(rotation, style)
            if fallback:
                lines.append(fallback)
    return "\n".join(lines)


def _title(group: AlertGroup) -> str:
    if group.title:
        return group.title
    name = group.common_labels.get("alertname")
    if name:
        return name
    labels = group.group_labels or group.common_labels
    return ", ".join(f"{k}={v}" for k, v in sorted(labels.items())) or "alerts"


def _alert_line(alert: Alert, group: AlertGroup, style: _Style) -> str:
    """The alert's name, what it says, and the labels that tell it from the others."""
    own = {
        k: v
        for k, v in sorted(alert.labels.items())
        if k != "alertname" and group.common_labels.get(k) != v
    }
    parts = [alert.name or "alert"]
    if alert.summary:
        parts[0] += ":"
        parts.append(alert.summary)
    if own:
        parts.append("(" + ", ".join(f"{k}={v}" for k, v in own.items()) + ")")
    if group.status == "firing" and alert.status == "resolved":
        parts.append("[resolved]")
    return style.escape(_clip(" ".join(parts)))


def _clip(value: str) -> str:
    """One line, at most MAX_TEXT characters: a sender's text cannot fake message lines."""
    printable = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in value)
    flat = " ".join(printable.split())
    return flat if len(flat) <= MAX_TEXT else flat[: MAX_TEXT - 1] + "…"
