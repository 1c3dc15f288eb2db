"""`oncall report`: duty per person, term by term, and the ledger across terms, as data.

Counts come from the schedules with swaps and covers applied (``core.ledger``), so the
report, the ledger carried into the next term and the fairness the planner balances all
agree. A term that is not over yet counts its planned days too, and says how many of
them were served by ``--now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from oncall.core.clock import Clock
from oncall.core.ledger import Ledger, Served, served_in_term
from oncall.core.model import Term
from oncall.core.store import ScheduleStore


@dataclass(frozen=True)
class TermReport:
    """One term: duty per person as scheduled, and how far it has been served."""

    term: Term
    path: Path
    duty: dict[str, Served]
    duty_days: int  # of the term
    served_days: int  # of those, before today


@dataclass(frozen=True)
class RotationReport:
    """A rotation's terms, oldest first, and the ledger after the last of them."""

    rotation: str
    today: date
    names: dict[str, str]  # handle -> name, for the people still in the roster
    terms: tuple[TermReport, ...]
    ledger: dict[str, Served]  # carried into the first term + every term's duty


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
            duty = served_in_term(opened.rotation, calendar, opened.schedule)
            in_term = [d for d in calendar.duty_days if d in opened.schedule.term]
            terms.append(
                TermReport(
                    opened.rotation.term,
                    opened.schedule_path,
                    duty,
                    len(in_term),
                    sum(1 for d in in_term if d < today),
                )
            )
        # The ledger after the last term, as the next term would carry it: the one stored
        # in the current term (earlier terms and joining credit; `validate` checks it
        # against them) plus the current term's duty.
        assert current.schedule is not None
        ledger = Ledger(dict(current.schedule.ledger or {})).plus(terms[-1].duty)
        reports.append(
            RotationReport(
                current.rotation.rotation,
                today,
                current.rotation.names,
                tuple(terms),
                dict(ledger.entries),
            )
        )
    return reports
