"""`oncall who`: who is on duty at a moment or on a day, per rotation, as data.

`who` and `remind` run from cron and alert hooks, so this module and what it imports load
only the light core and the YAML reader: never the holiday tables, unless the caller passes
them as ``holiday_tables``. Without them every calendar comes from the days off `oncall
plan` stored in the schedule, and ``workspace.open_planned`` checks that they can before
anything is answered (``HolidayTablesNeeded`` otherwise, so the caller can start over
with them).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from oncall.core.dates import parse_day, parse_moment
from oncall.core.duty import OnDuty, duty_at, duty_of_day
from oncall.core.errors import InputError
from oncall.core.term_end import TermEnding, term_ending
from oncall.usecases.workspace import HolidayTables, now_in, open_planned


def who(
    rotations: list[Path] | None,
    schedule: Path | None,
    *,
    now: str | None,
    at: str | None,
    on_date: str | None,
    holiday_tables: HolidayTables | None,
) -> Iterator[OnDuty | TermEnding]:
    """Who is on duty at ``at`` (default: now) or on ``on_date``, one answer per rotation,
    each as soon as it is known (a later rotation's error comes after earlier answers).
    Before its answer, a rotation whose last planned term ends within two weeks of today
    (or has ended) with no next term yields a ``TermEnding``."""
    if at is not None and on_date is not None:
        raise InputError("--at and --date ask different questions; give one of them")
    for current in open_planned(rotations, schedule, holiday_tables, record=False):
        clock = now_in(current.rotation, now)
        assert current.schedule is not None  # open_planned requires it
        ending = term_ending(
            current.rotation.rotation, current.path, current.schedule.term, clock.date()
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
            each = current.on(moment.date())
            yield duty_at(each.rotation, each.calendar(), each.schedule, moment)
