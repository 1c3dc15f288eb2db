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

from oncall.core.duty import named_duty
from oncall.core.model import Member, Rotation, clock_change
from oncall.core.published import CANCELLED, effective, parse_stem
from oncall.core.schedule import Duty, Schedule
from oncall.render.ics_text import say
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
    names = ", ".join(dict.fromkeys(feed.rotation.id for feed in feeds))  # terms: once
    languages = {feed.rotation.language for feed in feeds}
    language = languages.pop() if len(languages) == 1 else "en"
    title = say(language, "title", names=names) + (f" ({person})" if person else "")
    cal.add("name", vText(title))  # TEXT: a comma between names is escaped, as below
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
        if person is not None and person not in _people(feed):
            continue
        for event in _events(feed, person):
            cal.add_component(event)
    ical: bytes = cal.to_ical()  # icalendar leaves to_ical's result unannotated
    return ical


def _people(feed: Feed) -> set[str]:
    """Whose personal calendar ``feed`` adds to: its members, and everyone its schedule
    names (``people:``), a member deleted since included: their served days stay and the
    days taken from them go out as cancelled."""
    return {m.handle for m in feed.rotation.members} | set(feed.schedule.names or ())


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
    """The feed's events in UID order: each duty day's, then the ones withdrawn since
    (``STATUS:CANCELLED``, same UID, one SEQUENCE higher), from the schedule's record."""
    record = effective(feed.rotation, feed.schedule, feed.calendar)
    for key, (sequence, modified, digest) in record.items():
        day, handle = parse_stem(key)
        if handle != person:
            continue
        if digest == CANCELLED:
            yield _cancelled(feed, day, person, sequence, modified)
        else:
            duty = named_duty(feed.rotation, feed.schedule, day)  # as `who` names it
            yield _event(feed, duty, person, sequence, modified)


def _base(feed: Feed, day: date, person: str | None, sequence: int, modified: datetime) -> Event:
    rotation = feed.rotation
    start, end = rotation.window.bounds(day, rotation.tz)
    event = Event()
    event.add("uid", event_uid(rotation.id, day, person))
    stamp = modified.astimezone(UTC)
    event.add("dtstamp", stamp)
    # Some clients refresh a subscribed event only when LAST-MODIFIED moves.
    event.add("last-modified", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", unambiguous(start))
    event.add("dtend", unambiguous(end))
    return event


def unambiguous(moment: datetime) -> datetime:
    """``moment`` as the event writes it: local time with its TZID, or in UTC when the
    local clock reads that time twice (the hour repeated when DST ends).

    RFC 5545 (3.3.5) reads a repeated local time as its first occurrence, which is what
    ``wall_instant`` means, but ical.js (Thunderbird, Nextcloud) and khal read it as the
    second, an hour late. A UTC time has one reading in every client, and a DTSTART and
    DTEND in different forms are valid (only a floating time must pair with another).
    Every other moment keeps its zone, so a client shows the rotation's time zone."""
    if moment.replace(fold=1 - moment.fold).utcoffset() != moment.utcoffset():
        return moment.astimezone(UTC)
    return moment


def _event(
    feed: Feed, duty: Duty, person: str | None, sequence: int, modified: datetime
) -> Event:
    rotation = feed.rotation
    event = _base(feed, duty.day, person, sequence, modified)
    event.add("summary", _summary(rotation, duty))
    event.add("description", _description(feed, duty, person))
    event.add("status", "CONFIRMED")
    # Being on call is availability, not a meeting: keep free/busy open for the rest.
    event.add("transp", "TRANSPARENT")
    event.add("categories", [say(rotation.language, "category"), rotation.id])
    if rotation.reminders.manual:
        event.add("url", rotation.reminders.manual)
    return event


def _cancelled(
    feed: Feed, day: date, person: str | None, sequence: int, modified: datetime
) -> Event:
    """An event withdrawn: the person no longer serves the day, or the day is no longer
    a duty day (a closure, a re-planned term)."""
    rotation, language = feed.rotation, feed.rotation.language
    event = _base(feed, day, person, sequence, modified)
    when = day.isoformat()
    if person is not None:
        name = _one_line(_name(rotation, person))
        summary = say(language, "cancelled_person", rotation=rotation.id, name=name)
        lines = [say(language, "cancelled_person_text", name=name, day=when)]
    else:
        summary = say(language, "cancelled_day", rotation=rotation.id, day=when)
        lines = [say(language, "cancelled_day_text", day=when)]
    # Only what the withdrawal itself says: the day's later changes (who serves it now)
    # would alter the event without raising its SEQUENCE; the team feed shows them.
    if day in feed.calendar.days_off:
        lines.append(say(language, "day_off", day=when, name=clean(feed.calendar.days_off[day])))
    event.add("summary", summary)
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


def _one_line(text: str) -> str:
    """A title holds one line: a name written over several is joined with spaces."""
    if "\n" not in text:
        return text
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def _names(rotation: Rotation, handles: Iterable[str], *, one_line: bool = False) -> str:
    names = [_name(rotation, handle) for handle in handles]
    if one_line:
        names = [_one_line(name) for name in names]
    return say(rotation.language, "separator").join(names)


def _summary(rotation: Rotation, duty: Duty) -> str:
    language = rotation.language
    if not duty.people:
        fallback = ""
        if rotation.fallback:
            fallback = say(language, "summary_fallback", fallback=_one_line(rotation.fallback))
        return say(language, "summary_nobody", rotation=rotation.id) + fallback
    primary = _names(rotation, duty.primary, one_line=True) or say(language, "no_primary")
    text = say(language, "summary", rotation=rotation.id, people=primary)
    if duty.shadow:
        shadow = _names(rotation, duty.shadow, one_line=True)
        text += say(language, "summary_shadow", people=shadow)
    return text


def _who(language: str, member: Member | None, handle: str, role: str) -> str:
    role = say(language, role)
    if member is None:
        return say(language, "who_unknown", handle=handle, role=role)
    return say(
        language, "who", name=clean(member.name), handle=handle, team=clean(member.team), role=role
    )


def _description(feed: Feed, duty: Duty, person: str | None) -> str:
    rotation = feed.rotation
    language = rotation.language
    lines: list[str] = []
    if person is not None:
        lines.append(say(language, "role", role=say(language, duty.role_of(person) or "primary")))
    people = [(handle, "primary") for handle in duty.primary]
    people += [(handle, "shadow") for handle in duty.shadow]
    partners = [
        _who(language, rotation.member(handle), handle, role)
        for handle, role in people
        if handle != person
    ]
    joined = say(language, "separator").join(partners) if partners else say(language, "nobody")
    lines.append(say(language, "with" if person is not None else "on_duty", people=joined))
    # The day's hours as its clock shows them: a DST gap moves a 02:30 start to 03:00.
    first, last = rotation.window.wall_times(duty.day, rotation.tz)
    lines.append(say(language, "hours", window=f"{first}-{last}", timezone=rotation.timezone))
    # On a DST day the window lasts more or less than its clock times say: the real time.
    minutes = rotation.window.minutes_on(duty.day, rotation.tz)
    if minutes != rotation.window.wall_minutes_on(duty.day, rotation.tz):
        lines.append(say(language, "length", hours=f"{minutes / 60:.1f}".removesuffix(".0")))
    if rotation.fallback:
        lines.append(say(language, "fallback", fallback=rotation.fallback))
    if rotation.escalation:
        lines.append(say(language, "escalation", text=clean(rotation.escalation)))
    if rotation.reminders.manual:
        lines.append(say(language, "manual", url=rotation.reminders.manual))
    lines += _changes(feed.schedule, duty, language)
    return "\n".join(lines)


def _changes(schedule: Schedule, duty: Duty, language: str) -> list[str]:
    out = []
    for number in duty.overrides:
        override = schedule.overrides[number]
        text = say(language, "changed", out=override.out or "-", in_=override.in_ or "-")
        if override.reason:
            text += say(language, "changed_reason", reason=clean(override.reason))
        out.append(text)
    return out
