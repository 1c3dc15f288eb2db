"""iCalendar (RFC 5545) export: a schedule as the events people see in their calendar.

Pure: model objects in, bytes out, no clock and no files. Every value that would usually
come from the wall clock or a random source (DTSTAMP, UID, SEQUENCE) is derived from the
schedule instead, so the same schedule gives byte-identical output and a re-export after a
swap updates events in place rather than duplicating them:

- UID: ``<yyyymmdd>@<rotation>.oncall`` (team) or ``<yyyymmdd>-<handle>@<rotation>.oncall``
  (personal), stable for a rotation, day and person.
- SEQUENCE: the number of overrides that changed the day. Overrides are appended, so every
  swap touching a day raises it.
- DTSTAMP: the latest of ``planned_at`` and the ``recorded_at`` of the overrides that
  changed the day (the term's first day at 00:00 UTC when the schedule records neither).

A personal calendar also carries a STATUS:CANCELLED event (same UID, higher SEQUENCE) for
each duty day an override took from the person, so that an imported copy of an older
export drops the day too; subscribed feeds treat it the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import (
    Calendar,
    Component,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vText,
)

from oncall.core.model import Member, Rotation, clock_change
from oncall.core.schedule import Duty, Schedule
from oncall.usecases.export import Feed

PRODID = "-//oncall//oncall on-call rotations//EN"
DOMAIN = "oncall"
# How often subscribing clients should re-fetch a published feed (RFC 7986 and Outlook's).
REFRESH = timedelta(hours=12)
REFRESH_TTL = "PT12H"


def event_uid(rotation: str, day: date, handle: str | None = None) -> str:
    """Stable per rotation, day and (for personal calendars) person."""
    stem = day.strftime("%Y%m%d") + (f"-{handle}" if handle else "")
    return f"{stem}@{rotation}.{DOMAIN}"


def to_ics(feeds: Sequence[Feed], *, person: str | None = None) -> bytes:
    """The team calendar of ``feeds`` (every duty day), or ``person``'s own calendar."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    names = ", ".join(dict.fromkeys(feed.rotation.rotation for feed in feeds))  # terms: once
    title = f"On call: {names}" + (f" ({person})" if person else "")
    cal.add("name", title)
    cal.add("x-wr-calname", vText(title))
    descriptions = list(
        dict.fromkeys(f.rotation.description for f in feeds if f.rotation.description)
    )
    if descriptions:
        # X- properties default to raw text: vText escapes line breaks and commas.
        cal.add("x-wr-caldesc", vText(clean("\n".join(descriptions))))
    zones = sorted({feed.rotation.timezone for feed in feeds})
    if len(zones) == 1:
        cal.add("x-wr-timezone", zones[0])
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH_TTL)
    for zone in zones:
        cal.add_component(_timezone(zone, [f for f in feeds if f.rotation.timezone == zone]))
    for feed in feeds:
        if person is not None and feed.rotation.member(person) is None:
            continue
        for event in _events(feed, person):
            cal.add_component(event)
    return cal.to_ical()


def _timezone(zone: str, feeds: Iterable[Feed]) -> Timezone:
    """The VTIMEZONE of ``zone`` over the exported years, from zoneinfo.

    Whole years, so every export of a year carries the same zone (parsers such as vobject
    cache a zone by TZID for the life of the process), plus the next year, since a window
    may end after midnight. Each transition is a component of its own with a DTSTART and no
    RDATE or RRULE: icalendar's ``Timezone.from_tzid`` lists repeated transitions as RDATEs,
    which vobject misreads as "always standard time".
    """
    feeds = list(feeds)
    tz = ZoneInfo(zone)
    first = date(min(feed.calendar.first for feed in feeds).year, 1, 1)
    until = date(max(feed.calendar.last for feed in feeds).year + 2, 1, 1)
    vtimezone = Timezone()
    vtimezone.add("tzid", zone)
    opening = datetime.combine(first, time(0), tzinfo=tz)
    vtimezone.add_component(_observance(opening, opening))
    for before, after in _transitions(tz, opening.astimezone(UTC), until):
        vtimezone.add_component(_observance(before, after))
    return vtimezone


def _transitions(tz: ZoneInfo, start: datetime, until: date) -> Iterable[tuple[datetime, datetime]]:
    """Each change of offset or name after ``start``: the moment just before (a minute
    earlier), and the moment of the change, both in ``tz``. Days are probed at UTC
    midnight, and a day whose clock changed is bisected by ``clock_change``."""
    day = start
    while day.date() < until:
        following = day + timedelta(days=1)
        if _phase(day.astimezone(tz)) != _phase(following.astimezone(tz)):
            change = clock_change(tz, day, following)
            yield (change.astimezone(UTC) - timedelta(minutes=1)).astimezone(tz), change
        day = following


def _phase(moment: datetime) -> tuple[object, ...]:
    return moment.utcoffset(), moment.dst(), moment.tzname()


def _observance(before: datetime, after: datetime) -> Component:
    """A STANDARD or DAYLIGHT component starting at ``after``; RFC 5545 gives its DTSTART
    as the local time of the offset in force before the change."""
    # "Negative DST" (Europe/Dublin's winter) is standard time to every calendar client.
    kind = TimezoneDaylight if (after.dst() or timedelta(0)) > timedelta(0) else TimezoneStandard
    observance = kind()
    offset_from = before.utcoffset() or timedelta(0)
    onset = (after.astimezone(UTC) + offset_from).replace(tzinfo=None)
    observance.add("dtstart", onset)
    observance.add("tzname", after.tzname() or "")
    observance.add("tzoffsetfrom", offset_from)
    observance.add("tzoffsetto", after.utcoffset() or timedelta(0))
    return observance


def _events(feed: Feed, person: str | None) -> Iterable[Event]:
    for day in feed.calendar.duty_days:
        duty = feed.schedule.duty_on(day)
        if person is None:
            yield _event(feed, duty, None)
        elif person in duty.people:
            yield _event(feed, duty, person)
        elif _taken_from(feed.schedule, duty, person):
            yield _cancelled(feed, duty, person)


def _taken_from(schedule: Schedule, duty: Duty, person: str) -> bool:
    """Was ``person`` on duty this day at some point (planned, or brought in by an
    override) before a later override took the day from them?"""
    planned = duty.shift is not None and person in schedule.shifts[duty.shift].people
    brought_in = any(schedule.overrides[n].in_ == person for n in duty.overrides)
    return planned or brought_in


def _stamp(schedule: Schedule, duty: Duty) -> datetime:
    moments = [schedule.planned_at] + [schedule.overrides[n].recorded_at for n in duty.overrides]
    known = [moment.astimezone(UTC) for moment in moments if moment is not None]
    if not known:
        return datetime.combine(schedule.term.start, time(0), tzinfo=UTC)
    return max(known)


def _base(feed: Feed, duty: Duty, person: str | None) -> Event:
    rotation = feed.rotation
    start, end = rotation.window.bounds(duty.day, rotation.tz)
    event = Event()
    event.add("uid", event_uid(rotation.rotation, duty.day, person))
    stamp = _stamp(feed.schedule, duty)
    event.add("dtstamp", stamp)
    # Some clients refresh a subscribed event only when LAST-MODIFIED moves.
    event.add("last-modified", stamp)
    event.add("sequence", len(duty.overrides))
    event.add("dtstart", start)
    event.add("dtend", end)
    return event


def _event(feed: Feed, duty: Duty, person: str | None) -> Event:
    rotation = feed.rotation
    event = _base(feed, duty, person)
    event.add("summary", _summary(rotation, duty))
    event.add("description", _description(feed, duty, person))
    event.add("status", "CONFIRMED")
    # Being on call is availability, not a meeting: keep free/busy open for the rest.
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["On call", rotation.rotation])
    if rotation.reminders.manual:
        event.add("url", rotation.reminders.manual)
    return event


def _cancelled(feed: Feed, duty: Duty, person: str) -> Event:
    rotation = feed.rotation
    event = _base(feed, duty, person)
    name = _name(rotation, person)
    event.add("summary", f"Cancelled: {rotation.rotation}: {name} no longer on duty")
    lines = [f"{name} is no longer on duty on {duty.day.isoformat()}."]
    lines += _changes(feed.schedule, duty)
    lines.append(f"On duty now: {_names(rotation, duty.people) or 'nobody'}")
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED")
    event.add("transp", "TRANSPARENT")
    return event


# iCalendar TEXT has no room for control characters other than tab and line breaks, and
# it writes every line break as "\n": CR and CRLF in a name come back as LF.
_CONTROLS = {code: None for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)}


def clean(text: str) -> str:
    """``text`` as iCalendar TEXT can carry it: line breaks as LF, other controls dropped."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROLS)


def _name(rotation: Rotation, handle: str) -> str:
    member = rotation.member(handle)
    return clean(member.name) if member is not None else handle


def _names(rotation: Rotation, handles: Iterable[str]) -> str:
    return ", ".join(_name(rotation, handle) for handle in handles)


def _summary(rotation: Rotation, duty: Duty) -> str:
    if not duty.people:
        fallback = f" (fallback {rotation.fallback})" if rotation.fallback else ""
        return f"{rotation.rotation}: nobody on duty{fallback}"
    text = f"{rotation.rotation}: {_names(rotation, duty.primary) or 'no primary'}"
    if duty.shadow:
        text += f" (shadow: {_names(rotation, duty.shadow)})"
    return text


def _who(member: Member | None, handle: str, role: str) -> str:
    if member is None:
        return f"@{handle} ({role})"
    return f"{clean(member.name)} (@{handle}, {clean(member.team)}, {role})"


def _description(feed: Feed, duty: Duty, person: str | None) -> str:
    rotation = feed.rotation
    window = rotation.window
    lines: list[str] = []
    if person is not None:
        lines.append(f"Your role: {duty.role_of(person)}")
    people = [(handle, "primary") for handle in duty.primary]
    people += [(handle, "shadow") for handle in duty.shadow]
    partners = [
        _who(rotation.member(handle), handle, role) for handle, role in people if handle != person
    ]
    label = "With" if person is not None else "On duty"
    lines.append(f"{label}: {', '.join(partners) if partners else 'nobody'}")
    lines.append(f"Hours: {window} {rotation.timezone}")
    if rotation.fallback:
        lines.append(f"Fallback: {rotation.fallback}")
    if rotation.escalation:
        lines.append(f"Escalation: {clean(rotation.escalation)}")
    if rotation.reminders.manual:
        lines.append(f"Manual: {rotation.reminders.manual}")
    lines += _changes(feed.schedule, duty)
    return "\n".join(lines)


def _changes(schedule: Schedule, duty: Duty) -> list[str]:
    out = []
    for number in duty.overrides:
        override = schedule.overrides[number]
        text = f"Changed: {override.out or '-'} -> {override.in_ or '-'}"
        if override.reason:
            text += f" ({clean(override.reason)})"
        out.append(text)
    return out
