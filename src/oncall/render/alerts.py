"""One alert group as a chat message: who is on duty is mentioned, nobody else is.

Pure: an ``AlertGroup`` (``oncall.core.alerts``) and the ``OnDuty`` answer for the moment
it arrived in, the chat's payload out. It words people and wraps the message with the
reminders' chat styles (``oncall.render.reminders``), so an alert mentions a member
exactly as a reminder does. Inside the window a firing group mentions the primaries on
duty, with the escalation text; outside it (or when nobody is planned) nobody is
mentioned and the fallback is named; a resolved group mentions nobody. Every piece of
alert text comes from a sender we do not control, so it is escaped as strictly as a
member's name: a label cannot ping a channel or forge a mention.

Every message of one alert group (trigger, new alerts, resolve) carries the same incident
tag, ``#inc-`` and six hex digits of the group key's SHA-256, so the channel can be
searched or filtered by incident; Google Chat also threads the messages by it
(``thread.threadKey``). Each message says when the group started (in the rotation's zone
and language) and links the alerts' source, their runbook (``runbook_url``) and a silence
for the group (``oncall.render.alert_links``).
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import tzinfo
from typing import Any

from oncall.core.alerts import Alert, AlertGroup
from oncall.core.duty import OnDuty
from oncall.core.model import Rotation
from oncall.render import alert_links, chat_limits, messages
from oncall.render.reminders import _Style, chat_payload, chat_style, fitted

MAX_ALERT_LINES = 10
MAX_TEXT = 300


def incident_tag(group_key: str) -> str:
    """``#inc-7f3a2c``: the same for every message of one alert group, from its key."""
    return "#inc-" + hashlib.sha256(group_key.encode("utf-8")).hexdigest()[:6]


def payload(group: AlertGroup, duty: OnDuty, chat: str,
            acks: tuple[tuple[str, str], ...] = (), backup: str | None = None) -> dict[str, Any]:
    """The JSON body ``chat``'s webhook expects for the group; ``acks``: each person on
    duty's name and acknowledgement link (``oncall.relay.ack``), shown after the mentions;
    ``backup``: posted to the backup chat, the main one failing since that time."""
    style = chat_style(duty.rotation, chat)
    lines = _render(group, duty, style)
    if acks and mentions(group, duty):
        lang = duty.rotation.language
        links = " · ".join(messages.text(lang, "alert_ack_link", name=style.escape(name),
                                         url=style.url(url)) for name, url in acks)
        lines.insert(2, (messages.text(lang, "alert_ack", links=links), 0))
    body = chat_payload(chat, fitted(style, _noted(lines, duty, backup), "alert_left_out"),
                        style)
    return threaded(body, chat, group.group_key)


def _noted(lines: chat_limits.Lines, duty: OnDuty, backup: str | None) -> chat_limits.Lines:
    if backup is None:
        return lines
    return [*lines, (messages.text(duty.rotation.language, "alert_backup", time=backup), 0)]


def acknowledged(group: AlertGroup, duty: OnDuty, chat: str, name: str,
                 backup: str | None = None) -> dict[str, Any]:
    """The JSON body saying ``name`` acknowledged the incident (nobody is pinged)."""
    style = chat_style(duty.rotation, chat)
    lang = duty.rotation.language
    title = style.escape(_clip(_title(group)))
    lines: chat_limits.Lines = [
        (f"{messages.text(lang, 'alert_acknowledged', title=title)} "
         f"{incident_tag(group.group_key)}", 0),
        (messages.text(lang, "alert_acknowledged_by", name=style.escape(name)), 0),
    ]
    lines = _noted(lines, duty, backup)
    return threaded(chat_payload(chat, fitted(style, lines, "alert_left_out"), style), chat,
                    group.group_key)


def threaded(body: dict[str, Any], chat: str, group_key: str) -> dict[str, Any]:
    """``body`` in the incident's thread where the chat threads by a key of ours (Google
    Chat's ``thread.threadKey``; the webhook URL needs ``messageReplyOption``, see
    ``thread_url``)."""
    if chat == "google-chat":
        return {**body, "thread": {"threadKey": incident_tag(group_key)[1:]}}
    return body


def thread_url(url: str, chat: str) -> str:
    """The webhook URL that makes Google Chat reply in the thread a message names (or start
    it); any other chat's URL as it is."""
    if chat != "google-chat" or "messageReplyOption=" in url:
        return url
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"


def escalated(group: AlertGroup, duty: OnDuty, chat: str, after_seconds: int,
              backup: str | None = None) -> dict[str, Any]:
    """The JSON body for the incident escalated after ``after_seconds`` unacknowledged and
    unresolved: its tag, the escalation text after its group's mention (the one time the
    relay pings ``escalation_group``), and the alerts."""
    style = chat_style(duty.rotation, chat)
    lines = _noted(_render(group, duty, style, after_seconds), duty, backup)
    return threaded(chat_payload(chat, fitted(style, lines, "alert_left_out"), style), chat,
                    group.group_key)


def duration(language: str, seconds: int) -> str:
    """``30 min``, ``1 h 30 min``, ``30分``, ``1時間30分``."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [messages.text(language, unit, count=str(value)) for unit, value in
             (("hours", hours), ("minutes", minutes), ("seconds", secs)) if value]
    return messages.text(language, "duration_join").join(parts)


def render(group: AlertGroup, duty: OnDuty, chat: str = "text") -> str:
    """The message as ``chat`` shows it (plain text by default), within its size limit."""
    style = chat_style(duty.rotation, chat)
    return fitted(style, _render(group, duty, style), "alert_left_out")


def mentions(group: AlertGroup, duty: OnDuty) -> bool:
    """Whether the message for this group mentions the people on duty."""
    return group.status == "firing" and duty.on_duty and bool(duty.primary)


def fallback_line(rotation: Rotation, style: _Style) -> str | None:
    """Who owns an alert nobody on duty is mentioned for: the fallback text, after a
    mention of its group (``fallback_group``) in the chat's syntax when one is set."""
    if not rotation.fallback:
        return None
    fallback = style.group_text(rotation.fallback, rotation.fallback_group)
    return messages.text(rotation.language, "fallback", fallback=fallback)


def _render(group: AlertGroup, duty: OnDuty, style: _Style,
            escalated_after: int | None = None) -> chat_limits.Lines:
    """The lines with their priority for the chat's size limit: the title, who is
    mentioned, the escalation and the fallback always stay; alert lines may be left out.
    ``escalated_after``: the message that escalates the incident after so many seconds."""
    rotation = duty.rotation
    lang = rotation.language
    title = style.escape(_clip(_title(group)))
    tag = incident_tag(group.group_key)
    if escalated_after is not None:
        head = messages.text(lang, "alert_escalated", title=title)
        lines: chat_limits.Lines = [(f"{head} {tag}", 0)]
        if rotation.escalation:
            text = style.group_text(rotation.escalation, rotation.escalation_group)
            lines.append((messages.text(lang, "escalation", text=text), 0))
        why = messages.text(lang, "alert_escalated_why", after=duration(lang, escalated_after))
        lines.append((why, 0))
        return lines + _body(group, style, lang, rotation.tz)
    if group.status == "firing":
        head = messages.text(lang, "alert_firing", count=str(len(group.firing)), title=title)
    else:
        head = messages.text(lang, "alert_resolved", title=title)
    lines = [(f"{head} {tag}", 0)]
    if mentions(group, duty):
        lines.append((messages.text(lang, "alert_on_duty", people=style.people(duty.primary)), 0))
    lines += _body(group, style, lang, rotation.tz)
    if group.status != "firing":
        return lines
    if mentions(group, duty):
        # The escalation's words, not its group's ping: inside the window only the people
        # on duty are mentioned; they escalate when the time comes.
        if rotation.escalation:
            text = style.user_text(rotation.escalation)
            lines.append((messages.text(lang, "escalation", text=text), 0))
    else:
        fallback = fallback_line(rotation, style)
        if fallback:
            lines.append((fallback, 0))
    return lines


def _body(group: AlertGroup, style: _Style, lang: str, zone: tzinfo) -> chat_limits.Lines:
    """When it started, each alert with its links, and the silence link (firing)."""
    lines: chat_limits.Lines = []
    start = alert_links.started(group, zone, lang)
    if start is not None:
        lines.append((start, 0))
    shown = group.alerts[:MAX_ALERT_LINES]
    for alert in shown:  # its links on the next line, kept or left out with it
        links = _links(alert, lang, style)
        line = f"{style.bullet} {_alert_line(alert, group, style)}"
        lines.append((f"{line}\n  {links}" if links else line, 1))
    if len(group.alerts) > len(shown):
        more = str(len(group.alerts) - len(shown))
        lines.append((f"{style.bullet} {messages.text(lang, 'alert_more', count=more)}", 0))
    silence = alert_links.silence(group) if group.status == "firing" else None
    if silence is not None:
        lines.append((messages.text(lang, "alert_silence", url=style.url(silence)), 0))
    return lines


def _links(alert: Alert, lang: str, style: _Style) -> str:
    """"Source: URL · Runbook: URL" for the alert, each only when the sender gave one."""
    parts = []
    source, runbook = alert_links.source(alert), alert_links.runbook(alert)
    if source is not None:
        parts.append(messages.text(lang, "alert_source", url=style.url(source)))
    if runbook is not None:
        parts.append(messages.text(lang, "alert_runbook", url=style.url(runbook)))
    return " · ".join(parts)


def title(group: AlertGroup) -> str:
    """What the group's messages call it: the sender's title, else its alert name."""
    return _title(group)


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
