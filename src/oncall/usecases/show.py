"""`oncall show`: the schedule as people want to read it, as data.

``build_view`` is pure (rows of duty days and holidays, overrides marked, load per member
over the term); ``show`` opens the rotations and builds one view each.
``oncall.render.show`` draws the views.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from oncall.core.clock import Clock
from oncall.core.dates import parse_month
from oncall.core.duty import Person, named_duty, person
from oncall.core.duty_calendar import DutyCalendar
from oncall.core.model import DateRange, Rotation, Term
from oncall.core.rules import eligible_members, served_slots
from oncall.core.schedule import Override, Schedule
from oncall.core.store import ScheduleStore, known_handle


@dataclass(frozen=True)
class Row:
    """One calendar day of the table: a duty day with its people, or a day off."""

    day: date
    duty: bool
    day_off: str | None
    primary: tuple[str, ...]
    shadow: tuple[str, ...]
    incoming: tuple[str, ...]  # handles put there by an override or a cover
    overrides: tuple[Override, ...]
    covers: tuple[tuple[str, str], ...] = ()  # (out, in): one-day covers that day


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
    term: Term  # the term the view's calendar is of
    highlight: str | None = None  # a member the month grid marks, every day still shown


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
            duty = named_duty(rotation, schedule, day)  # as `who` names it: no leaver
            if person is not None and person not in duty.people:
                continue
            planned = schedule.shifts[duty.shift].people if duty.shift is not None else ()
            incoming = tuple(h for h in duty.people if h not in planned)
            changes = tuple(schedule.overrides[i] for i in duty.overrides)
            rows.append(
                Row(day, True, None, duty.primary, duty.shadow, incoming, changes, duty.covers)
            )
        elif (
            person is None
            and day in calendar.days_off
            and day.weekday() in rotation.window.days
        ):
            rows.append(Row(day, False, calendar.days_off[day], (), (), (), ()))
    return View(rotation, shown, person, tuple(rows), _load(rotation, calendar, schedule, person),
                today, calendar.term)


def _load(
    rotation: Rotation, calendar: DutyCalendar, schedule: Schedule, only: str | None
) -> tuple[Load, ...]:
    duties = schedule.duties(calendar.duty_days)
    served = served_slots(calendar, duties)
    handles = [m.handle for m in eligible_members(rotation, calendar.term)]
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


def _days_within(term: Term, span: DateRange) -> int:
    first, last = max(term.start, span.first), min(term.end, span.last)
    return max(0, (last - first).days + 1)


def show(
    store: ScheduleStore,
    now: Clock,
    *,
    person: str | None,
    month: str | None,
) -> list[View]:
    """One view per rotation: ``month`` (YYYY-MM) or the whole term, ``person``'s days only
    when given."""
    views = []
    for current in store.planned():
        clock = now.now(current.rotation.tz)
        span = parse_month(month, "--month", current.term.start) if month else None
        # A month of an earlier term shows that term, from its kept file; a month two
        # terms share shows the one that holds more of it (the later on a tie).
        opened = current if span is None else max(
            (current.on(span.last), current.on(span.first)),
            key=lambda o: _days_within(o.term, span),
        )
        rotation = opened.rotation
        if person is not None:
            known_handle(rotation, person, "--person")
        assert opened.schedule is not None  # store.planned()
        views.append(
            build_view(
                rotation, opened.calendar(), opened.schedule, span=span, person=person,
                today=clock.date(),
            )
        )
    return views
