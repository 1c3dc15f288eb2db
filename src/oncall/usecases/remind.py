"""`oncall remind`: which reminder each rotation needs today, as data.

A reminder names today's people (``today``), the next duty day's (``next``: Friday names
Monday, holidays skipped) or asks today's people for their report (``handoff``). No duty
means no reminder, so cron prints nothing; a term that has run out is said once, as
``TermOver``, so cron mails the lead, and its last two weeks (with no next term planned)
are warned of as ``oncall.core.term_end.TermEnding``. On the cron path like
``oncall.usecases.who``: no holiday tables unless the caller passes them.
``oncall.render.reminders`` words reminders.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path

from oncall.core.clock import Clock
from oncall.core.duty import OnDuty, duty_of_day, next_duty_day, skipped_days_off
from oncall.core.duty_calendar import DutyCalendar
from oncall.core.errors import InputError
from oncall.core.model import Rotation
from oncall.core.schedule import Schedule
from oncall.core.store import ScheduleStore, StoredTerm
from oncall.core.term_end import TermEnding, term_ending
from oncall.io.incident_log import Incident, read_incidents

KINDS = ("today", "next", "handoff")


class Reminder:
    """What one reminder says: the duty it is about and, for a hand-off, who comes next;
    ``no_duty`` holds the holidays ``--next`` skipped. A plain class, like ``TermOver``."""

    __slots__ = ("alerts", "duty", "kind", "no_duty", "rotation", "takes_over")

    def __init__(
        self,
        kind: str,
        rotation: Rotation,
        duty: OnDuty,
        *,
        takes_over: OnDuty | None = None,
        no_duty: Mapping[date, str] | None = None,
    ) -> None:
        self.kind = kind
        self.rotation = rotation
        self.duty = duty
        self.takes_over = takes_over
        self.no_duty: Mapping[date, str] = no_duty if no_duty is not None else {}
        # A hand-off's alerts, when the rotation names the relay's incident log.
        self.alerts: HandoffAlerts | None = None


class HandoffAlerts:
    """The incidents fired during the duty that ends (its window of that day), oldest
    first, and the incident log's lines that could not be read (``(file, line)``)."""

    __slots__ = ("incidents", "path", "skipped")

    def __init__(self, incidents: list[Incident], skipped: list[tuple[str, int]],
                 path: Path) -> None:
        self.incidents = incidents
        self.skipped = skipped
        self.path = path

    @property
    def acknowledged(self) -> int:
        return sum(1 for incident in self.incidents if incident.acked_by is not None)

    @property
    def escalated(self) -> int:
        return sum(1 for incident in self.incidents if incident.escalations)

    def by_severity(self) -> dict[str | None, int]:
        counts: dict[str | None, int] = {}
        for incident in self.incidents:
            counts[incident.severity] = counts.get(incident.severity, 0) + 1
        return counts


def handoff_alerts(reminder: Reminder) -> HandoffAlerts | None:
    """The alerts of the hand-off's duty, read from ``reminders.incidents_log``; None when
    the rotation names no log (the relay's log is not known)."""
    path = reminder.rotation.reminders.incidents_log
    if path is None:
        return None
    read = read_incidents(path)
    rotation = reminder.rotation
    start, end = rotation.window.bounds(reminder.duty.day, rotation.tz)
    found = [incident for incident in read.incidents if incident.rotation == rotation.id
             and start <= incident.fired_at < end]
    return HandoffAlerts(sorted(found, key=lambda i: (i.fired_at, i.tag)), read.skipped, path)


class Unnamed:
    """No reminder because everyone the schedule names that day is no longer (or not yet)
    a member: cron prints the warning, never their names as on duty."""

    __slots__ = ("duty",)

    def __init__(self, duty: OnDuty) -> None:
        self.duty = duty


def dropped(found: Reminder | TermOver | Unnamed) -> list[OnDuty]:
    """The duties of ``found`` that left people out (``OnDuty.dropped``): each a warning."""
    if isinstance(found, TermOver):
        return []
    duties = [found.duty] + ([found.takes_over] if isinstance(found, Reminder)
                             and found.takes_over is not None else [])
    return [duty for duty in duties if duty.dropped]


def build(
    kind: str,
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule | None,
    today: date,
) -> Reminder | Unnamed | None:
    """The reminder of ``kind`` for ``today``, or None when there is no duty to remind of
    (a weekend, a holiday, nobody planned): cron then prints nothing. ``Unnamed`` when the
    only people planned are no longer members."""
    if kind not in KINDS:
        raise ValueError(f"unknown reminder kind {kind!r}")
    if kind == "next":
        upcoming = next_duty_day(calendar, today)
        if upcoming is None:
            return None
        duty = duty_of_day(rotation, calendar, schedule, upcoming)
        if not duty.on_duty:
            return Unnamed(duty) if duty.dropped else None
        skipped = skipped_days_off(rotation, calendar, today, upcoming)
        return Reminder(kind, rotation, duty, no_duty=skipped)
    duty = duty_of_day(rotation, calendar, schedule, today)
    if not duty.on_duty:
        return Unnamed(duty) if duty.dropped else None
    if kind == "today":
        return Reminder(kind, rotation, duty)
    upcoming = next_duty_day(calendar, today)
    following = duty_of_day(rotation, calendar, schedule, upcoming) if upcoming else None
    if following is not None and not following.on_duty:
        following = None
    return Reminder(kind, rotation, duty, takes_over=following)


class TermOver:
    """No reminder because the planned term has no duty day left: not a quiet day.

    A plain class: creating a dataclass costs ~0.7 ms, and this module is on the cron path.
    """

    __slots__ = ("first", "last", "path", "rotation")

    def __init__(self, rotation: str, first: date, last: date, path: Path) -> None:
        self.rotation = rotation
        self.first = first
        self.last = last
        self.path = path  # the rotation file, for the command that plans the next term


def term_over(
    kind: str, rotation: str, calendar: DutyCalendar, day: date, path: Path
) -> TermOver | None:
    """Whether ``day`` has no reminder because the term ran out (``next`` looks ahead)."""
    last = calendar.duty_days[-1] if calendar.duty_days else None
    over = last is None or (day >= last if kind == "next" else day > last)
    return TermOver(rotation, calendar.first, calendar.last, path) if over else None


def reminder_kind(today: bool, upcoming: bool, handoff: bool) -> str:
    """The one kind of reminder asked for (``today`` by default)."""
    chosen = [
        name for name, flag in (("today", today), ("next", upcoming), ("handoff", handoff))
        if flag
    ]
    if len(chosen) > 1:
        raise InputError(
            f"--{' and --'.join(chosen)} ask for different reminders; give one of them"
        )
    return chosen[0] if chosen else "today"


def reminders(
    store: ScheduleStore, now: Clock, *, kind: str
) -> Iterator[Reminder | TermOver | TermEnding | Unnamed]:
    """Each rotation's reminder of ``kind`` for today, or its ``TermOver``; nothing for a
    rotation without duty today. A rotation whose last planned term ends within two
    weeks with no next term also yields its ``TermEnding`` (before the reminder), and
    once that term has ended only the ``TermEnding`` (``ended``)."""
    for current in store.planned():
        yield from reminders_for(current, now.today(current.rotation.tz), kind)


def reminders_for(
    current: StoredTerm, today: date, kind: str
) -> Iterator[Reminder | TermOver | TermEnding | Unnamed]:
    """``reminders`` for one rotation (its current term ``current``) on ``today``."""
    assert current.schedule is not None  # store.planned() requires it
    ending = term_ending(current.rotation.id, current.path, current.schedule.term, today)
    # Today's term (a kept one while the next is already planned), then the terms
    # after it: Friday's "next" reminder of one term announces the next term's Monday.
    each = current.on(today)
    found = build(kind, each.rotation, each.calendar(), each.schedule, today)
    while found is None and each is not current:
        each = current.on(each.term.end + timedelta(days=1))
        found = build(kind, each.rotation, each.calendar(), each.schedule, today)
    if found is not None:
        if ending is not None:
            yield ending
        if isinstance(found, Reminder) and found.kind == "handoff":
            found.alerts = handoff_alerts(found)
        yield found
        return
    if ending is not None and ending.ended:
        yield ending
        return
    last = each
    over = term_over(kind, last.rotation.id, last.calendar(), today, last.path)
    if over is not None:
        yield over
    elif ending is not None:
        yield ending
