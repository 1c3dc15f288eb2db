"""What `oncall who` says: who is on duty, or why nobody is, and the fallback.

Also the JSON object `who` and `remind` share (``duty_json``), so an alert router reads one
shape from both. On the cron path: standard library and the light modules only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oncall.core.model import instant_within
from oncall.render import messages

if TYPE_CHECKING:
    from typing import Any

    from oncall.core.duty import OnDuty

JSON_VERSION = 1


def duty_json(found: OnDuty) -> dict[str, Any]:
    """The shape `who --format json` and `remind --format json` share (version 1)."""
    rotation = found.rotation
    window = None
    if found.window is not None:
        start, end = found.window
        window = {"start": start.isoformat(), "end": end.isoformat()}
    return {
        "version": JSON_VERSION,
        "rotation": rotation.id,
        "timezone": rotation.timezone,
        "date": found.day.isoformat(),
        "on_duty": found.on_duty,
        "window": window,
        "primary": [p.as_json() for p in found.primary],
        "shadow": [p.as_json() for p in found.shadow],
        "fallback": rotation.fallback,
        "day_off": found.day_off,
        # One-day covers (shift.cover: day) holding that day: who serves for whom.
        "covers": [
            {"out": out, "in": into}
            for out, into in (found.duty.covers if found.duty is not None else ())
        ],
    }


def who_json(found: OnDuty) -> dict[str, Any]:
    """``duty_json`` with the moment asked about (None for a whole day)."""
    payload = duty_json(found)
    payload["at"] = found.moment.isoformat() if found.moment else None
    return payload


def who_text(found: OnDuty) -> str:
    """The answer in the rotation's language: the people on duty, or why nobody is, then
    the fallback."""
    rotation = found.rotation
    lang = rotation.language
    hours = messages.window(lang, rotation.window)
    day = messages.day(lang, found.day)
    name = rotation.id
    if found.on_duty:
        key = "who_on" if found.moment is not None else "who_day"
        lines = [messages.text(lang, key, rotation=name, date=day, window=hours)]
        for role, people in (("primary", found.primary), ("shadow", found.shadow)):
            if people:
                listed = ", ".join(
                    f"{p.name} (@{p.handle}{', ' + p.team if p.team else ''})" for p in people
                )
                lines.append(f"  {messages.text(lang, role)}: {listed}")
        for out, into in found.duty.covers if found.duty is not None else ():
            lines.append("  " + messages.text(lang, "cover", into=into, out=out))
    elif found.day not in found.term:
        lines = [
            messages.text(lang, "who_off_term", rotation=name, date=day, term=str(found.term))
        ]
    elif found.window is None:
        why = messages.text(lang, "day_off", name=found.day_off) if found.day_off else ""
        lines = [messages.text(lang, "who_off_day", rotation=name, date=day, why=why)]
    elif found.moment is not None and not instant_within(*found.window, found.moment):
        time_text = f"{day} {found.moment.strftime('%H:%M')}"
        lines = [messages.text(lang, "who_off_window", rotation=name, time=time_text, window=hours)]
    else:
        lines = [messages.text(lang, "who_unstaffed", rotation=name, date=day, window=hours)]
    fallback = rotation.fallback or messages.text(lang, "none")
    lines.append(f"  {messages.text(lang, 'fallback_label')}: {fallback}")
    return "\n".join(lines)


def dropped_warning(found: OnDuty) -> str | None:
    """The stderr line for people the schedule names on ``found.day`` although they are not
    members then (``left``/``joined``): `who` and `remind` leave them out and say how to
    mend the schedule."""
    if not found.dropped:
        return None
    day = found.day
    lines = []
    for each in found.dropped:
        member = each.member
        why = (
            f"joins on {member.joined}"
            if member is not None and member.joined is not None and day < member.joined
            else f"left on {member.left if member is not None else '?'}"
        )
        lines.append(
            f"warning: {found.rotation.id}: the schedule names {each.handle} on {day}, "
            f"but {each.handle} {why}: not named as on duty\n"
            f"  hint: `oncall plan` moves their planned shifts, or names the `oncall swap` "
            f"that mends a swap or kept shift naming them (`oncall validate` lists every "
            f"such day); by hand: oncall swap --dates {day} --out {each.handle} --in HANDLE"
        )
    return "\n".join(lines)
