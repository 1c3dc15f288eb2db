"""`oncall show`: the schedule as people want to read it.

``build_view`` is pure (rows of duty days and holidays, overrides marked, load per member
over the term); ``print_views`` draws it with rich on a terminal and as plain aligned text
into pipes or when NO_COLOR is set. rich is imported only when drawing for a terminal.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, TextIO

from oncall.core.duty import Person, person
from oncall.core.duty_calendar import DutyCalendar
from oncall.core.model import DateRange, Rotation
from oncall.core.rules import eligible_members, served_slots
from oncall.core.schedule import Override, Schedule
from oncall.render import messages

BAR = "█"
BAR_WIDTH = 20


@dataclass(frozen=True)
class Row:
    """One calendar day of the table: a duty day with its people, or a day off."""

    day: date
    duty: bool
    day_off: str | None
    primary: tuple[str, ...]
    shadow: tuple[str, ...]
    incoming: tuple[str, ...]  # handles put there by an override
    overrides: tuple[Override, ...]


@dataclass(frozen=True)
class Load:
    person: Person
    primary_shifts: int
    shadow_shifts: int
    primary_days: int
    shadow_days: int


@dataclass(frozen=True)
class View:
    rotation: Rotation
    span: DateRange
    person: str | None
    rows: tuple[Row, ...]
    load: tuple[Load, ...]
    today: date


def build_view(
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule,
    *,
    span: DateRange | None,
    person: str | None,
    today: date,
) -> View:
    """Rows for ``span`` (default: the calendar's whole range) and load over the term."""
    shown = span or DateRange(calendar.first, calendar.last)
    rows: list[Row] = []
    for day in shown.days():
        if calendar.is_duty_day(day):
            duty = schedule.duty_on(day)
            if person is not None and person not in duty.people:
                continue
            planned = schedule.shifts[duty.shift].people if duty.shift is not None else ()
            incoming = tuple(h for h in duty.people if h not in planned)
            changes = tuple(schedule.overrides[i] for i in duty.overrides)
            rows.append(Row(day, True, None, duty.primary, duty.shadow, incoming, changes))
        elif (
            person is None
            and day in calendar.days_off
            and day.weekday() in rotation.window.days
        ):
            rows.append(Row(day, False, calendar.days_off[day], (), (), (), ()))
    return View(rotation, shown, person, tuple(rows), _load(rotation, calendar, schedule, person),
                today)


def _load(
    rotation: Rotation, calendar: DutyCalendar, schedule: Schedule, only: str | None
) -> tuple[Load, ...]:
    duties = schedule.duties(calendar.duty_days)
    served = served_slots(calendar, duties)
    handles = [m.handle for m in eligible_members(rotation)]
    handles += sorted(h for h in served if h not in handles)
    loads = []
    for handle in handles:
        if only is not None and handle != only:
            continue
        slots = served.get(handle, {})
        loads.append(
            Load(
                person(rotation, handle),
                sum(1 for roles in slots.values() if "primary" in roles),
                sum(1 for roles in slots.values() if set(roles) == {"shadow"}),
                sum(1 for d in duties if handle in d.primary),
                sum(1 for d in duties if handle in d.shadow),
            )
        )
    return tuple(loads)


def as_json(view: View) -> dict[str, Any]:
    rotation = view.rotation
    return {
        "version": 1,
        "rotation": rotation.rotation,
        "timezone": rotation.timezone,
        "window": str(rotation.window),
        "from": view.span.first.isoformat(),
        "to": view.span.last.isoformat(),
        "person": view.person,
        "days": [
            {
                "date": row.day.isoformat(),
                "duty": row.duty,
                "day_off": row.day_off,
                "primary": list(row.primary),
                "shadow": list(row.shadow),
                "overrides": [
                    {
                        "dates": str(o.dates),
                        "out": o.out,
                        "in": o.in_,
                        "reason": o.reason,
                        "forced": o.forced,
                    }
                    for o in row.overrides
                ],
            }
            for row in view.rows
        ],
        "load": [
            {
                **load.person.as_json(),
                "primary_shifts": load.primary_shifts,
                "shadow_shifts": load.shadow_shifts,
                "primary_days": load.primary_days,
                "shadow_days": load.shadow_days,
            }
            for load in view.load
        ],
    }


# --- Drawing -----------------------------------------------------------------------------------


def _cells(view: View, row: Row) -> list[str]:
    lang = view.rotation.language
    mark = {h: f"{h}*" for h in row.incoming}
    notes = [row.day_off] if row.day_off else []
    for override in row.overrides:
        why = f" ({override.reason})" if override.reason else ""
        forced = " [forced]" if override.forced else ""
        notes.append(f"* {override.out or '-'} -> {override.in_ or '-'}{why}{forced}")
    return [
        row.day.isoformat(),
        messages.weekday(lang, row.day),
        ", ".join(mark.get(h, h) for h in row.primary) if row.duty else "-",
        ", ".join(mark.get(h, h) for h in row.shadow),
        "; ".join(notes),
    ]


HEADERS = ("Date", "Day", "Primary", "Shadow", "Note")


def _title(view: View) -> str:
    rotation = view.rotation
    who = f", {view.person}" if view.person else ""
    return (
        f"{rotation.rotation}: {view.span} ({rotation.timezone}, "
        f"{messages.window(rotation.language, rotation.window)}{who})"
    )


def _bar(value: int, top: int) -> str:
    if top <= 0 or value <= 0:
        return ""
    return BAR * max(1, round(value * BAR_WIDTH / top))


def _load_cells(view: View, load: Load, top: int) -> list[str]:
    shadow = f" +{load.shadow_shifts} shadow" if load.shadow_shifts else ""
    return [
        load.person.handle,
        load.person.name,
        load.person.team or "",
        f"{_bar(load.primary_shifts, top)} {load.primary_shifts}{shadow}".strip(),
        str(load.primary_days + load.shadow_days),
    ]


LOAD_HEADERS = ("Member", "Name", "Team", "Shifts", "Days")


def _load_title(view: View) -> str:
    return f"Load over the term {view.rotation.term} (primary shifts)"


def _top(views: View) -> int:
    return max((load.primary_shifts for load in views.load), default=0)


def use_rich(stream: TextIO) -> bool:
    """Colour and boxes only for a person at a terminal who has not asked for NO_COLOR."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def print_views(views: list[View], stream: TextIO) -> None:
    if use_rich(stream):
        _print_rich(views, stream)
        return
    blocks = [_plain(view) for view in views]
    stream.write("\n\n".join(blocks) + "\n")


def _plain(view: View) -> str:
    lines = [_title(view)]
    if view.rows:
        lines += _columns(HEADERS, [_cells(view, row) for row in view.rows])
    else:
        lines.append("no duty days in this range")
    if view.load:
        top = _top(view)
        lines += ["", _load_title(view)]
        lines += _columns(LOAD_HEADERS, [_load_cells(view, load, top) for load in view.load])
    return "\n".join(lines)


def width(text: str) -> int:
    """Terminal columns: wide (CJK) characters take two, so Japanese names line up."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _columns(headers: tuple[str, ...], rows: list[list[str]]) -> list[str]:
    table = [list(headers), *rows]
    widths = [max(width(r[i]) for r in table) for i in range(len(headers))]
    lines = []
    for cells in table:
        padded = [c + " " * (widths[i] - width(c)) for i, c in enumerate(cells)]
        lines.append("  ".join(padded).rstrip())
    return lines


def _print_rich(views: list[View], stream: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=stream, highlight=False, markup=False)
    for number, view in enumerate(views):
        if number:
            console.print()
        table = Table(title=_title(view), title_justify="left")
        for header in HEADERS:
            table.add_column(header)
        for row in view.rows:
            style = "dim" if not row.duty else ("yellow" if row.overrides else None)
            if row.day == view.today:
                style = "bold"
            table.add_row(*(Text(c) for c in _cells(view, row)), style=style)
        console.print(table)
        if view.load:
            top = _top(view)
            load = Table(title=_load_title(view), title_justify="left")
            for header in LOAD_HEADERS:
                load.add_column(header)
            for entry in view.load:
                load.add_row(*(Text(c) for c in _load_cells(view, entry, top)))
            console.print(load)
