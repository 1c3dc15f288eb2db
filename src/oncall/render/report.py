"""`oncall report` as plain text, Markdown, CSV or versioned JSON.

The same rows in every format: per term one row per person, then the total (with a
period: the period's days of every term; without: the ledger, every term together,
joining credit included), then with more than one rotation each person across them
(``usecases.report_people``). Each row gives the duty days as scheduled, how many were
served before today and how many are planned from today on, the covers, and the hours
per category (``core.duty_hours``). Plain text never goes through rich, so handles and
names in brackets print as written. A cell the report cannot count (hours carried in a
ledger) is ``-``, never a zero.

JSON version 3 is one document (version 2 printed one object per rotation and had no
period, hours, covers or people): ``rotations`` (each as version 2 had it, plus per term
``spread``, ``bound`` (null: the schedule does not record the planner's bound),
``cumulative_spread`` and per person ``covers_given``, ``covers_taken`` and ``hours`` by
category; ``total`` for the period; ``uncovered`` days), and ``people``: per person across
rotations, keyed blocks (``served``, ``planned``, ``hours``, ``covers``) so that later
blocks (alerts) sit beside them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from oncall.core.duty_hours import Hours
from oncall.core.hour_categories import CATEGORIES
from oncall.core.served import Served
from oncall.render.spreadsheet import neutralise
from oncall.render.terminal import columns
from oncall.usecases.report import RotationReport, TermReport, not_counted
from oncall.usecases.report_people import PersonReport, people

JSON_VERSION = 3
HEADERS = (
    "person", "name", "duty days", "served days", "planned days", "duty hours",
    "holidays worked", "swaps given", "swaps taken", "shadow shifts", "credited", "excused",
    "covers given", "covers taken", "in-window h", "night h", "weekend h", "holiday h",
)
FORMATS = ("text", "json", "csv", "markdown", "html")
NOT_COUNTED = "-"


def hours_text(minutes: float) -> str:
    return f"{minutes / 60:.1f}".removesuffix(".0")


@dataclass(frozen=True)
class Section:
    """One table: duty per person in total, served and planned; hours and covers when
    the report can count them."""

    title: str
    total: dict[str, Served]
    served: dict[str, Served]
    planned: dict[str, Served]
    hours: dict[str, Hours] | None
    covers: tuple[dict[str, int], dict[str, int]] | None
    spread: str | None = None
    quality: tuple[str, ...] = ()


def _cells(report: RotationReport, handle: str, section: Section) -> list[str]:
    none = Served()
    served = section.total.get(handle, none)
    cells = [
        handle,
        report.names.get(handle, "(left)"),
        str(served.days),
        str(section.served.get(handle, none).days),
        str(section.planned.get(handle, none).days),
        hours_text(served.minutes),
        str(served.holidays),
        str(served.swaps_given),
        str(served.swaps_taken),
        str(served.shadow_shifts),
        str(served.credited),
        str(served.excused),
    ]
    if section.covers is None:
        cells += [NOT_COUNTED] * 2
    else:
        cells += [str(side.get(handle, 0)) for side in section.covers]
    if section.hours is None:
        cells += [NOT_COUNTED] * len(CATEGORIES)
    else:
        minutes = section.hours.get(handle, Hours()).minutes
        cells += [hours_text(minutes[c]) for c in CATEGORIES]
    return cells


def _sum_covers(report: RotationReport) -> tuple[dict[str, int], dict[str, int]]:
    given: dict[str, int] = {}
    taken: dict[str, int] = {}
    for term in report.terms:
        for side, part in ((given, term.covers_given), (taken, term.covers_taken)):
            for handle, count in part.items():
                side[handle] = side.get(handle, 0) + count
    return given, taken


def sections(report: RotationReport) -> list[Section]:
    """Each term's table, then the period's total (or, with no period, the ledger's)."""
    found = [
        Section(
            _term_title(report, i), t.duty, t.served, t.planned, t.hours(),
            (t.covers_given, t.covers_taken), _term_spread(t), tuple(quality_lines(t)),
        )
        for i, t in enumerate(report.terms)
    ]
    if report.period is not None:
        total = report.total()
        served = _add(t.served for t in report.terms)
        planned = _add(t.planned for t in report.terms)
        title = f"total {report.period.first}..{report.period.last} (the period's days)"
        return [*found, Section(title, total, served, planned, report.hours(),
                                _sum_covers(report))]
    ledger = Section(
        "ledger (every term; fairness counts duty days + credited + excused)",
        report.ledger, report.ledger_served, report.ledger_planned, None, None,
    )
    return [*found, ledger]


def _add(parts: Iterable[dict[str, Served]]) -> dict[str, Served]:
    total: dict[str, Served] = {}
    for part in parts:
        for handle, served in part.items():
            total[handle] = total.get(handle, Served()) + served
    return total


def _term_spread(term: TermReport) -> str | None:
    if term.spread is None:
        return None
    bound = "bound not recorded" if term.bound is None else f"proven bound {term.bound}"
    return (
        f"term spread (most - fewest duty days, {len(term.counted)} who can serve): "
        f"{term.spread} ({bound}); cumulative spread after it: {term.cumulative_spread}"
    )


def quality_lines(term: TermReport) -> list[str]:
    """The plan's score, then one line per cause of lost points."""
    head = f"plan quality: {term.quality.score}/100"
    return [head + (" (nothing lost)" if not term.quality.lost else ""),
            *(f"  {lost}" for lost in term.quality.lost)]


def rows(report: RotationReport, section: Section) -> list[list[str]]:
    return [_cells(report, h, section) for h in _people(report, section.total)]


def spread_line(report: RotationReport) -> str | None:
    """The spread over the members who can serve the current term, total and so far."""
    if report.spread is None:
        return None
    return (
        f"spread (most - fewest duty days + credit, over the {len(report.counted)} members "
        f"who can serve): {report.spread}; served so far: {report.served_spread}"
    )


def uncovered_line(report: RotationReport) -> str | None:
    lines = not_counted([report])
    return lines[0].split(": ", 1)[1] if lines else None


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


PEOPLE_HEADERS = (
    "person", "name", "rotations", "duty days", "served days", "planned days", "duty hours",
    "shifts", "shadow shifts", "swaps given", "swaps taken", "covers given", "covers taken",
    "in-window h", "night h", "weekend h", "holiday h",
)


def people_rows(persons: Sequence[PersonReport]) -> list[list[str]]:
    rows = []
    for p in persons:
        total = p.total
        rows.append([
            " = ".join(p.handles), p.name, ",".join(p.rotations), str(total.days),
            str(p.served.days), str(p.planned.days), hours_text(total.minutes),
            str(total.shifts), str(total.shadow_shifts), str(total.swaps_given),
            str(total.swaps_taken), str(p.covers_given), str(p.covers_taken),
            *(hours_text(p.hours.minutes[c]) for c in CATEGORIES),
        ])
    return rows


def as_text(reports: Sequence[RotationReport], colour: bool = False) -> str:
    """The tables, then each rotation's bars (``colour``: ANSI, for a terminal only)."""
    from oncall.render.report_charts import text_bars

    lines: list[str] = []
    for report in reports:
        lines.append(f"{report.rotation}: {len(report.terms)} term(s), as of {report.today}")
        missing = uncovered_line(report)
        if missing is not None:
            lines.append(missing)
        for section in sections(report):
            lines.append("")
            lines.append(section.title)
            lines += ["  " + line for line in columns(HEADERS, rows(report, section))]
            if section.spread is not None:
                lines.append(f"  {section.spread}")
            lines += [f"  {line}" for line in section.quality]
        spread = spread_line(report)
        if spread is not None:
            lines.append(f"  {spread}")
        lines.append("")
    if len(reports) > 1:
        lines.append("people across rotations (the same handle, email or chat id)")
        lines += ["  " + line for line in columns(PEOPLE_HEADERS, people_rows(people(reports)))]
        lines.append("")
    lines += text_bars(reports, colour)
    return "\n".join(lines)


def _markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    return [*out, ""]


def as_markdown(reports: Sequence[RotationReport]) -> str:
    out: list[str] = []
    for report in reports:
        out.append(f"# {report.rotation}\n")
        out.append(f"As of {report.today}: served days are before it, planned days from it on.\n")
        missing = uncovered_line(report)
        if missing is not None:
            out.append(f"{missing.capitalize()}.\n")
        for section in sections(report):
            out.append(f"## {section.title}\n")
            out += _markdown_table(HEADERS, rows(report, section))
            if section.spread is not None:
                out.append(f"{section.spread.capitalize()}.\n")
            if section.quality:
                out.append(f"{section.quality[0].capitalize()}.\n")
                out += [f"* {line.strip()}" for line in section.quality[1:]]
                out.append("")
        spread = spread_line(report)
        if spread is not None:
            out.append(f"{spread.capitalize()}\n")
    if len(reports) > 1:
        out.append("# People across rotations\n")
        out += _markdown_table(PEOPLE_HEADERS, people_rows(people(reports)))
    return "\n".join(out)


def as_csv(reports: Sequence[RotationReport]) -> str:
    """One row per rotation, term and person; the total (or ledger) rows have term ``all``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    names = (h.replace(" ", "_").replace("-", "_") for h in HEADERS)
    writer.writerow(("rotation", "term_start", "term_end", *names))
    for report in reports:
        spans = [(t.term.start, t.term.end) for t in report.terms] + [("all", "all")]
        for (start, end), section in zip(spans, sections(report), strict=True):
            for cells in rows(report, section):
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
        "excused": served.excused,
        "load": served.load,
    }


def hours_json(hours: Hours) -> dict[str, float]:
    return {c: round(hours.minutes[c] / 60, 2) for c in CATEGORIES}


def _people_json(report: RotationReport, section: Section) -> dict[str, object]:
    found: dict[str, object] = {}
    for h in _people(report, section.total):
        entry: dict[str, object] = {
            **_served_json(section.total.get(h, Served())),
            "served": _served_json(section.served.get(h, Served())),
            "planned": _served_json(section.planned.get(h, Served())),
        }
        if section.covers is not None:
            entry["covers_given"] = section.covers[0].get(h, 0)
            entry["covers_taken"] = section.covers[1].get(h, 0)
        if section.hours is not None:
            entry["hours"] = hours_json(section.hours.get(h, Hours()))
        found[h] = entry
    return found


def rotation_json(report: RotationReport) -> dict[str, object]:
    """One rotation's object inside the document."""
    tables = sections(report)
    terms = []
    for term, section in zip(report.terms, tables, strict=False):
        terms.append({
            "start": term.term.start.isoformat(),
            "end": term.term.end.isoformat(),
            "file": str(term.path),
            "duty_days": term.duty_days,
            "served_days": term.served_days,
            "people": _people_json(report, section),
            "counted": list(term.counted),
            "spread": term.spread,
            "bound": term.bound,
            "cumulative_spread": term.cumulative_spread,
            "quality": {
                "score": term.quality.score,
                "lost": [{"points": x.points, "reason": x.reason} for x in term.quality.lost],
            },
        })
    ledger = Section("", report.ledger, report.ledger_served, report.ledger_planned, None, None)
    return {
        "rotation": report.rotation,
        "today": report.today.isoformat(),
        "terms": terms,
        "total": _people_json(report, tables[-1]) if report.period is not None else None,
        "uncovered": [{"from": r.first.isoformat(), "to": r.last.isoformat()}
                      for r in report.uncovered],
        "ledger": _people_json(report, ledger),
        "counted": list(report.counted),
        "spread": report.spread,
        "served_spread": report.served_spread,
    }


def person_json(person: PersonReport) -> dict[str, object]:
    return {
        "handles": list(person.handles),
        "name": person.name,
        "rotations": person.rotations,
        **_served_json(person.total),
        "shifts": person.total.shifts,
        "served": _served_json(person.served),
        "planned": _served_json(person.planned),
        "covers": {"given": person.covers_given, "taken": person.covers_taken},
        "hours": hours_json(person.hours),
        "hours_served": hours_json(person.hours_served),
        "hours_planned": hours_json(person.hours_planned),
    }


def as_json(reports: Sequence[RotationReport]) -> dict[str, object]:
    """The stable, versioned document `oncall report --format json` prints."""
    period = reports[0].period if reports else None
    return {
        "version": JSON_VERSION,
        "period": None if period is None
        else {"from": period.first.isoformat(), "to": period.last.isoformat()},
        "rotations": [rotation_json(r) for r in reports],
        "people": [person_json(p) for p in people(reports)],
    }
