"""Reminder messages for the chat room: today's people, the next duty day's, the hand-off.

Pure: a ``Reminder`` (``oncall.usecases.remind``) in, the words (via ``messages``) out,
as plain text, one chat's markup (Slack, Teams, Google Chat, Mattermost, Discord) or a JSON
object, and ``payload`` wraps a chat's text in the body its webhook expects. Printing and
posting are the command's job. Each chat mentions members by their id for it and escapes
every piece of user text (names, checklist, fallback...) for its markup, so a name cannot
ping a channel or forge a mention.
On the cron path: standard library and the light modules only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oncall import chats
from oncall.render import chat_limits, messages

if TYPE_CHECKING:
    from typing import Any

    from oncall.chats._protocol import Chat
    from oncall.core.duty import Person
    from oncall.core.model import GroupMention, Rotation
    from oncall.usecases.remind import Reminder, TermOver

CHATS = chats.NAMES
FORMATS = ("text", *(name for name in chats.NAMES if name != "text"), "json")


class _Style:
    """How one output format words people: its chat's escaping and mention syntax
    (``oncall.chats``), and what the message said so far (``said``: the mentions made,
    for the payloads that declare them)."""

    __slots__ = ("bullet", "chat", "escape", "language", "platform", "said", "url", "user_text")

    def __init__(self, language: str, platform: Chat) -> None:
        self.language = language
        self.platform = platform
        self.chat = platform.NAME
        self.escape = platform.escape
        self.user_text = platform.user_text
        self.url = platform.url_text
        self.bullet = platform.BULLET
        self.said = chats.Said()

    def group_text(self, text: str, group: GroupMention | None) -> str:
        """The lead's text, after the group's mention in this chat's syntax if it has one."""
        body = self.user_text(text)
        chat_id = group.chat_id(self.chat) if group is not None else None
        token = self.platform.GROUP_TOKEN
        if chat_id is None or token is None:
            return body
        self.said.group(chat_id)
        return f"{token.format(chat_id)} {body}"

    def mention(self, who: Person) -> str:
        chat_id = who.chat_id(self.chat) if self.platform.MEMBER_ID is not None else None
        if chat_id:
            token = self.platform.mention(chat_id, who.name)
            self.said.person(chat_id, token)
            return messages.honorific(self.language, token)
        handle = self.platform.handle_text(who.handle)
        if who.name == who.handle:
            return messages.honorific(self.language, handle)
        return f"{messages.honorific(self.language, self.escape(who.name))} ({handle})"

    def people(self, people: tuple[Person, ...]) -> str:
        return messages.join(self.language, [self.mention(p) for p in people])


def _style(rotation: Rotation, output_format: str) -> _Style:
    return _Style(rotation.language, chats.chat(output_format))


def render(reminder: Reminder, output_format: str = "text") -> str:
    """The message as plain text or a chat's markup (its mentions, escaped user text),
    within that chat's size limit (``chat_limits``)."""
    return _message(reminder, _style(reminder.rotation, output_format))


def _message(reminder: Reminder, style: _Style) -> str:
    return fitted(style, _render(reminder, style))


def fitted(style: _Style, lines: chat_limits.Lines, notice: str = "left_out") -> str:
    """``lines`` as one message within ``style``'s chat's size limit (``chat_limits``);
    ``notice`` says what was left out."""
    platform, said = style.platform, style.said
    return chat_limits.fit(
        platform, style.language, lines, lambda message: platform.size(message, said), notice
    )


def payload(reminder: Reminder, chat: str) -> dict[str, Any]:
    """The JSON body the chat's incoming webhook expects, with the message in it."""
    style = _style(reminder.rotation, chat)
    return chat_payload(chat, _message(reminder, style), style)


def chat_style(rotation: Rotation, chat: str) -> _Style:
    """How ``chat`` words people and user text, for another message (an alert) to reuse."""
    return _style(rotation, chat)


def chat_payload(chat: str, message: str, style: _Style) -> dict[str, Any]:
    """The JSON body ``chat``'s incoming webhook expects for ``message``, declaring the
    mentions ``style`` made while wording it (and no others)."""
    return style.platform.payload(message, style.said)


def _render(reminder: Reminder, style: _Style) -> chat_limits.Lines:
    """The reminder's lines, each with its priority should the chat's limit need some left
    out: 0 (people, escalation, fallback) always stays; 1 (checklist, report fields) goes
    first, then 2 (the days without duty), then 3 (the manual link)."""
    rotation = reminder.rotation
    lang = rotation.language
    duty = reminder.duty
    when = {
        "date": messages.day(lang, duty.day),
        "window": messages.window(lang, rotation.window),
    }
    lines: chat_limits.Lines = []
    if reminder.kind == "handoff":
        lines.append((messages.text(lang, "handoff", people=style.people(duty.people), **when), 0))
        if reminder.alerts is not None:
            lines += _alert_lines(reminder, style)
        for item in rotation.reminders.report:
            field = messages.text(lang, "report_item", item=style.user_text(item))
            lines.append((f"{style.bullet} {field}", 1))
        nxt = reminder.takes_over
        if nxt is None:
            lines.append((messages.text(lang, "nobody_next"), 0))
        else:
            words = messages.text(
                lang,
                "takes_over",
                people=style.people(nxt.primary),
                date=messages.day(lang, nxt.day),
                window=when["window"],
            )
            lines.append((words, 0))
            if nxt.shadow:
                lines.append((messages.text(lang, "shadows", people=style.people(nxt.shadow)), 0))
        return lines
    key = "today" if reminder.kind == "today" else "next"
    lines.append((messages.text(lang, key, people=style.people(duty.primary), **when), 0))
    if duty.shadow:
        lines.append((messages.text(lang, "shadows", people=style.people(duty.shadow)), 0))
    if reminder.no_duty:
        days = messages.join(
            lang,
            [
                messages.text(
                    lang, "day_note", day=messages.day(lang, d), name=style.user_text(name)
                )
                for d, name in sorted(reminder.no_duty.items())
            ],
        )
        lines.append((messages.text(lang, "no_duty_between", days=days), 2))
    reminders = rotation.reminders
    if reminder.kind == "next" and reminders.checklist:
        lines.append((messages.text(lang, "checklist"), 1))
        lines += [(f"{style.bullet} {style.user_text(item)}", 1) for item in reminders.checklist]
    if reminder.kind == "next" and reminders.manual:
        lines.append((messages.text(lang, "manual", url=style.url(reminders.manual)), 3))
    if rotation.escalation:
        escalation = style.group_text(rotation.escalation, rotation.escalation_group)
        lines.append((messages.text(lang, "escalation", text=escalation), 0))
    if rotation.fallback:
        fallback = style.group_text(rotation.fallback, rotation.fallback_group)
        lines.append((messages.text(lang, "fallback", fallback=fallback), 0))
    return lines


def _alert_lines(reminder: Reminder, style: _Style) -> chat_limits.Lines:
    """The duty's alerts: a count by severity, acknowledged and escalated (kept), then one
    line each (left out first when the chat's limit needs it)."""
    found = reminder.alerts
    assert found is not None
    lang, zone = reminder.rotation.language, reminder.rotation.tz
    if not found.incidents:
        return [(messages.text(lang, "alerts_none"), 0)]
    severities = messages.join(lang, [
        messages.text(lang, "alerts_severity", count=str(count), severity=style.escape(
            severity) if severity else messages.text(lang, "alerts_no_severity"))
        for severity, count in sorted(found.by_severity().items(), key=lambda s: s[0] or "~")
    ])
    lines: chat_limits.Lines = [(messages.text(
        lang, "alerts_summary", count=str(len(found.incidents)), severities=severities,
        acked=str(found.acknowledged), escalated=str(found.escalated)), 0)]
    for incident in found.incidents:
        states = []
        if incident.acked_by is not None:
            member = reminder.rotation.by_handle.get(incident.acked_by)
            name = member.name if member is not None else incident.acked_by
            states.append(messages.text(lang, "alerts_acked", name=style.escape(name)))
        if incident.escalations:
            states.append(messages.text(lang, "alerts_escalated"))
        resolved = incident.resolved_at
        states.append(messages.text(lang, "alerts_resolved", time=resolved.astimezone(
            zone).strftime("%H:%M")) if resolved else messages.text(lang, "alerts_open"))
        item = messages.text(lang, "alerts_item",
                             time=incident.fired_at.astimezone(zone).strftime("%H:%M"),
                             title=style.escape(incident.title), tag=incident.tag,
                             state=messages.join(lang, states))
        lines.append((f"{style.bullet} {item}", 1))
    return lines


def _alerts_json(reminder: Reminder) -> dict[str, Any] | None:
    found = reminder.alerts
    if found is None:
        return None
    return {
        "count": len(found.incidents),
        "by_severity": {severity or "none": count
                        for severity, count in sorted(found.by_severity().items(),
                                                      key=lambda s: s[0] or "~")},
        "acknowledged": found.acknowledged,
        "escalated": found.escalated,
        "incidents": [{
            "tag": i.tag, "title": i.title, "fired_at": i.fired_at.isoformat(),
            "alerts": i.alerts, "severity": i.severity, "mentioned": list(i.mentioned),
            "acknowledged_by": i.acked_by,
            "acknowledged_at": i.acked_at.isoformat() if i.acked_at else None,
            "escalations": i.escalations,
            "resolved_at": i.resolved_at.isoformat() if i.resolved_at else None,
        } for i in found.incidents],
        "skipped_lines": len(found.skipped),
    }


def skipped_warning(reminder: Reminder) -> str | None:
    """Said on stderr when the incident log had lines that could not be read."""
    found = reminder.alerts
    if found is None or not found.skipped:
        return None
    return "oncall: warning: " + messages.text(
        reminder.rotation.language, "alerts_skipped", count=str(len(found.skipped)),
        path=str(found.path))


def as_json(reminder: Reminder) -> dict[str, Any]:
    """The versioned object `remind --format json` prints: `who`'s shape plus the words."""
    from oncall.render.who import duty_json  # the shape `who` prints too; text needs none

    rotation = reminder.rotation
    out = duty_json(reminder.duty)
    out["kind"] = reminder.kind
    out["language"] = rotation.language
    out["escalation"] = rotation.escalation
    out["manual"] = rotation.reminders.manual
    out["checklist"] = list(rotation.reminders.checklist)
    out["report"] = list(rotation.reminders.report)
    out["no_duty"] = [
        {"date": d.isoformat(), "name": name} for d, name in sorted(reminder.no_duty.items())
    ]
    if reminder.kind == "handoff":
        out["takes_over"] = duty_json(reminder.takes_over) if reminder.takes_over else None
        out["alerts"] = _alerts_json(reminder)
    out["text"] = render(reminder, "text")
    return out


def term_over(notice: TermOver) -> str:
    """Said on stderr (stdout stays empty, exit stays 0), so cron mails the lead to plan the
    next term."""
    return (
        f"oncall: {notice.rotation}: the planned term {notice.first}..{notice.last} has no "
        f"duty day left; plan the next term (oncall plan --next-term {notice.path})"
    )
