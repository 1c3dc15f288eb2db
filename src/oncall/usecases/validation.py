"""`oncall validate`: load each rotation and its schedule and report every broken rule.

The checking itself is ``rules.check`` and ``rules.roster_warnings``; this module only
gathers files and prints what they say.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from oncall.core.duty_calendar import DutyCalendar
from oncall.core.errors import EXIT_OK, EXIT_VIOLATIONS, InputError
from oncall.core.rules import ERROR, Violation, check, roster_warnings
from oncall.usecases.workspace import one_path, open_rotation

FORMATS = ("text", "json")


@dataclass
class Report:
    """What validate found for one rotation file."""

    path: Path
    rotation: str
    schedule_path: Path
    planned: bool
    calendar: DutyCalendar
    violations: list[Violation] = field(default_factory=list)

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == ERROR]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity != ERROR]


def validate_file(path: Path, schedule: Path | None = None) -> Report:
    opened = open_rotation(path, schedule=schedule)
    calendar = opened.calendar()
    report = Report(
        path, opened.rotation.rotation, opened.schedule_path, opened.schedule is not None, calendar
    )
    report.violations += roster_warnings(opened.rotation, calendar)
    if opened.schedule is not None:
        report.violations += check(opened.rotation, calendar, opened.schedule)
    return report


def run_validate(paths: list[Path] | None, schedule: Path | None, output_format: str) -> int:
    if output_format not in FORMATS:
        raise InputError(
            f"--format: found {output_format!r}, expected one of: {', '.join(FORMATS)}"
        )
    reports = [validate_file(path, schedule) for path in one_path(paths, schedule)]
    if output_format == "json":
        json.dump(_as_json(reports), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_reports(reports, sys.stdout)
    return EXIT_VIOLATIONS if any(report.errors for report in reports) else EXIT_OK


def print_reports(reports: list[Report], out: TextIO) -> None:
    for report in reports:
        calendar = report.calendar
        counts = []
        if report.errors:
            counts.append(_count(len(report.errors), "violation"))
        if report.warnings:
            counts.append(_count(len(report.warnings), "warning"))
        summary = ", ".join(counts) if counts else "ok"
        if not report.planned:
            summary += f" (no schedule yet at {report.schedule_path}: run `oncall plan`)"
        out.write(f"{report.path}: {summary}\n")
        for violation in report.errors:
            out.write(f"  {violation.describe(calendar)}\n")
        for violation in report.warnings:
            out.write(f"  warning: {violation.describe(calendar)}\n")


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _as_json(reports: list[Report]) -> dict[str, object]:
    return {
        "version": 1,
        "ok": not any(report.errors for report in reports),
        "rotations": [
            {
                "rotation": report.rotation,
                "file": str(report.path),
                "schedule": str(report.schedule_path) if report.planned else None,
                "violations": [
                    {
                        "rule": v.rule,
                        "severity": v.severity,
                        "dates": [day.isoformat() for day in v.dates],
                        "people": list(v.people),
                        "message": v.message,
                    }
                    for v in report.violations
                ],
            }
            for report in reports
        ],
    }
