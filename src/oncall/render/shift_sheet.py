"""`oncall export --format csv --by shift`: the weekly sheet the teams kept, one row per
shift, with who serves it (names, handles, teams), the weekdays in the rotation's
language, and a marker for every day someone else serves (a swap, a one-day cover).

Pure: model objects in, text out, written like the day sheet (``oncall.render.
spreadsheet``: RFC 4180, CRLF, formulas defused), and every cell that a spreadsheet would
turn into a number, a date or a boolean (a handle ``007``, a team ``1e3``) kept as text
(``textual``). Dates stay dates: the ``start`` and ``end`` columns are ISO days.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date

from oncall.core.duty_calendar import DutyCalendar
from oncall.core.model import Rotation
from oncall.core.schedule import Override, Schedule, Shift
from oncall.render.messages import day as day_text
from oncall.render.messages import weekday
from oncall.render.spreadsheet import BOM, textual

SHIFT_COLUMNS: tuple[str, ...] = (
    "start", "end", "weekdays", "primary", "primary_handles", "primary_teams",
    "shadow", "shadow_handles", "shadow_teams", "changes",
)
# The change markers, in the rotation's language: a swap (an override), a one-day cover
# (`shift.cover: day`), a day dropped (no one in) and an extra person (no one out).
_WORDS = {
    "en": {"swap": "swap", "cover": "cover", "dropped": "dropped", "extra": "extra"},
    "ja": {"swap": "交代", "cover": "代理", "dropped": "担当なし", "extra": "追加"},
}
JOIN = "; "


def shift_rows(
    rotation: Rotation, schedule: Schedule, calendar: DutyCalendar, *, person: str | None = None
) -> list[list[str]]:
    """One row per shift with a duty day in ``calendar`` (with ``person``: the shifts
    they are planned in or serve a day of), as its cells, unguarded."""
    days = sorted(calendar.duty_days)
    out = []
    for index, shift in enumerate(schedule.shifts):
        held = [d for d in days if shift.start <= d <= shift.end]
        if not held:
            continue
        changes, serving = _changes(rotation, schedule, index, held)
        if person is not None and person not in set(shift.people) | serving:
            continue
        out.append(_row(rotation, schedule, shift, held, changes))
    return out


def _row(
    rotation: Rotation, schedule: Schedule, shift: Shift, held: list[date], changes: list[str]
) -> list[str]:
    language = rotation.language
    first, last = weekday(language, held[0]), weekday(language, held[-1])
    return [
        shift.start.isoformat(),
        shift.end.isoformat(),
        first if first == last else f"{first}-{last}",
        JOIN.join(_name(rotation, schedule, h) for h in shift.primary),
        JOIN.join(shift.primary),
        JOIN.join(_team(rotation, h) for h in shift.primary),
        JOIN.join(_name(rotation, schedule, h) for h in shift.shadow),
        JOIN.join(shift.shadow),
        JOIN.join(_team(rotation, h) for h in shift.shadow),
        JOIN.join(changes),
    ]


def _changes(
    rotation: Rotation, schedule: Schedule, index: int, held: list[date]
) -> tuple[list[str], set[str]]:
    """The shift's markers, in day order, and everyone serving one of its days."""
    words = _WORDS.get(rotation.language, _WORDS["en"])
    language = rotation.language
    covers: list[tuple[date, str]] = []
    by_override: dict[int, list[date]] = {}
    serving: set[str] = set()
    for day in held:
        duty = schedule.duty_on(day)
        serving |= set(duty.people)
        for out, into in duty.covers:
            who = f"{_name(rotation, schedule, out)} → {_name(rotation, schedule, into)}"
            covers.append((day, f"{words['cover']} {day_text(language, day)}: {who}"))
        for number in duty.overrides:
            by_override.setdefault(number, []).append(day)
    found = list(covers)
    for number, days in by_override.items():
        override = schedule.overrides[number]
        when = day_text(language, days[0])
        if days[-1] != days[0]:
            when += f"..{day_text(language, days[-1])}"
        found.append((days[0], f"{_marker(override, words)} {when}: "
                      f"{_who(rotation, schedule, override)}"))
    found.sort(key=lambda change: change[0])
    return [text for _, text in found], serving


def _marker(override: Override, words: dict[str, str]) -> str:
    if override.in_ is None:
        return words["dropped"]
    if override.out is None:
        return words["extra"]
    return words["swap"]


def _who(rotation: Rotation, schedule: Schedule, override: Override) -> str:
    out = _name(rotation, schedule, override.out) if override.out else ""
    into = _name(rotation, schedule, override.in_) if override.in_ else ""
    return f"{out} → {into}" if out and into else out or into


def _name(rotation: Rotation, schedule: Schedule, handle: str) -> str:
    member = rotation.member(handle)
    if member is not None:
        return member.name or handle
    return (schedule.names or {}).get(handle, handle)


def _team(rotation: Rotation, handle: str) -> str:
    member = rotation.member(handle)
    return member.team if member is not None else ""


def write_shift_rows(
    table: Iterable[Sequence[str]], *, excel: bool = False, raw: bool = False
) -> str:
    """RFC 4180 text; every cell kept as text (``textual``) unless ``raw``. The dates
    stay as they are: they are the sheet's dates."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SHIFT_COLUMNS)
    for row in table:
        if raw:
            writer.writerow(row)
        else:
            writer.writerow([*row[:2], *(textual(cell) for cell in row[2:])])
    return (BOM if excel else "") + buffer.getvalue()
