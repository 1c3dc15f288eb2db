"""`oncall who`: who is on duty at a moment or on a day, per rotation, as data.

`who` and `remind` run from cron and alert hooks, so this module and what it imports load
only the light core and the YAML reader: never the holiday tables, unless the caller passes
them as ``holiday_tables``. Without them every calendar comes from the days off `oncall
plan` stored in the schedule, and the store's ``planned()`` checks that they can before
anything is answered (``HolidayTablesNeeded`` otherwise, so the caller can start over
with them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from oncall.core.clock import Clock
from oncall.core.dates import parse_day, parse_moment
from oncall.core.duty import OnDuty, TermDuty, duty_at_terms, duty_of_day
from oncall.core.errors import InputError
from oncall.core.store import ScheduleStore, StoredTerm
from oncall.core.term_end import TermEnding, term_ending


def who(
    store: ScheduleStore, now: Clock, *, at: str | None, on_date: str | None
) -> Iterator[OnDuty | TermEnding]:
    """Who is on duty at ``at`` (default: now) or on ``on_date``, one answer per rotation,
    each as soon as it is known (a later rotation's error comes after earlier answers).
    Before its answer, a rotation whose last planned term ends within two weeks of today
    (or has ended) with no next term yields a ``TermEnding``."""
    if at is not None and on_date is not None:
        raise InputError("--at and --date ask different questions; give one of them")
    for current in store.planned():
        clock = now.now(current.rotation.tz)
        assert current.schedule is not None  # store.planned() requires it
        ending = term_ending(
            current.rotation.id, current.path, current.schedule.term, clock.date()
        )
        if ending is not None:
            yield ending
        if on_date is not None:
            day = parse_day(on_date, "--date", clock.date())
            each = current.on(day)  # the term that holds the day, kept ones included
            yield duty_of_day(each.rotation, each.calendar(), each.schedule, day)
        else:
            rotation = current.rotation
            moment = parse_moment(at, "--at", rotation.tz, clock.date()) if at else clock
            yield duty_at_terms(term_of(current), moment)


def term_of(current: StoredTerm) -> Callable[[date], TermDuty]:
    """The term that holds a day (``StoredTerm.on``: a kept one, or the current one), each
    opened once however often it is asked for."""
    opened: list[TermDuty] = []

    def lookup(day: date) -> TermDuty:
        for term in opened:
            if day in term[1].term:
                return term
        each = current.on(day)
        term = (each.rotation, each.calendar(), each.schedule)
        opened.append(term)
        return term

    return lookup
