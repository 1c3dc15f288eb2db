"""What `oncall validate` says: each rotation's verdict and its violations, and people on
duty in two rotations at once, as text or JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from oncall.core.history import PastViolation

if TYPE_CHECKING:
    from oncall.core.overlap import Clash, Watch
    from oncall.usecases.validate import Validation

JSON_VERSION = 1
OVERLAP = "overlap"


def print_reports(result: Validation, out: TextIO) -> None:
    for report in result.reports:
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
    if result.clashes or result.past_clashes:
        counts = []
        if result.clashes:
            counts.append(_count(len(result.clashes), "overlap"))
        if result.past_clashes:
            counts.append(_count(len(result.past_clashes), "warning"))
        out.write(f"across rotations: {', '.join(counts)}\n")
        for clash in result.clashes:
            out.write(f"  {clash.describe()} [{OVERLAP}]\n")
        for clash in result.past_clashes:
            out.write(f"  warning: {clash.describe()} (history) [{OVERLAP}]\n")


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def as_json(result: Validation) -> dict[str, object]:
    """The versioned object `oncall validate --format json` prints."""
    return {
        "version": JSON_VERSION,
        "ok": result.ok,
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
            for report in result.reports
        ],
        "overlaps": [_clash(c, "error", False) for c in result.clashes]
        + [_clash(c, "warning", True) for c in result.past_clashes],
    }


def _clash(clash: Clash, severity: str, history: bool) -> dict[str, object]:
    def duty(watch: Watch) -> dict[str, str]:
        return {
            "rotation": watch.rotation,
            "handle": watch.handle,
            "date": watch.day.isoformat(),
            "start": watch.start.isoformat(),
            "end": watch.end.isoformat(),
        }

    return {
        "rule": OVERLAP,
        "severity": severity,
        "history": history,
        "people": list(clash.person),
        "start": clash.start.isoformat(),
        "end": clash.end.isoformat(),
        "duty": [duty(clash.first), duty(clash.second)],
        "message": clash.describe(),
    }
