"""Reminder messages for the chat room: today's people, the next duty day's, the hand-off.

Pure: it takes the rotation, its duty calendar, its schedule and a date, and returns the
words (via ``messages``) as plain text, Slack mrkdwn or a JSON object. Printing and
posting are the command's job.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from oncall.core.duty import OnDuty, Person, duty_of_day, next_duty_day, skipped_days_off
from oncall.core.duty_calendar import DutyCalendar
from oncall.core.model import Rotation
from oncall.core.schedule import Schedule
from oncall.render import messages

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms) at start-up
if TYPE_CHECKING:
    from typing import Any

KINDS = ("today", "next", "handoff")
FORMATS = ("text", "slack", "json")
JSON_VERSION = 1

# A whole Slack mention or link token (user, user group, @here...) that a team lead wrote
# on purpose, e.g. `fallback: "<!subteam^S0123|@sre>"`: escaping it would break the ping.
_SLACK_TOKEN = re.compile(r"<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+|![a-z]+(?:\^[A-Z0-9]+)?)(?:\|[^<>]*)?>")


@dataclass(frozen=True)
class Reminder:
    """What one reminder says: the duty it is about and, for a hand-off, who comes next."""

    kind: str
    rotation: Rotation
    duty: OnDuty
    takes_over: OnDuty | None = None
    no_duty: Mapping[date, str] = field(default_factory=dict)  # holidays skipped by --next


def build(
    kind: str,
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule | None,
    today: date,
) -> Reminder | None:
    """The reminder of ``kind`` for ``today``, or None when there is no duty to remind of
    (a weekend, a holiday, nobody planned): cron then prints nothing."""
    if kind not in KINDS:
        raise ValueError(f"unknown reminder kind {kind!r}")
    if kind == "next":
        upcoming = next_duty_day(calendar, today)
        if upcoming is None:
            return None
        duty = duty_of_day(rotation, calendar, schedule, upcoming)
        if not duty.on_duty:
            return None
        skipped = skipped_days_off(rotation, calendar, today, upcoming)
        return Reminder(kind, rotation, duty, no_duty=skipped)
    duty = duty_of_day(rotation, calendar, schedule, today)
    if not duty.on_duty:
        return None
    if kind == "today":
        return Reminder(kind, rotation, duty)
    upcoming = next_duty_day(calendar, today)
    following = duty_of_day(rotation, calendar, schedule, upcoming) if upcoming else None
    if following is not None and not following.on_duty:
        following = None
    return Reminder(kind, rotation, duty, takes_over=following)


# --- Rendering -------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class _Style:
    language: str
    escape: Callable[[str], str]
    user_text: Callable[[str], str]
    slack: bool
    bullet: str

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


def duty_json(found: OnDuty) -> dict[str, Any]:
    """The shape `who --format json` and `remind --format json` share (version 1)."""
    rotation = found.rotation
    window = None
    if found.window is not None:
        start, end = found.window
        window = {"start": start.isoformat(), "end": end.isoformat()}
    return {
        "version": JSON_VERSION,
        "rotation": rotation.rotation,
        "timezone": rotation.timezone,
        "date": found.day.isoformat(),
        "on_duty": found.on_duty,
        "window": window,
        "primary": [p.as_json() for p in found.primary],
        "shadow": [p.as_json() for p in found.shadow],
        "fallback": rotation.fallback,
        "day_off": found.day_off,
    }


def as_json(reminder: Reminder) -> dict[str, Any]:
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
