"""`oncall validate`: load each rotation and its schedule and find every broken rule.

The checking itself is ``rules.check`` and ``roster.roster_warnings``; days before now
(``--now``, default the clock) are history, where ``oncall.core.history`` turns breaks that
a later roster change caused into warnings. With several rotations, ``oncall.core.overlap``
finds a person on duty in two of them at once. This module gathers the files and returns
one report per rotation and the clashes between them. ``oncall.render.validation`` words
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from oncall.core.clock import Clock
from oncall.core.duty_calendar import DutyCalendar
from oncall.core.errors import EXIT_OK, EXIT_VIOLATIONS
from oncall.core.history import recorded_history, settle_history
from oncall.core.model import Member
from oncall.core.overlap import Clash, Watch, clashes, people, watches
from oncall.core.roster import missing_mentions, new_year_warning, roster_warnings
from oncall.core.rules import ERROR, WARNING, Violation, check
from oncall.core.store import BEGIN, ScheduleStore, StoredTerm
from oncall.core.term_end import term_ending
from oncall.usecases.terms import boundary_problems, ledger_problems

TERM_END = "term_end"  # the rule name of the warning that the last planned term ends


@dataclass
class Report:
    """What validate found for one rotation file."""

    path: Path
    rotation: str
    schedule_path: Path
    planned: bool
    calendar: DutyCalendar
    today: date  # days before it are history (see oncall.core.history)
    violations: list[Violation] = field(default_factory=list)
    members: tuple[Member, ...] = ()
    duty: list[Watch] = field(default_factory=list)  # who is on duty when, overrides applied

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == ERROR]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity != ERROR]


@dataclass
class Validation:
    """Every rotation's report, and the people on duty in two rotations at once: on days
    still to come (errors) and on days already served (history, warnings)."""

    reports: list[Report]
    clashes: list[Clash] = field(default_factory=list)
    past_clashes: list[Clash] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.clashes and not any(report.errors for report in self.reports)


def validate_file(
    store: ScheduleStore, path: Path, now: Clock, require_mentions: bool = False
) -> Report:
    opened = store.open(path)
    today = now.today(opened.rotation.tz)
    calendar = opened.calendar()
    report = Report(
        path,
        opened.rotation.id,
        opened.schedule_path,
        opened.schedule is not None,
        calendar,
        today,
        members=opened.rotation.members,
    )
    report.violations += roster_warnings(opened.rotation, calendar)
    report.violations += new_year_warning(opened.rotation, calendar)
    report.violations += interrupted(store, path)
    if opened.schedule is not None:
        found = check(opened.rotation, calendar, opened.schedule)
        report.violations += settle_history(found, today)
        report.duty = watches(opened.rotation, calendar, opened.schedule)
        upcoming = {w.handle for w in report.duty if w.day >= today}
        report.violations += missing_mentions(
            opened.rotation, upcoming, required=require_mentions
        )
        _kept_terms(opened, today, report)
        busy = {w.handle for w in report.duty if w.day >= today}
        report.violations = recorded_history(report.violations, busy)
        ending = term_ending(opened.rotation.id, path, opened.schedule.term, today)
        if ending is not None:  # a reminder to plan, not a broken rule: a warning
            report.violations.append(
                Violation(TERM_END, ending.describe(), (ending.term.end,), severity=WARNING)
            )
    return report


def interrupted(store: ScheduleStore, path: Path) -> list[Violation]:
    """A change a kill cut between its two writes: the files disagree until it is
    finished, and the one command that finishes it is named."""
    found = store.pending(path)
    if found is None:
        return []
    kind, start = found
    what = (
        f"planning the term after the one starting {start} (`oncall plan --next-term`)"
        if kind == BEGIN
        else f"a swap into the term starting {start}, not yet carried into the later "
        "terms' ledgers"
    )
    return [
        Violation(
            "interrupted",
            f"{what} was interrupted; run `oncall repair {path}` to finish it",
        )
    ]


def _kept_terms(opened: StoredTerm, today: date, report: Report) -> None:
    """The rotation's earlier terms: their rules (days before today are history, as in
    the current term), their duty (for clashes with other rotations) and the ledger each
    later term carries from them."""
    every = [o for o in opened.terms() if o.schedule is not None]
    for each in every[:-1]:  # the current term is checked above
        assert each.schedule is not None
        calendar = each.calendar()
        report.violations += settle_history(check(each.rotation, calendar, each.schedule), today)
        report.duty += watches(each.rotation, calendar, each.schedule)
    report.violations += ledger_problems(every)
    report.violations += settle_history(boundary_problems(every), today)


def validate(
    store: ScheduleStore, now: Clock, require_mentions: bool = False
) -> Validation:
    """One report per rotation file the command works on, and the clashes between them."""
    reports = [
        validate_file(store, path, now, require_mentions) for path in store.rotation_sources()
    ]
    result = Validation(reports)
    if len(reports) > 1:
        identity = people({report.rotation: report.members for report in reports})
        today = {report.rotation: report.today for report in reports}
        for clash in clashes((w for report in reports for w in report.duty), identity):
            served = all(w.day < today[w.rotation] for w in (clash.first, clash.second))
            (result.past_clashes if served else result.clashes).append(clash)
    return result


def exit_code(result: Validation) -> int:
    """Errors and clashes fail the check (exit 1); warnings do not."""
    return EXIT_OK if result.ok else EXIT_VIOLATIONS
