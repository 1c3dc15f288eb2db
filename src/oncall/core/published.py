"""What the calendars were last told: each event's SEQUENCE, LAST-MODIFIED and content.

A calendar client keeps an event until a later copy with the same UID and a higher
SEQUENCE replaces or cancels it. So every change to what an event says must raise its
SEQUENCE, and an event that no longer applies must be sent again as cancelled. This
module keeps that record (``Record``: one entry per event of the team feed and of each
personal feed, stored in the schedule file's ``published`` section) and brings it up to
date after a change. Pure: the moment of a change is given (the plan's ``planned_at``, the
override's ``recorded_at``), never read from the clock, so an export is a function of the
committed files.

An event is named by its UID stem: ``20270104`` (team) or ``20270104-aiko`` (Aiko's).
An entry is ``(sequence, modified, digest)``; ``digest`` is ``CANCELLED`` for an event
that was withdrawn.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time

from oncall.core.duty import named_duty
from oncall.core.duty_calendar import DutyCalendar
from oncall.core.model import Rotation
from oncall.core.schedule import Duty, Schedule

CANCELLED = "cancelled"
DIGEST_LENGTH = 10

Entry = tuple[int, datetime, str]
Record = dict[str, Entry]


def stem(day: date, handle: str | None = None) -> str:
    """The UID of an event without its ``@<rotation>.oncall`` domain."""
    return day.strftime("%Y%m%d") + (f"-{handle}" if handle else "")


def parse_stem(text: str) -> tuple[date, str | None]:
    """``20270104-aiko`` -> (2027-01-04, "aiko"); ValueError when it is not a stem."""
    day = datetime.strptime(text[:8], "%Y%m%d").date()
    if len(text) == 8:
        return day, None
    if text[8] != "-" or len(text) == 9:
        raise ValueError(text)
    return day, text[9:]


@dataclass(frozen=True)
class FeedChanges:
    """Which calendars a change reaches: the team feed and whose personal feeds."""

    team: bool = False
    people: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.team or bool(self.people)


NO_CHANGES = FeedChanges()


def _who(rotation: Rotation, handles: Iterable[str]) -> str:
    out = []
    for handle in handles:
        member = rotation.member(handle)
        out.append(f"{handle}={member.name}/{member.team}" if member else handle)
    return ",".join(out)


def _day_text(rotation: Rotation, schedule: Schedule, duty: Duty) -> str:
    """Everything a day's events show, whoever reads them: the digest changes exactly
    when one of these does."""
    changes = []
    for number in duty.overrides:
        override = schedule.overrides[number]
        changes.append(f"{override.out}>{override.in_}:{override.reason or ''}")
    reminders = rotation.reminders
    return "|".join(
        (
            duty.day.isoformat(),
            str(rotation.window),
            rotation.timezone,
            rotation.language,
            _who(rotation, duty.primary),
            _who(rotation, duty.shadow),
            ";".join(changes),
            rotation.fallback or "",
            rotation.escalation or "",
            reminders.manual or "",
        )
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def day_digests(rotation: Rotation, schedule: Schedule, day: date) -> dict[str, str]:
    """The events of one duty day: the team's, and one per person on duty."""
    duty = named_duty(rotation, schedule, day)  # a leaver's days are withdrawn from them
    text = _day_text(rotation, schedule, duty)
    found = {stem(day): _digest(text)}
    for handle in duty.people:
        found[stem(day, handle)] = _digest(f"{text}|{handle}:{duty.role_of(handle)}")
    return found


def digests(rotation: Rotation, schedule: Schedule, calendar: DutyCalendar) -> dict[str, str]:
    """Every event the schedule shows now, by stem."""
    found: dict[str, str] = {}
    for day in calendar.duty_days:
        found.update(day_digests(rotation, schedule, day))
    return found


def _apply(record: Record, before: Iterable[str], now: Mapping[str, str], moment: datetime) -> None:
    """Bring ``record`` (in place) from the events ``before`` to the events ``now``:
    new ones start at SEQUENCE 0, changed or revived ones go up by one, vanished ones are
    cancelled one higher; untouched ones keep their entry."""
    for key in before:
        entry = record.get(key)
        if key not in now and entry is not None and entry[2] != CANCELLED:
            record[key] = (entry[0] + 1, moment, CANCELLED)
    for key, digest in now.items():
        entry = record.get(key)
        if entry is None:
            record[key] = (0, moment, digest)
        elif entry[2] != digest:
            record[key] = (entry[0] + 1, moment, digest)


def update(
    record: Mapping[str, Entry],
    now: Mapping[str, str],
    moment: datetime,
    term_days: tuple[date, date],
) -> Record:
    """The record after a change that leaves the events ``now``, made at ``moment``.
    Entries of days outside the term are dropped: a term's record lasts as long as it."""
    first, last = term_days
    out: Record = {}
    for key, entry in record.items():
        if first <= parse_stem(key)[0] <= last:
            out[key] = entry
    _apply(out, list(out), now, moment)
    return dict(sorted(out.items()))


def _moments(schedule: Schedule) -> list[datetime]:
    moments = [schedule.planned_at] + [o.recorded_at for o in schedule.overrides]
    moments += [entry[1] for entry in (schedule.published or {}).values()]
    return [moment for moment in moments if moment is not None]


def latest(schedule: Schedule) -> datetime:
    """The last moment the schedule records (the term's first day at 00:00 UTC if none)."""
    known = _moments(schedule)
    if not known:
        return datetime.combine(schedule.term.start, time(0), tzinfo=UTC)
    return max(known, key=lambda moment: moment.astimezone(UTC))


def replay(rotation: Rotation, schedule: Schedule, calendar: DutyCalendar) -> Record:
    """The record of a schedule written before records were kept: the plan as published
    at ``planned_at``, then each override in turn at its ``recorded_at``. So a swap
    recorded in an old file raised its days' SEQUENCE, as it always did."""
    moment = schedule.planned_at or datetime.combine(schedule.term.start, time(0), tzinfo=UTC)
    bare = Schedule(schedule.rotation, schedule.planned_at, schedule.term, schedule.shifts)
    record: Record = {}
    _apply(record, (), digests(rotation, bare, calendar), moment)
    for override in schedule.overrides:
        moment = override.recorded_at or moment
        old, bare = bare, bare.with_override(override)
        for day in override.dates.days():
            if calendar.is_duty_day(day):
                now = day_digests(rotation, bare, day)
                _apply(record, day_digests(rotation, old, day), now, moment)
    return dict(sorted(record.items()))


def effective(rotation: Rotation, schedule: Schedule, calendar: DutyCalendar) -> Record:
    """What an export of ``schedule`` tells the calendars: its stored record, brought up
    to date with any change made since it was written (a hand edit, a renamed member, a
    closure added to the rotation file) as of the last moment the schedule records."""
    if schedule.published is None:
        return replay(rotation, schedule, calendar)
    return _brought_up(rotation, schedule.published, schedule, calendar, latest(schedule))


def recorded(
    rotation: Rotation,
    told: Mapping[str, Entry],
    schedule: Schedule,
    calendar: DutyCalendar,
    moment: datetime,
) -> tuple[Schedule, FeedChanges]:
    """``schedule`` recording what its calendars must say after a change made at
    ``moment`` (a plan, a swap), raised from what they were ``told``; and which feeds
    that changes. `plan` and `swap` both write their schedule through this."""
    record = _brought_up(rotation, told, schedule, calendar, moment)
    return replace(schedule, published=record), changes(told, record)


def _brought_up(
    rotation: Rotation,
    told: Mapping[str, Entry],
    schedule: Schedule,
    calendar: DutyCalendar,
    moment: datetime,
) -> Record:
    """``told`` updated, at ``moment``, to the events of ``schedule``'s term."""
    term = (schedule.term.start, schedule.term.end)
    return update(told, digests(rotation, schedule, calendar), moment, term)


def changes(before: Mapping[str, Entry], after: Mapping[str, Entry]) -> FeedChanges:
    """The feeds whose events differ between two records."""
    team = False
    people: set[str] = set()
    for key in set(before) | set(after):
        if before.get(key) == after.get(key):
            continue
        handle = parse_stem(key)[1]
        if handle is None:
            team = True
        else:
            people.add(handle)
    return FeedChanges(team, tuple(sorted(people)))
