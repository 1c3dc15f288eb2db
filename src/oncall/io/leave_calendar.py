"""Busy time from an iCalendar file (RFC 5545): a person's leave, as `oncall leave import`
reads it.

Every event is expanded over the asked span with recurring-ical-events (RRULE, RDATE,
EXDATE and moved occurrences), one UID at a time so an error names the event it is in.
Only busy time counts: an event marked free (``TRANSP:TRANSPARENT``) or cancelled does not
keep anyone off duty. Times without a zone ("floating") are read in the rotation's zone.
A file that cannot be read is an ``InputError`` naming the file, the line and the event's
UID; nothing is returned half-read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from oncall.core.errors import InputError, Mark, printable
from oncall.core.leave import Busy
from oncall.io.files import read_bytes

# Bounds on what one calendar file may make the import do, each far above a person's
# leave (a few hundred events over years): the file's size, its events, and how far its
# repeating rules (RRULE) run. An RRULE is counted by stepping through it from its
# DTSTART to the end of the span, so FREQ=SECONDLY is refused after this many steps, not
# after expanding a term of seconds (and the import then takes no time at all).
MAX_ICS_BYTES = 8_000_000
MAX_EVENTS = 20_000
MAX_REPEATS = 100_000  # RRULE steps from each DTSTART to the span's end, the file's total
MAX_OCCURRENCES = 20_000  # occurrences inside the span, the file's total


def busy_times(path: Path, tz: ZoneInfo, first: datetime, last: datetime) -> list[Busy]:
    """The busy occurrences in ``path`` that touch ``first``..``last`` (aware instants)."""
    raw = _read(path)
    lines = raw.splitlines()
    try:
        calendar = icalendar.Calendar.from_ical(raw)
    except ValueError as error:
        raise InputError(
            f"cannot read the calendar: {printable(str(error))}",
            mark=Mark(str(path), _quoted_line(lines, str(error))),
            hint="export the calendar again as an .ics (iCalendar) file",
        ) from None
    if calendar.name != "VCALENDAR":
        raise InputError(
            f"found {calendar.name}, expected a VCALENDAR", mark=Mark(str(path), 1)
        )
    timezones = list(calendar.walk("VTIMEZONE"))
    vevents = list(calendar.walk("VEVENT"))
    if len(vevents) > MAX_EVENTS:
        raise InputError(
            f"found {len(vevents)} events, expected at most {MAX_EVENTS}",
            mark=Mark(str(path)),
            hint="export only the calendar that holds the leave, or a shorter span of it",
        )
    by_uid: dict[str, list[icalendar.Component]] = {}
    for index, event in enumerate(vevents):
        uid = str(event.get("UID") or f"(event {index + 1}, no UID)")
        _check(event, uid, path, lines)
        by_uid.setdefault(uid, []).append(event)
    budget = _Budget(path, lines, first, last)
    for uid, events in by_uid.items():
        for event in events:
            budget.spend(event, uid, tz)
    found: list[Busy] = []
    for uid, events in by_uid.items():
        single = icalendar.Calendar()
        for component in (*timezones, *events):
            single.add_component(component)
        try:
            occurrences = recurring_ical_events.of(single).between(first, last)
        except (ValueError, TypeError, OverflowError) as error:
            raise _event_error(path, lines, uid, "RRULE", f"cannot expand it: {error}") from None
        for occurrence in occurrences:
            busy = _busy(occurrence, uid, tz, path, lines)
            if busy is not None:
                found.append(busy)
    return sorted(found, key=lambda b: (b.uid, str(b.start)))


def event_spans(path: Path, tz: ZoneInfo) -> list[tuple[Busy, bool]]:
    """Each busy event of ``path`` as written (its first occurrence), with whether it
    recurs: what ``oncall.core.leave.outside_term`` compares with the term. Read after
    ``busy_times``, which has reported any error in the file."""
    raw = _read(path)
    lines = raw.splitlines()
    found: list[tuple[Busy, bool]] = []
    calendar = icalendar.Calendar.from_ical(raw)
    for index, event in enumerate(calendar.walk("VEVENT")):
        uid = str(event.get("UID") or f"(event {index + 1}, no UID)")
        busy = _busy(event, uid, tz, path, lines)
        if busy is not None:
            found.append((busy, "RRULE" in event or "RDATE" in event))
    return found


class _Budget:
    """Counts, before anything is expanded, the RRULE steps and the occurrences in the span
    each event will cost, and refuses the file once a bound (MAX_REPEATS,
    MAX_OCCURRENCES) is passed, naming the event."""

    def __init__(self, path: Path, lines: list[str], first: datetime, last: datetime) -> None:
        self.path, self.lines, self.first, self.last = path, lines, first, last
        self.steps = 0
        self.occurrences = 0

    def spend(self, event: icalendar.Component, uid: str, tz: ZoneInfo) -> None:
        rdates = event.get("RDATE")
        for listed in rdates if isinstance(rdates, list) else [rdates] if rdates else []:
            for _ in getattr(listed, "dts", ()):
                self._occur(uid, "RDATE")
        rules = event.get("RRULE")
        if rules is None:
            self._occur(uid, "DTSTART")
            return
        for rule in rules if isinstance(rules, list) else [rules]:
            for moment in _steps(rule, event.decoded("DTSTART"), tz):
                if moment > self.last:
                    break
                self.steps += 1
                if self.steps > MAX_REPEATS:
                    raise _event_error(
                        self.path, self.lines, uid, "RRULE",
                        f"found a repeating rule that runs past {MAX_REPEATS} occurrences "
                        f"before {self.last.date()}, expected a calendar of leave",
                    )
                if moment >= self.first - timedelta(days=1):
                    self._occur(uid, "RRULE")

    def _occur(self, uid: str, prop: str) -> None:
        self.occurrences += 1
        if self.occurrences > MAX_OCCURRENCES:
            raise _event_error(
                self.path, self.lines, uid, prop,
                f"found more than {MAX_OCCURRENCES} occurrences from {self.first.date()} to "
                f"{self.last.date()}, expected a calendar of leave",
            )


def _steps(rule: icalendar.vRecur, start: date, tz: ZoneInfo) -> Iterator[datetime]:
    """The moments an RRULE names from ``start``, lazily (dateutil steps one at a time);
    nothing when dateutil cannot read it (recurring-ical-events then says why)."""
    from dateutil.rrule import rrulestr

    if not isinstance(start, datetime):
        start = datetime.combine(start, datetime.min.time())
    start = _aware(start, tz)
    text = rule.to_ical().decode()  # type: ignore[no-untyped-call]  # icalendar leaves vRecur.to_ical untyped
    # UNTIL only ends the rule sooner; without it dateutil never objects to its zone.
    for candidate in (text, re.sub(r"(^|;)UNTIL=[^;]*", "", text)):
        try:
            steps = iter(rrulestr(candidate, dtstart=start))
            first = next(steps, None)
        except (ValueError, TypeError, OverflowError):
            continue
        if first is not None:
            yield first
            yield from steps
        return


def _read(path: Path) -> str:
    data = read_bytes(
        path, max_bytes=MAX_ICS_BYTES,
        hint="export only the calendar that holds the leave, or a shorter span of it",
    )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"found bytes that are not UTF-8 at byte {error.start}, expected an iCalendar "
            "file in UTF-8 (RFC 5545)",
            mark=Mark(str(path), data[: error.start].count(b"\n") + 1),
        ) from None


def _check(event: icalendar.Component, uid: str, path: Path, lines: list[str]) -> None:
    """A property icalendar could not read (it keeps those as ``errors``), or no start."""
    for name, problem in event.errors:
        if name is None:  # a line icalendar could not split into name and value
            raise InputError(
                f"event UID {printable(uid)}: {printable(str(problem))}",
                mark=Mark(str(path), _quoted_line(lines, str(problem))),
                hint="fix or delete that line, or export the calendar again; nothing was written",
            )
        raise _event_error(path, lines, uid, name, f"{name}: {problem}")
    for name in ("DTSTART", "DTEND", "DURATION"):
        if isinstance(event.get(name), list):
            raise _event_error(path, lines, uid, name, f"found {name} twice, expected it once")
    if event.get("DTSTART") is None:
        raise _event_error(path, lines, uid, "BEGIN", "found no DTSTART, expected a start")
    if "DTEND" in event:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        try:
            backwards = end < start
        except TypeError:  # a date and a date-time, or a floating and a zoned time
            backwards = False
        if backwards:  # recurring-ical-events would quietly swap them
            raise _event_error(
                path, lines, uid, "DTEND", f"found DTEND {end} before DTSTART {start}"
            )


def _busy(
    occurrence: icalendar.Component, uid: str, tz: ZoneInfo, path: Path, lines: list[str]
) -> Busy | None:
    if str(occurrence.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return None
    if str(occurrence.get("STATUS", "")).upper() == "CANCELLED":
        return None
    start = occurrence.decoded("DTSTART")
    if "DTEND" in occurrence:
        end = occurrence.decoded("DTEND")
    elif "DURATION" in occurrence:
        end = start + occurrence.decoded("DURATION")
    else:  # RFC 5545 3.6.1: a day's event lasts the day; a timed one is an instant
        end = start + timedelta(days=1) if not isinstance(start, datetime) else start
    if isinstance(start, datetime) != isinstance(end, datetime):
        raise _event_error(
            path, lines, uid, "DTEND", "found a DTSTART and DTEND of different kinds "
            "(one a date, the other a date-time), expected both alike",
        )
    if isinstance(start, datetime):
        start, end = _aware(start, tz), _aware(end, tz)
    if end < start:
        raise _event_error(path, lines, uid, "DTEND", f"found DTEND {end} before DTSTART {start}")
    return Busy(uid, start, end)


def _aware(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def _event_error(path: Path, lines: list[str], uid: str, prop: str, message: str) -> InputError:
    return InputError(
        f"event UID {printable(uid)}: {printable(message)}",
        mark=Mark(str(path), _event_line(lines, uid, prop)),
        hint="fix or delete that event, or export the calendar again; nothing was written",
    )


def _event_line(lines: list[str], uid: str, prop: str) -> int | None:
    """The line of ``prop`` in the event whose UID is ``uid`` (else of its UID)."""
    uid_at = next(
        (n for n, line in enumerate(lines) if line.rstrip("\r") == f"UID:{uid}"), None
    )
    if uid_at is None:
        return None
    begin = next(
        (n for n in range(uid_at, -1, -1) if lines[n].startswith("BEGIN:VEVENT")), uid_at
    )
    pattern = re.compile(rf"{re.escape(prop)}[:;]", re.IGNORECASE)
    for n in range(begin, len(lines)):
        if pattern.match(lines[n]):
            return n + 1
        if lines[n].startswith("END:VEVENT"):
            break
    return uid_at + 1


def _quoted_line(lines: list[str], message: str) -> int | None:
    """The line a parse error quotes (``... parts: 'LINE': ...``), if it can be found."""
    quoted = re.search(r"'([^']{3,})'", message)
    if quoted is None:
        return None
    text = quoted.group(1)
    return next((n + 1 for n, line in enumerate(lines) if text in line), None)


def day_span(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Midnight before ``first`` to the midnight after ``last`` + 1 (a night window of the
    last day ends the next morning), in ``tz``."""
    start = datetime.combine(first, datetime.min.time(), tz)
    return start, datetime.combine(last + timedelta(days=2), datetime.min.time(), tz)
