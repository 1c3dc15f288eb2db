"""`oncall report --format html`: the report as one page with the site's look.

Standalone (the site's style sheet inlined, nothing fetched) for `report`, or linked to
the site's ``style.css`` for `oncall publish`'s review page. The same tables as the text
report, autoescaped (names come from people).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from oncall.render import report as text
from oncall.usecases.report import RotationReport
from oncall.usecases.report_people import people


@dataclass(frozen=True)
class Table:
    title: str
    headers: Sequence[str]
    rows: list[list[str]]
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Chart:
    svg: object  # markup, already escaped
    caption: str


@dataclass(frozen=True)
class Part:
    name: str
    today: str
    notes: list[str]
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)


def parts(reports: Sequence[RotationReport]) -> list[Part]:
    found = []
    for report in reports:
        tables = [
            Table(s.title, text.HEADERS, text.rows(report, s), [s.spread] if s.spread else [])
            for s in text.sections(report)
        ]
        spread = text.spread_line(report)
        if spread is not None:
            tables[-1].lines.append(spread)
        missing = text.uncovered_line(report)
        found.append(Part(report.rotation, report.today.isoformat(),
                          [missing] if missing else [], tables, charts(report)))
    if len(reports) > 1:
        rows = text.people_rows(people(reports))
        found.append(Part("People across rotations", reports[0].today.isoformat(), [],
                          [Table("each person, every rotation", text.PEOPLE_HEADERS, rows)]))
    return found


def charts(report: RotationReport) -> list[Chart]:
    """The pictures of one rotation (none until the charts module is there)."""
    del report
    return []


def as_html(
    reports: Sequence[RotationReport], *, root: str | None = None, home: str | None = None
) -> str:
    """The page: standalone (``root`` None: the style sheet inlined) or inside the site."""
    from oncall.render.site import environment

    env = environment()
    css = None if root is not None else env.get_template("style.css").render()
    names = ", ".join(r.rotation for r in reports) or "no rotation"
    period = reports[0].period if reports else None
    span = f" {period.first}..{period.last}" if period else ""
    return env.get_template("report.html").render(
        title=f"Duty report: {names}{span}", css=css, root=root or "", home=home,
        rotations=parts(reports),
    )
