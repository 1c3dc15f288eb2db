"""`oncall report`'s alert figures (``oncall.usecases.incident_report``): a JSON block
``alerts`` beside the duty figures, and a short text section after them."""

from __future__ import annotations

from oncall import words
from oncall.usecases.incident_report import RotationAlerts, TermAlerts


def _minutes(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 60:.1f} min"


def as_json(figures: RotationAlerts) -> dict[str, object]:
    """The ``alerts`` block of a rotation's `report --format json` object."""
    return {
        "log": str(figures.log),
        "skipped_lines": figures.skipped,
        "terms": [{
            "start": t.term.start.isoformat(), "end": t.term.end.isoformat(),
            "incidents": t.incidents, "alerts_by_person": t.alerts_by_person,
            "acknowledged": t.acked, "ack_median_seconds": t.ack_median,
            "ack_worst_seconds": t.ack_worst, "escalated": t.escalated,
            "escalations": t.escalations,
        } for t in figures.terms],
    }


def _term_lines(language: str, term: TermAlerts, names: dict[str, str]) -> list[str]:
    people = ", ".join(f"{names.get(h, h)} {n}" for h, n in term.alerts_by_person.items())
    return ["  " + words.say(
        language, "report.alerts_term", start=term.term.start.isoformat(),
        end=term.term.end.isoformat(), incidents=term.incidents, acked=term.acked,
        median=_minutes(term.ack_median), worst=_minutes(term.ack_worst),
        escalated=term.escalated, people=people or "-")]


def as_text(figures: RotationAlerts, names: dict[str, str], language: str = "en") -> str:
    """The text section after a rotation's duty figures."""
    lines = [words.say(language, "report.alerts_title", rotation=figures.rotation)]
    for term in figures.terms:
        lines += _term_lines(language, term, names)
    if figures.skipped:
        lines.append("  " + words.say(language, "report.alerts_skipped",
                                      count=figures.skipped, path=str(figures.log)))
    return "\n".join(lines) + "\n"
