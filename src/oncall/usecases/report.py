"""`oncall report`: duty per person, term by term, and the ledger across terms, as data.

Counts come from the schedules with swaps and covers applied (``core.duty_load``), so the
report, the ledger carried into the next term and the fairness the planner balances all
agree. Each term's duty is split at today (``--now``): served (days before it) and
planned (from it on). The spread counts only the members who can serve the current term
(``core.rules.eligible_members``, as the planner): a non-volunteer with no duty day would
pin its minimum at 0.

A period (``--term``, ``--year``, ``--from``/``--to``) keeps the terms that overlap it and
counts only its days; the days of the period no term holds are listed (``uncovered``),
never counted as zeros. Hours are split by category (``core.duty_hours``). The same
person in several rotations (``core.overlap.people``) is one row of ``people``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from oncall.core.clock import Clock
from oncall.core.duty_hours import Hours, covers, duty_hours
from oncall.core.duty_load import duty_load, served_and_planned
from oncall.core.ledger import Ledger, absence_credit, served_in_term
from oncall.core.model import DateRange, Member, Term
from oncall.core.period import Period
from oncall.core.quality import Quality, quality
from oncall.core.rules import eligible_members
from oncall.core.served import Served
from oncall.core.store import ScheduleStore, StoredTerm


@dataclass(frozen=True)
class TermReport:
    """One term: duty per person as scheduled, and how far it has been served."""

    term: Term
    path: Path
    duty: dict[str, Served]  # the whole term (in the period): served and planned
    duty_days: int  # of the term (in the period)
    served_days: int  # of those, before today
    served: dict[str, Served]  # on days before today
    planned: dict[str, Served]  # on today and later days
    hours_served: dict[str, Hours]  # minutes per category and month, before today
    hours_planned: dict[str, Hours]  # from today on
    covers_given: dict[str, int]  # one-day covers: days someone else covered for them
    covers_taken: dict[str, int]  # days they covered for someone
    counted: tuple[str, ...]  # who can serve this term: its spread is theirs
    cumulative: dict[str, Served]  # the ledger after this term (carried in + whole term)
    quality: Quality  # of the whole term's plan, as people live it
    bound: int | None = None  # the planner's proven lower bound, when the schedule has it

    @property
    def spread(self) -> int | None:
        """Most minus fewest duty days in this term over ``counted``; None if nobody."""
        return _spread(self.duty, self.counted)

    @property
    def cumulative_spread(self) -> int | None:
        """The same over the ledger after this term (credit included)."""
        return _spread(self.cumulative, self.counted)

    def hours(self) -> dict[str, Hours]:
        return _hours_total((self.hours_served, self.hours_planned))


@dataclass(frozen=True)
class RotationReport:
    """A rotation's terms, oldest first, and the ledger after the last of them."""

    rotation: str
    today: date
    names: dict[str, str]  # handle -> name, for the people still in the roster
    terms: tuple[TermReport, ...]
    ledger: dict[str, Served]  # carried into the first term + every term's duty
    ledger_served: dict[str, Served]  # of it, what was served before today (credit included)
    ledger_planned: dict[str, Served]  # of it, what is planned from today on
    counted: tuple[str, ...]  # who can serve the current term: the spread is theirs
    period: DateRange | None = None
    uncovered: tuple[DateRange, ...] = ()  # days of the period no term holds
    roster: tuple[Member, ...] = ()  # to tell the same person in other rotations
    missing: str | None = None  # why nothing of the period could be counted
    rates: Mapping[str, float] = field(default_factory=dict)  # `compensation:` per hour
    currency: str | None = None

    @property
    def spread(self) -> int | None:
        """Most minus fewest load (duty days + credit) over ``counted``; None if nobody."""
        return _spread(self.ledger, self.counted)

    @property
    def served_spread(self) -> int | None:
        """The same over what was served so far."""
        return _spread(self.ledger_served, self.counted)

    def total(self) -> dict[str, Served]:
        """Every reported term's duty (in the period) together, without credit."""
        return _total(t.duty for t in self.terms)

    def hours(self) -> dict[str, Hours]:
        return _hours_total(t.hours() for t in self.terms)


def _spread(duty: dict[str, Served], counted: Iterable[str]) -> int | None:
    loads = [duty.get(h, Served()).load for h in counted]
    return max(loads) - min(loads) if loads else None


def _total(parts: Iterable[dict[str, Served]]) -> dict[str, Served]:
    total = Ledger()
    for part in parts:
        total = total.plus(part)
    return dict(total.entries)


def _hours_total(parts: Iterable[dict[str, Hours]]) -> dict[str, Hours]:
    total: dict[str, Hours] = {}
    for part in parts:
        for handle, hours in part.items():
            total[handle] = total.get(handle, Hours()).plus(hours)
    return dict(sorted(total.items()))


def _term_report(opened: StoredTerm, today: date, period: DateRange | None) -> TermReport:
    assert opened.schedule is not None
    rotation, schedule = opened.rotation, opened.schedule
    calendar = opened.calendar()

    def within(test: Callable[[date], bool]) -> Callable[[date], bool]:
        return test if period is None else lambda day: day in period and test(day)

    before, after = within(lambda day: day < today), within(lambda day: day >= today)
    every = within(lambda day: True)
    served = duty_load(rotation, calendar, schedule, before)
    planned = duty_load(rotation, calendar, schedule, after)
    duty = duty_load(rotation, calendar, schedule, every)
    in_term = [d for d in calendar.duty_days if d in schedule.term and every(d)]
    given, taken = covers(calendar, schedule, every)
    counted = tuple(m.handle for m in eligible_members(rotation, opened.term))
    whole = served_in_term(rotation, calendar, schedule)
    return TermReport(
        opened.term, opened.schedule_path, duty, len(in_term),
        sum(1 for d in in_term if d < today), served, planned,
        duty_hours(rotation, calendar, schedule, before),
        duty_hours(rotation, calendar, schedule, after),
        given, taken, counted,
        dict(Ledger(dict(schedule.ledger or {})).plus(whole).entries),
        quality(rotation, calendar, schedule, counted),
    )


def _planned(opened: StoredTerm, today: date) -> dict[str, Served]:
    assert opened.schedule is not None
    calendar = opened.calendar()
    return served_and_planned(opened.rotation, calendar, opened.schedule, today)[1]


def _uncovered(period: DateRange, terms: Iterable[Term]) -> tuple[DateRange, ...]:
    """The runs of the period's days that no term holds."""
    held = list(terms)
    runs: list[DateRange] = []
    for day in period.days():
        if any(day in term for term in held):
            continue
        if runs and (day - runs[-1].last).days == 1:
            runs[-1] = DateRange(runs[-1].first, day)
        else:
            runs.append(DateRange.single(day))
    return tuple(runs)


def report(
    store: ScheduleStore, now: Clock, period: Period | None = None
) -> list[RotationReport]:
    period = period or Period()
    reports = []
    for current in store.planned():
        today = now.today(current.rotation.tz)
        stored = current.terms()
        days, missing = period.days, None
        if period.term is not None:
            starting = [t.term for t in stored if t.term.start == period.term]
            days = DateRange(starting[0].start, starting[0].end) if starting else None
            missing = None if starting else f"no term starts on {period.term}"
        kept = [
            t for t in stored
            if (days is None and missing is None)
            or (days is not None and days.overlaps(DateRange(t.term.start, t.term.end)))
        ]
        terms = [_term_report(opened, today, days) for opened in kept]
        # The ledger after the last term, as the next term would carry it: the one stored
        # in the current term (earlier terms and joining credit; `validate` checks it
        # against them) plus the current term's duty.
        assert current.schedule is not None
        whole = served_in_term(current.rotation, current.calendar(), current.schedule)
        ledger = Ledger(dict(current.schedule.ledger or {})).plus(whole).plus(
            absence_credit(
                current.rotation, current.calendar(),
                eligible_members(current.rotation, current.term),
            )
        )
        planned = _total(_planned(t, today) for t in stored)
        served = {
            h: total - planned.get(h, Served()) for h, total in ledger.entries.items()
        }
        uncovered = _uncovered(period.days, (t.term for t in stored)) if period.days else ()
        reports.append(
            RotationReport(
                current.rotation.id,
                today,
                current.rotation.names,
                tuple(terms),
                dict(ledger.entries),
                served,
                planned,
                tuple(m.handle for m in eligible_members(current.rotation, current.term)),
                days,
                uncovered,
                current.rotation.members,
                missing,
                current.rotation.compensation,
                current.rotation.currency,
            )
        )
    return reports


def not_counted(reports: Iterable[RotationReport]) -> list[str]:
    """One line per rotation with days of the period it could not count."""
    lines = []
    for r in reports:
        if r.missing is not None:
            lines.append(f"{r.rotation}: {r.missing}: nothing counted")
        elif r.uncovered:
            runs = ", ".join(
                str(u.first) if u.first == u.last else f"{u.first}..{u.last}"
                for u in r.uncovered
            )
            lines.append(f"{r.rotation}: no term holds {runs}: those days are not counted")
    return lines
