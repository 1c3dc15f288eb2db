"""Reminder messages for the chat room: today's people, the next duty day's, the hand-off.

Pure: a ``Reminder`` (``oncall.usecases.remind``) in, the words (via ``messages``) out,
as plain text, Slack mrkdwn or a JSON object. Printing and posting are the command's job.
On the cron path: standard library and the light modules only.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from oncall.render import messages

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms) at start-up
if TYPE_CHECKING:
    from typing import Any

    from oncall.core.duty import Person
    from oncall.core.model import Rotation
    from oncall.usecases.remind import Reminder, TermOver

FORMATS = ("text", "slack", "json")

# A whole Slack mention or link token (user, user group, @here...) that a team lead wrote
# on purpose, e.g. `fallback: "<!subteam^S0123|@sre>"`: escaping it would break the ping.
_SLACK_TOKEN = re.compile(r"<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+|![a-z]+(?:\^[A-Z0-9]+)?)(?:\|[^<>]*)?>")


def slack_escape(value: str) -> str:
    """Slack's three control characters, so a name like `R&D <ops>` shows as written."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_user_text(value: str) -> str:
    """Escape user text, keeping whole Slack mention tokens the user wrote on purpose."""
    out: list[str] = []
    position = 0
    for match in _SLACK_TOKEN.finditer(value):
        out.append(slack_escape(value[position : match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(slack_escape(value[position:]))
    return "".join(out)


class _Style:
    """How one output format words people: plain text or Slack mrkdwn."""

    __slots__ = ("bullet", "escape", "language", "slack", "user_text")

    def __init__(
        self,
        language: str,
        escape: Callable[[str], str],
        user_text: Callable[[str], str],
        slack: bool,
        bullet: str,
    ) -> None:
        self.language = language
        self.escape = escape
        self.user_text = user_text
        self.slack = slack
        self.bullet = bullet

    def mention(self, who: Person) -> str:
        if self.slack and who.slack:
            return messages.honorific(self.language, f"<@{who.slack}>")
        named = messages.honorific(self.language, self.escape(who.name))
        if who.name == who.handle:
            return messages.honorific(self.language, f"@{who.handle}")
        return f"{named} (@{who.handle})"

    def people(self, people: tuple[Person, ...]) -> str:
        return messages.join(self.language, [self.mention(p) for p in people])


def _style(rotation: Rotation, output_format: str) -> _Style:
    if output_format == "slack":
        return _Style(rotation.language, slack_escape, _slack_user_text, True, "•")
    return _Style(rotation.language, str, str, False, "-")


def render(reminder: Reminder, output_format: str = "text") -> str:
    """The message as plain text or Slack mrkdwn (``<@ID>`` mentions, escaped user text)."""
    rotation = reminder.rotation
    style = _style(rotation, output_format)
    lang = rotation.language
    duty = reminder.duty
    when = {
        "date": messages.day(lang, duty.day),
        "window": messages.window(lang, rotation.window),
    }
    lines: list[str] = []
    if reminder.kind == "handoff":
        lines.append(messages.text(lang, "handoff", people=style.people(duty.people), **when))
        lines += [
            f"{style.bullet} " + messages.text(lang, "report_item", item=style.user_text(item))
            for item in rotation.reminders.report
        ]
        nxt = reminder.takes_over
        if nxt is None:
            lines.append(messages.text(lang, "nobody_next"))
        else:
            lines.append(
                messages.text(
                    lang,
                    "takes_over",
                    people=style.people(nxt.primary),
                    date=messages.day(lang, nxt.day),
                    window=when["window"],
                )
            )
            if nxt.shadow:
                lines.append(messages.text(lang, "shadows", people=style.people(nxt.shadow)))
        return "\n".join(lines)
    key = "today" if reminder.kind == "today" else "next"
    lines.append(messages.text(lang, key, people=style.people(duty.primary), **when))
    if duty.shadow:
        lines.append(messages.text(lang, "shadows", people=style.people(duty.shadow)))
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
        lines.append(messages.text(lang, "no_duty_between", days=days))
    reminders = rotation.reminders
    if reminder.kind == "next" and reminders.checklist:
        lines.append(messages.text(lang, "checklist"))
        lines += [f"{style.bullet} {style.user_text(item)}" for item in reminders.checklist]
    if reminder.kind == "next" and reminders.manual:
        lines.append(messages.text(lang, "manual", url=style.user_text(reminders.manual)))
    if rotation.escalation:
        lines.append(messages.text(lang, "escalation", text=style.user_text(rotation.escalation)))
    if rotation.fallback:
        lines.append(messages.text(lang, "fallback", fallback=style.user_text(rotation.fallback)))
    return "\n".join(lines)


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
    out["text"] = render(reminder, "text")
    return out


def term_over(notice: TermOver) -> str:
    """Said on stderr (stdout stays empty, exit stays 0), so cron mails the lead to plan the
    next term."""
    return (
        f"oncall: {notice.rotation}: the planned term {notice.first}..{notice.last} has no "
        "duty day left; plan the next term (oncall plan --start YYYY-MM-DD)"
    )
