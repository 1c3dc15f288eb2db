"""What a calendar should show and what it does show, for the calendar propagation tests.

``expected_duty`` asks the schedule itself (overrides applied, the same ``duty_on`` that
`who` and `show` use); ``confirmed_days`` reads an exported or synced calendar back with
icalendar, keeping only the events a client shows (not cancelled).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import icalendar

from oncall.core.calendar import build_calendar
from oncall.io.loading import load_rotation, load_schedule, schedule_path_for


def expected_duty(rotation_path: Path) -> dict[str, set[date]]:
    """Each member's duty days according to the committed rotation and schedule."""
    rotation = load_rotation(rotation_path)
    schedule = load_schedule(schedule_path_for(rotation_path), rotation)
    calendar = build_calendar(rotation, schedule.term.start, schedule.term.end)
    duty: dict[str, set[date]] = {member.handle: set() for member in rotation.members}
    for day in calendar.duty_days:
        for handle in schedule.duty_on(day).people:
            duty[handle].add(day)
    return duty


def events_of(data: Iterable[bytes]) -> list[icalendar.Event]:
    """Every VEVENT of the given calendar objects or files."""
    found: list[icalendar.Event] = []
    for blob in data:
        found += icalendar.Calendar.from_ical(blob).walk("VEVENT")
    return found


def confirmed_days(events: Iterable[icalendar.Event]) -> list[date]:
    """The days of the events a client shows, in order; a day twice means a duplicate."""
    return sorted(
        event.decoded("DTSTART").date()
        for event in events
        if str(event.get("STATUS", "CONFIRMED")) != "CANCELLED"
    )


def sequences(data: bytes) -> dict[str, tuple[int, str]]:
    """UID -> (SEQUENCE, STATUS) of one calendar."""
    return {
        str(event["UID"]): (int(event["SEQUENCE"]), str(event["STATUS"]))
        for event in events_of([data])
    }


def add_closure(rotation_path: Path, day: str) -> None:
    """Add a company closure to the rotation file of ``tests.helpers.daily``."""
    text = rotation_path.read_text(encoding="utf-8")
    anchor = "    - 2026-12-29..2027-01-03\n"
    rotation_path.write_text(text.replace(anchor, f"{anchor}    - {day}\n"), encoding="utf-8")


def set_member(rotation_path: Path, handle: str, extra: str) -> None:
    """Add ``extra`` (``left: 2027-01-20``, ``unavailable: [...]``) to a member's entry."""
    text = rotation_path.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if f"handle: {handle}," in ln)
    replaced = line.replace("volunteer: true", f"volunteer: true, {extra}", 1)
    rotation_path.write_text(text.replace(line, replaced), encoding="utf-8")
