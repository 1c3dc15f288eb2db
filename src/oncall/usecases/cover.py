"""`oncall cover`: who could take a member's duty days, best first.

For each duty day the member holds in ``--dates``, every other member is tried as
`oncall swap` would record them (``usecases.swap.propose``: the rules engine, plus the
other rotations of the folder at overlapping hours). Those who keep every rule are the
candidates, the least loaded first: fewest duty days in the term (overrides and covers
applied, as ``core.duty_load`` counts them), then fewest in the ledger carried into it,
then by handle, so the order is the same on every run. Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from oncall.core.clock import Clock
from oncall.core.dates import parse_dates
from oncall.core.duty_load import duty_load
from oncall.core.errors import RuleRefused
from oncall.core.model import DateRange, Rotation
from oncall.core.rules import format_dates
from oncall.core.store import ScheduleStore, StoredTerm, known_handle
from oncall.usecases.clock_check import refuse_clock_behind
from oncall.usecases.swap import propose, single_rotation, term_for, with_neighbours


@dataclass(frozen=True)
class Candidate:
    """A member who could take the day, with the load that ranks them."""

    handle: str
    name: str
    team: str | None
    days: int  # duty days they hold in the term, overrides applied
    carried: int  # duty load the ledger carries into the term


@dataclass(frozen=True)
class DayCover:
    """One of the member's duty days and who could take it (best first; empty: nobody)."""

    day: date
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class CoverRequest:
    """The member's days in ``dates`` and each day's candidates."""

    rotation: Rotation
    member: str
    dates: DateRange
    days: tuple[DayCover, ...]
    schedule_path: Path

    @property
    def uncovered(self) -> tuple[date, ...]:
        """The days nobody can take without breaking a rule."""
        return tuple(d.day for d in self.days if not d.candidates)


def cover_request(store: ScheduleStore, now: Clock, *, member: str, dates: str) -> CoverRequest:
    """Who could take ``member``'s duty days in ``dates``, per day, best first."""
    path = single_rotation(store, "cover")
    with store.locked([path]):
        current = store.open(path, require_schedule=True)
        clock = now.now(current.rotation.tz)
        span = parse_dates(dates, "--dates", clock.date())
        opened = term_for(current, span, clock.date())
        return candidates_for(store, path, opened, member.strip(), span, clock)


def candidates_for(
    store: ScheduleStore,
    path: Path,
    opened: StoredTerm,
    member: str,
    span: DateRange,
    clock: datetime,
) -> CoverRequest:
    """The cover request for ``member``'s days in ``span`` of ``opened``'s term."""
    rotation, schedule = opened.rotation, opened.schedule
    assert schedule is not None  # require_schedule
    known_handle(rotation, member, "--member")
    refuse_clock_behind(opened, clock, "cover")
    calendar = opened.calendar()
    days = [day for day in span.days() if calendar.is_duty_day(day)]
    mine = [day for day in days if member in schedule.duty_on(day).primary]
    if not mine:
        raise RuleRefused(
            f"cover: {member} holds no duty day in {span}"
            + (f" (duty days there: {format_dates(days)})" if days else "")
            + f"; see `oncall show --person {member}`"
        )
    history = [day for day in mine if day < clock.date()]
    if history:
        raise RuleRefused(
            f"cover: {format_dates(history)} already served (before {clock.date()}); "
            "nothing to cover"
        )
    load = duty_load(rotation, calendar, schedule)
    ledger = schedule.ledger or {}
    now = clock.replace(microsecond=0)
    covers = []
    for day in mine:
        found = []
        for other in rotation.members:
            if other.handle == member or not other.member_on(day):
                continue
            try:
                proposal = propose(
                    rotation, calendar, schedule, DateRange(day, day), member, other.handle,
                    reason=None, now=now,
                )
            except RuleRefused:  # already on duty that day, as primary or shadow
                continue
            proposal = with_neighbours(store, path, rotation, proposal)
            if proposal.violations:
                continue
            held = load.get(other.handle)
            found.append(
                Candidate(
                    other.handle, other.name, other.team,
                    held.days if held is not None else 0,
                    ledger[other.handle].load if other.handle in ledger else 0,
                )
            )
        found.sort(key=lambda c: (c.days, c.carried, c.handle))
        covers.append(DayCover(day, tuple(found)))
    return CoverRequest(rotation, member, span, tuple(covers), opened.schedule_path)
