"""`oncall report` as plain text, Markdown, CSV or versioned JSON.

The same rows in every format: per term one row per person, then the ledger (every term
together, joining credit included). Plain text never goes through rich, so handles and
names in brackets print as written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from oncall.core.ledger import Served
from oncall.render.spreadsheet import neutralise
from oncall.render.terminal import columns
from oncall.usecases.report import RotationReport

JSON_VERSION = 1
HEADERS = (
    "person", "name", "duty days", "duty hours", "holidays worked", "swaps given",
    "swaps taken", "shadow shifts", "credited",
)
FORMATS = ("text", "json", "csv", "markdown")


def _hours(served: Served) -> str:
    return f"{served.hours:.1f}".removesuffix(".0")


def _cells(report: RotationReport, handle: str, served: Served) -> list[str]:
    return [
        handle,
        report.names.get(handle, "(left)"),
        str(served.days),
        _hours(served),
        str(served.holidays),
        str(served.swaps_given),
        str(served.swaps_taken),
        str(served.shadow_shifts),
        str(served.credited),
    ]


def _people(report: RotationReport, duty: dict[str, Served]) -> list[str]:
    """Everyone in the roster, then anyone else who served (people who left)."""
    roster = list(report.names)
    return roster + sorted(h for h in duty if h not in report.names)


def _term_title(report: RotationReport, index: int) -> str:
    term = report.terms[index]
    state = (
        "finished" if term.served_days == term.duty_days
        else f"in progress: {term.served_days} of {term.duty_days} duty days served"
        if term.served_days
        else "planned, not started"
    )
    return f"term {term.term} ({state}; {term.path})"


def as_text(reports: Sequence[RotationReport]) -> str:
    lines: list[str] = []
    for report in reports:
        lines.append(f"{report.rotation}: {len(report.terms)} term(s), as of {report.today}")
        for index, term in enumerate(report.terms):
            lines.append("")
            lines.append(_term_title(report, index))
            people = _people(report, term.duty)
            rows = [_cells(report, h, term.duty.get(h, Served())) for h in people]
            lines += ["  " + line for line in columns(HEADERS, rows)]
        lines.append("")
        lines.append("ledger (every term; fairness counts duty days + credited)")
        people = _people(report, report.ledger)
        rows = [_cells(report, h, report.ledger.get(h, Served())) for h in people]
        lines += ["  " + line for line in columns(HEADERS, rows)]
        loads = [report.ledger.get(h, Served()).load for h in report.names]
        if loads:
            lines.append(f"  spread (most - fewest duty days + credit): {max(loads) - min(loads)}")
        lines.append("")
    return "\n".join(lines)


def as_markdown(reports: Sequence[RotationReport]) -> str:
    out: list[str] = []
    for report in reports:
        out.append(f"# {report.rotation}\n")
        sections = [
            (_term_title(report, i), t.duty) for i, t in enumerate(report.terms)
        ] + [("ledger (every term)", report.ledger)]
        for title, duty in sections:
            out.append(f"## {title}\n")
            out.append("| " + " | ".join(HEADERS) + " |")
            out.append("|" + "---|" * len(HEADERS))
            for handle in _people(report, duty):
                served = duty.get(handle, Served())
                cells = [c.replace("|", "\\|") for c in _cells(report, handle, served)]
                out.append("| " + " | ".join(cells) + " |")
            out.append("")
    return "\n".join(out)


def as_csv(reports: Sequence[RotationReport]) -> str:
    """One row per rotation, term and person; the ledger rows have term ``all``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    names = (h.replace(" ", "_") for h in HEADERS)
    writer.writerow(("rotation", "term_start", "term_end", *names))
    for report in reports:
        for term in report.terms:
            for handle in _people(report, term.duty):
                cells = _cells(report, handle, term.duty.get(handle, Served()))
                writer.writerow(
                    (report.rotation, term.term.start, term.term.end, *map(neutralise, cells))
                )
        for handle in _people(report, report.ledger):
            cells = _cells(report, handle, report.ledger.get(handle, Served()))
            writer.writerow((report.rotation, "all", "all", *map(neutralise, cells)))
    return buffer.getvalue()


def _served_json(served: Served) -> dict[str, object]:
    return {
        "duty_days": served.days,
        "duty_hours": round(served.hours, 2),
        "holidays_worked": served.holidays,
        "swaps_given": served.swaps_given,
        "swaps_taken": served.swaps_taken,
        "shadow_shifts": served.shadow_shifts,
        "credited": served.credited,
        "load": served.load,
    }


def as_json(report: RotationReport) -> dict[str, object]:
    """The stable, versioned object `oncall report --format json` prints per rotation."""
    return {
        "version": JSON_VERSION,
        "rotation": report.rotation,
        "today": report.today.isoformat(),
        "terms": [
            {
                "start": term.term.start.isoformat(),
                "end": term.term.end.isoformat(),
                "file": str(term.path),
                "duty_days": term.duty_days,
                "served_days": term.served_days,
                "people": {
                    h: _served_json(term.duty.get(h, Served())) for h in _people(report, term.duty)
                },
            }
            for term in report.terms
        ],
        "ledger": {
            h: _served_json(report.ledger.get(h, Served())) for h in _people(report, report.ledger)
        },
    }
