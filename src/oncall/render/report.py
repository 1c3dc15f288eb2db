"""`oncall report` as plain text, Markdown, CSV or versioned JSON.

The same rows in every format: per term one row per person, then the ledger (every term
together, joining credit included). Each row gives the duty days as scheduled and how
many of them were served before today and how many are planned from today on. Plain
text never goes through rich, so handles and names in brackets print as written.

JSON version 2 (version 1 had no ``served``/``planned`` split, no ``counted`` and no
``spread``): per term and for the ledger, each person's totals as before plus ``served``
and ``planned`` objects of the same fields; ``counted`` lists who can serve the current
term and ``spread`` (``served_spread``) is their most minus fewest load (so far).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from oncall.core.served import Served
from oncall.render.spreadsheet import neutralise
from oncall.render.terminal import columns
from oncall.usecases.report import RotationReport

JSON_VERSION = 2
HEADERS = (
    "person", "name", "duty days", "served days", "planned days", "duty hours",
    "holidays worked", "swaps given", "swaps taken", "shadow shifts", "credited",
)
FORMATS = ("text", "json", "csv", "markdown")


def _hours(served: Served) -> str:
    return f"{served.hours:.1f}".removesuffix(".0")


def _cells(
    report: RotationReport, handle: str, served: Served, split: tuple[Served, Served]
) -> list[str]:
    return [
        handle,
        report.names.get(handle, "(left)"),
        str(served.days),
        str(split[0].days),
        str(split[1].days),
        _hours(served),
        str(served.holidays),
        str(served.swaps_given),
        str(served.swaps_taken),
        str(served.shadow_shifts),
        str(served.credited),
    ]


Section = tuple[dict[str, Served], dict[str, Served], dict[str, Served]]  # total, served, planned


def _sections(report: RotationReport) -> list[tuple[str, Section]]:
    """Each term's title and duty, then the ledger's."""
    sections = [
        (_term_title(report, i), (t.duty, t.served, t.planned))
        for i, t in enumerate(report.terms)
    ]
    ledger = (report.ledger, report.ledger_served, report.ledger_planned)
    return [*sections, ("ledger (every term; fairness counts duty days + credited)", ledger)]


def _rows(report: RotationReport, section: Section) -> list[list[str]]:
    total, served, planned = section
    none = Served()
    return [
        _cells(report, h, total.get(h, none), (served.get(h, none), planned.get(h, none)))
        for h in _people(report, total)
    ]


def _spread_line(report: RotationReport) -> str | None:
    """The spread over the members who can serve the current term, total and so far."""
    if report.spread is None:
        return None
    return (
        f"spread (most - fewest duty days + credit, over the {len(report.counted)} members "
        f"who can serve): {report.spread}; served so far: {report.served_spread}"
    )


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
        for title, section in _sections(report):
            lines.append("")
            lines.append(title)
            lines += ["  " + line for line in columns(HEADERS, _rows(report, section))]
        spread = _spread_line(report)
        if spread is not None:
            lines.append(f"  {spread}")
        lines.append("")
    return "\n".join(lines)


def as_markdown(reports: Sequence[RotationReport]) -> str:
    out: list[str] = []
    for report in reports:
        out.append(f"# {report.rotation}\n")
        out.append(f"As of {report.today}: served days are before it, planned days from it on.\n")
        for title, section in _sections(report):
            out.append(f"## {title}\n")
            out.append("| " + " | ".join(HEADERS) + " |")
            out.append("|" + "---|" * len(HEADERS))
            for row in _rows(report, section):
                cells = [c.replace("|", "\\|") for c in row]
                out.append("| " + " | ".join(cells) + " |")
            out.append("")
        spread = _spread_line(report)
        if spread is not None:
            out.append(f"{spread.capitalize()}\n")
    return "\n".join(out)


def as_csv(reports: Sequence[RotationReport]) -> str:
    """One row per rotation, term and person; the ledger rows have term ``all``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    names = (h.replace(" ", "_") for h in HEADERS)
    writer.writerow(("rotation", "term_start", "term_end", *names))
    for report in reports:
        spans = [(t.term.start, t.term.end) for t in report.terms] + [("all", "all")]
        for (start, end), (_, section) in zip(spans, _sections(report), strict=True):
            for cells in _rows(report, section):
                writer.writerow((report.rotation, start, end, *map(neutralise, cells)))
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


def _people_json(report: RotationReport, section: Section) -> dict[str, object]:
    total, served, planned = section
    return {
        h: {
            **_served_json(total.get(h, Served())),
            "served": _served_json(served.get(h, Served())),
            "planned": _served_json(planned.get(h, Served())),
        }
        for h in _people(report, total)
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
                "people": _people_json(report, (term.duty, term.served, term.planned)),
            }
            for term in report.terms
        ],
        "ledger": _people_json(
            report, (report.ledger, report.ledger_served, report.ledger_planned)
        ),
        "counted": list(report.counted),
        "spread": report.spread,
        "served_spread": report.served_spread,
    }
