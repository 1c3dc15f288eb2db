"""A calendar of final shifts (.ics, RFC 5545), as `oncall import ics` reads it: each
event is one person on call from DTSTART to DTEND, such as the calendar feed Opsgenie,
PagerDuty, Grafana OnCall or GoAlert publish.

The person is the event's ATTENDEE (its email, and CN for the name); without one, an
email in the SUMMARY; else the SUMMARY's text with an "On call:" style prefix, Grafana
OnCall's level ("[L1] ") and GoAlert's "On-Call (GoAlert: ...)" taken off, as a person
without email. The zone is X-WR-TIMEZONE, else the first VTIMEZONE, else UTC
(a note says which). Recurring events are expanded up to the last event's end. Every file
is one schedule, named by X-WR-CALNAME or the file name.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import recurring_ical_events

from oncall.core.errors import InputError, Mark
from oncall.core.imported import Note, Source, Spell
from oncall.io.importers.export_json import People

_PREFIX = re.compile(r"^\s*(on[- ]?call|primary|secondary|shift)\s*[:\-–]\s*", re.IGNORECASE)
# Grafana OnCall puts a shift's level first ("[L1] bob", custom_on_call_shift.py
# get_summary_with_user_for_ical); GoAlert's subscriptions end "On-Call (GoAlert: NAME)",
# "Begins*" when the end is unknown (calsub/renderical.go).
_LEVEL = re.compile(r"^\s*\[L\d+\]\s*")
_GOALERT = re.compile(r"\s*On-Call \([^()]*: [^()]*\)( Begins\*)?\s*$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def read(paths: list[Path], people: People) -> list[Source]:
    return [_one(path, people) for path in paths]


def _one(path: Path, people: People) -> Source:
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {path} as UTF-8 text: {error}") from None
    try:
        calendar = icalendar.Calendar.from_ical(raw)
    except ValueError as error:
        raise InputError(
            f"cannot read the calendar: {error}", mark=Mark(str(path)),
            hint="export the calendar again as an .ics (iCalendar) file",
        ) from None
    if calendar.name != "VCALENDAR":
        raise InputError(f"found {calendar.name}, expected a VCALENDAR", mark=Mark(str(path), 1))
    notes: list[Note] = []
    zone = _zone(calendar, path, notes)
    tz = ZoneInfo(zone)
    events = list(calendar.walk("VEVENT"))
    if not events:
        raise InputError("the calendar has no events, expected one per shift",
                         mark=Mark(str(path)), path="VCALENDAR")
    ends = [_moment(e.get("DTEND") or e.get("DTSTART"), tz, path, e) for e in events]
    starts = [_moment(e.get("DTSTART"), tz, path, e) for e in events]
    first, last = min(starts), max(ends) + timedelta(days=1)
    try:
        occurrences = recurring_ical_events.of(calendar).between(first, last)
    except (ValueError, TypeError, OverflowError) as error:
        raise InputError(
            f"cannot expand a recurring event: {error}", mark=Mark(str(path))
        ) from None
    spells: list[Spell] = []
    ways: dict[str, int] = {}
    for number, event in enumerate(occurrences):
        uid = str(event.get("UID") or f"event {number + 1}")
        where = f"VEVENT[UID={uid}]"
        start = _moment(event.get("DTSTART"), tz, path, event)
        end = _moment(event.get("DTEND"), tz, path, event) if event.get("DTEND") else None
        if end is None:
            duration = event.get("DURATION")
            if duration is None:
                raise InputError("the event has no DTEND or DURATION, expected a shift's end",
                                 mark=Mark(str(path)), path=where)
            end = start + duration.dt
        if end <= start:
            notes.append(Note(where, "ends when it starts", "left out: it holds no duty time"))
            continue
        key, how = _person(event, people, where)
        ways[how] = ways.get(how, 0) + 1
        spells.append(Spell(start.astimezone(UTC), end.astimezone(UTC), (key,), where))
    read_as = ", ".join(f"{count} by {how}" for how, count in sorted(ways.items()))
    said = (
        f"{path.name}: {len(spells)} event(s) read as final shifts (each one person on call "
        f"from DTSTART to DTEND), the person named {read_as}"
    )
    name = str(calendar.get("X-WR-CALNAME") or path.stem)
    keys = {k for s in spells for k in s.people}
    return Source(
        name=name, where=path.name, timezone=zone, people=people.subset(keys),
        history=tuple(spells), notes=tuple(notes), read=(said,), zone_key="X-WR-TIMEZONE",
        description=f"Imported from {path.name}",
    )


def _zone(calendar: icalendar.Calendar, path: Path, notes: list[Note]) -> str:
    named = calendar.get("X-WR-TIMEZONE")
    if named is None:
        for component in calendar.walk("VTIMEZONE"):
            named = component.get("TZID")
            break
    if named is None:
        notes.append(Note("VCALENDAR.X-WR-TIMEZONE", "no time zone named",
                          "UTC: set `timezone:` in the rotation file if the team lives elsewhere"))
        return "UTC"
    try:
        ZoneInfo(str(named))
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"unknown time zone {str(named)!r}, expected an IANA name such as Europe/Berlin",
            mark=Mark(str(path)), path="VCALENDAR.X-WR-TIMEZONE",
        ) from None
    return str(named)


def _moment(prop: object, tz: ZoneInfo, path: Path, event: icalendar.Component) -> datetime:
    value = getattr(prop, "dt", None)
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(), tz)
    uid = event.get("UID") or "?"
    raise InputError("the event has no DTSTART, expected the shift's start",
                     mark=Mark(str(path)), path=f"VEVENT[UID={uid}]")


def _person(event: icalendar.Event, people: People, where: str) -> tuple[str, str]:
    attendee = event.get("ATTENDEE")
    if isinstance(attendee, list):
        attendee = attendee[0] if attendee else None
    summary = str(event.get("SUMMARY") or "").strip()
    if attendee is not None:
        email = str(attendee).removeprefix("mailto:").removeprefix("MAILTO:")
        name = str(attendee.params.get("CN") or "") or _name(summary) or email
        return people.add(None, name, email, f"{where}.ATTENDEE"), "ATTENDEE"
    found = _EMAIL.search(summary)
    if found:
        name = _name(summary.replace(found.group(0), "").strip(" ()<>-")) or found.group(0)
        return people.add(None, name, found.group(0), f"{where}.SUMMARY"), "SUMMARY email"
    name = _name(summary)
    if not name and _GOALERT.search(summary):
        raise InputError(
            f"the event names nobody (SUMMARY {summary!r}: a GoAlert subscription to "
            "your own shifts), expected the person on call", path=where,
            hint="subscribe to the full schedule in GoAlert, so each event names its user",
        )
    if not name:
        raise InputError("the event names nobody (no ATTENDEE, empty SUMMARY), expected "
                         "the person on call", path=where)
    return people.add(f"name:{name.lower()}", name, None, f"{where}.SUMMARY"), "SUMMARY name"


def _name(summary: str) -> str:
    return _GOALERT.sub("", _PREFIX.sub("", _LEVEL.sub("", summary))).strip()
