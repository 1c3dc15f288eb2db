"""`oncall report`: duty per person, term by term, and the ledger across terms, as data.

Counts come from the schedules with swaps and covers applied (``core.duty_load``), so the
report, the ledger carried into the next term and the fairness the planner balances all
agree. Each term's duty is split at today (``--now``): served (days before it) and
planned (from it on). The spread counts only the members who can serve the current term
(``core.rules.eligible_members``, as the planner): a non-volunteer with no duty day would
pin its minimum at 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from oncall.core.clock import Clock
from oncall.core.duty_load import served_and_planned
from oncall.core.ledger import Ledger, absence_credit, served_in_term
from oncall.core.model import Term
from oncall.core.rules import eligible_members
from oncall.core.served import Served
from oncall.core.store import ScheduleStore


@dataclass(frozen=True)
class TermReport:
    """One term: duty per person as scheduled, and how far it has been served."""

    term: Term
    path: Path
    duty: dict[str, Served]  # the whole term: served and planned
    duty_days: int  # of the term
    served_days: int  # of those, before today
    served: dict[str, Served]  # on days before today
    planned: dict[str, Served]  # on today and later days


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

    @property
    def spread(self) -> int | None:
        """Most minus fewest load (duty days + credit) over ``counted``; None if nobody."""
        loads = [self.ledger.get(h, Served()).load for h in self.counted]
        return max(loads) - min(loads) if loads else None

    @property
    def served_spread(self) -> int | None:
        """The same over what was served so far."""
        loads = [self.ledger_served.get(h, Served()).load for h in self.counted]
        return max(loads) - min(loads) if loads else None


def _total(parts: Iterable[dict[str, Served]]) -> dict[str, Served]:
    total = Ledger()
    for part in parts:
        total = total.plus(part)
    return dict(total.entries)


def report(
    store: ScheduleStore, now: Clock
) -> list[RotationReport]:
    reports = []
    for current in store.planned():
        today = now.today(current.rotation.tz)
        terms = []
        for opened in current.terms():
            assert opened.schedule is not None
            calendar = opened.calendar()
            served, planned = served_and_planned(
                opened.rotation, calendar, opened.schedule, today
            )
            in_term = [d for d in calendar.duty_days if d in opened.schedule.term]
            terms.append(
                TermReport(
                    opened.term,
                    opened.schedule_path,
                    served_in_term(opened.rotation, calendar, opened.schedule),
                    len(in_term),
                    sum(1 for d in in_term if d < today),
                    served,
                    planned,
                )
            )
        # The ledger after the last term, as the next term would carry it: the one stored
        # in the current term (earlier terms and joining credit; `validate` checks it
        # against them) plus the current term's duty.
        assert current.schedule is not None
        ledger = Ledger(dict(current.schedule.ledger or {})).plus(terms[-1].duty).plus(
            absence_credit(
                current.rotation, current.calendar(),
                eligible_members(current.rotation, current.term),
            )
        )
        planned = _total(t.planned for t in terms)
        served = {
            h: total - planned.get(h, Served()) for h, total in ledger.entries.items()
        }
        reports.append(
            RotationReport(
                current.rotation.rotation,
                today,
                current.rotation.names,
                tuple(terms),
                dict(ledger.entries),
                served,
                planned,
                tuple(m.handle for m in eligible_members(current.rotation, current.term)),
            )
        )
    return reports
