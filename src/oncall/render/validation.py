"""What `oncall validate` says: each rotation's verdict and its violations, as text or JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from oncall.core.history import PastViolation

if TYPE_CHECKING:
    from oncall.usecases.validate import Report

JSON_VERSION = 1


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


def as_json(reports: list[Report]) -> dict[str, object]:
    """The versioned object `oncall validate --format json` prints."""
    return {
        "version": JSON_VERSION,
        "ok": not any(report.errors for report in reports),
        "rotations": [
            {
                "rotation": report.rotation,
                "file": str(report.path),
                "schedule": str(report.schedule_path) if report.planned else None,
                "history_before": report.today.isoformat(),
                "violations": [
                    {
                        "rule": v.rule,
                        "severity": v.severity,
                        "dates": [day.isoformat() for day in v.dates],
                        "people": list(v.people),
                        "message": v.message,
                        "history": isinstance(v, PastViolation),
                    }
                    for v in report.violations
                ],
            }
            for report in reports
        ],
    }
