"""`oncall validate`: load each rotation and its schedule and find every broken rule.

The checking itself is ``rules.check`` and ``rules.roster_warnings``; days before now
(``--now``, default the clock) are history, where ``oncall.core.history`` turns breaks that
a later roster change caused into warnings. This module gathers the files and returns one
report per rotation. ``oncall.render.validation`` words them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from oncall.core.calendar import days_off
from oncall.core.duty_calendar import DutyCalendar
from oncall.core.errors import EXIT_OK, EXIT_VIOLATIONS
from oncall.core.history import settle_history
from oncall.core.rules import ERROR, Violation, check, roster_warnings
from oncall.usecases.workspace import now_in, open_rotation, rotation_paths


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

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == ERROR]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity != ERROR]


def validate_file(path: Path, schedule: Path | None = None, now: str | None = None) -> Report:
    opened = open_rotation(path, schedule=schedule, holiday_tables=days_off)
    today = now_in(opened.rotation, now).date()
    calendar = opened.calendar()
    report = Report(
        path,
        opened.rotation.rotation,
        opened.schedule_path,
        opened.schedule is not None,
        calendar,
        today,
    )
    report.violations += roster_warnings(opened.rotation, calendar)
    if opened.schedule is not None:
        found = check(opened.rotation, calendar, opened.schedule)
        report.violations += settle_history(found, today)
    return report


def validate(
    paths: list[Path] | None, schedule: Path | None, now: str | None = None
) -> list[Report]:
    """One report per rotation file the command works on."""
    return [validate_file(path, schedule, now) for path in rotation_paths(paths, schedule)]


def exit_code(reports: list[Report]) -> int:
    """Errors fail the check (exit 1); warnings about the roster do not."""
    return EXIT_VIOLATIONS if any(report.errors for report in reports) else EXIT_OK
