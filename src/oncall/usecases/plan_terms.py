"""`oncall plan` over every term that still has days to serve, not only the current file.

After `plan --next-term` the term that runs today is kept in ``X.terms/`` while the next
one is the current file; a roster edit (a leaver, leave, a deleted member, a closure) may
break either. `plan` and `plan --from D` re-plan each of them from D (today by default),
oldest first, each later term's ledger carried again from the re-planned one before it
and its first shifts kept clear of that one's last (``min_gap``); `plan --next-term`
re-plans, the same way, the first term with days to serve that now breaks a rule and
every term after it, then plans the next one. Served days are never rewritten. The
use case (``oncall.usecases.plan``) plans them all before it writes any, so a term that
cannot be planned (exit 3) leaves every file as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from oncall.core.duty_calendar import DutyCalendar
from oncall.core.errors import InputError
from oncall.core.schedule import Schedule
from oncall.core.served import Served
from oncall.core.store import ScheduleStore, StoredTerm
from oncall.usecases.plan_integrity import unserved_errors
from oncall.usecases.terms import last_served, ledger_problems, recarried


def running_kept(current: StoredTerm, today: date) -> tuple[StoredTerm | None, list[StoredTerm]]:
    """The kept terms before ``current`` (oldest first) with a day from ``today`` on (the
    term that runs today after `plan --next-term`, and any planned early after it), and
    the term just before the first of them (None when there is none)."""
    if current.schedule is None:
        return None, []
    kept = current.terms()[:-1]
    running = [index for index, term in enumerate(kept) if term.term.end >= today]
    first = running[0] if running else len(kept)
    return (kept[first - 1] if first else None), kept[first:]


def broken_from(
    store: ScheduleStore,
    path: Path,
    terms: Sequence[StoredTerm],
    today: date,
    before: StoredTerm | None,
) -> tuple[StoredTerm | None, list[StoredTerm]]:
    """``terms`` (each with days to serve; ``before``: the term just before the first) from
    the first that a roster edit broke, on, and the term before that one: its days from
    ``today`` on break a rule (what `validate` would reject), or its ledger no longer adds
    up from the term before it (a closure, a leaver in that term). None, [] when every one
    still holds."""
    for index, term in enumerate(terms):
        assert term.schedule is not None  # a planned term
        calendar = store.fresh_calendar(term.rotation, term.term, path)
        upcoming, _ = unserved_errors(term.rotation, calendar, term.schedule, today)
        previous = terms[index - 1] if index else before
        if upcoming or (previous is not None and ledger_problems([previous, term])):
            return previous, list(terms[index:])
    return None, []


def untouched(term: StoredTerm, plan_from: date) -> bool:
    """Whether a re-plan from ``plan_from`` leaves ``term`` as it is (it ends before)."""
    return term.term.end < plan_from


def as_of(schedule: Schedule, now: datetime) -> Schedule:
    """A kept schedule checked as of ``now`` (not its own ``planned_at``): which of its
    days are served is today's question."""
    return replace(schedule, planned_at=now)


class Before:
    """The term re-planned just before another in this run: what the later one's ledger
    is carried from, and whose last shifts its first ones stay clear of."""

    __slots__ = ("calendar", "end", "schedule", "term")

    def __init__(self, term: StoredTerm | None, calendar: DutyCalendar | None) -> None:
        assert term is not None and term.schedule is not None and calendar is not None
        self.term = term
        self.calendar = calendar
        self.schedule = term.schedule
        self.end = term.term.end

    def ledger_for(self, stored: Mapping[str, Served] | None) -> dict[str, Served] | None:
        """The later term's ledger (``stored`` as it was) carried again from this term."""
        if stored is None:
            return None
        return recarried(self.term.rotation, self.calendar, self.schedule, stored)

    def recent_for(self, start: date) -> dict[str, int] | None:
        """How many shifts before ``start`` each person last served, when the later term
        starts the day after this one ends (``min_gap`` across the boundary)."""
        if self.end + timedelta(days=1) != start:
            return None
        return last_served(self.calendar, self.schedule)


def save_terms(
    store: ScheduleStore,
    target: StoredTerm,
    earlier: Sequence[StoredTerm],
    follows: StoredTerm | None,
) -> None:
    """Write the terms one `plan` made: ``target`` (the current term re-planned, or with
    ``follows`` the next term, begun after ``follows`` is kept) and the ``earlier`` terms
    re-planned with it, oldest first. The kept ones and the current term are written under
    the store's note of a change to a kept term, so a kill between the writes is finished
    by carrying the ledgers again (`oncall repair`, or the next `plan`)."""
    kept = [term for term in earlier if term.schedule_path != target.schedule_path]
    mine = [term for term in earlier if term.schedule_path == target.schedule_path]
    with store.carrying(target, kept[0]) if kept else nullcontext():
        for term in (*kept, *mine):  # with --next-term, the current term before it is kept
            assert term.schedule is not None
            store.save(term, term.schedule)
        if follows is None:
            assert target.schedule is not None
            store.save(target, target.schedule)
    if follows is not None:
        store.begin_term(follows, target)


@dataclass(frozen=True)
class NoticeKept:
    """What ``rules.notice`` kept in a re-plan: the shifts starting before ``until``
    (today plus the notice) that would otherwise have been planned again."""

    days: int
    until: date
    shifts: int


def notice_from(
    store: ScheduleStore, current: StoredTerm, plan_from: date, today: date, inside: bool
) -> tuple[date, NoticeKept | None]:
    """The day a re-plan may start changing shifts: ``plan_from``, or with
    ``rules.notice`` (unless ``inside``, `--inside-notice`) no earlier than today plus
    the notice, so people keep the duty they were told for the coming days."""
    days = current.rotation.rules.notice
    term = current.term
    if days > (term.end - term.start).days + 1:
        raise InputError(
            f"rules.notice: found {days} days, longer than the term {term} "
            f"({(term.end - term.start).days + 1} days); expected a notice within the term",
            mark=store.locate(current.path, "rules.notice"),
            hint="a notice of one or two weeks (14d) keeps the coming shifts stable",
        )
    until = today + timedelta(days=days)
    if not days or inside or plan_from >= until or current.schedule is None:
        return plan_from, None
    held = [s for s in current.schedule.shifts if plan_from <= s.start < until]
    return until, NoticeKept(days, until, len(held))
