"""`oncall report --format html`: the report as one page with the site's look.

Standalone (the site's style sheet inlined, nothing fetched) for `report`, or linked to
the site's ``style.css`` for `oncall publish`'s review page. The same tables as the text
report, autoescaped (names come from people).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

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
    table: Table


@dataclass(frozen=True)
class Part:
    name: str
    today: str
    notes: list[str]
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)


def parts(
    reports: Sequence[RotationReport], headings: Sequence[str] | None = None
) -> list[Part]:
    found = []
    for number, report in enumerate(reports, 1):
        tables = [
            Table(s.title, text.HEADERS, text.rows(report, s),
                  [*([s.spread] if s.spread else []), *(q.strip() for q in s.quality)])
            for s in text.sections(report)
        ]
        spread = text.spread_line(report)
        if spread is not None:
            tables[-1].lines.append(spread)
        missing = text.uncovered_line(report)
        name = headings[number - 1] if headings else report.rotation
        found.append(Part(name, report.today.isoformat(),
                          [missing] if missing else [], tables,
                          charts(report, f"r{number}")))
    if len(reports) > 1 and not headings:
        rows = text.people_rows(people(reports))
        found.append(Part("People across rotations", reports[0].today.isoformat(), [],
                          [Table("each person, every rotation", text.PEOPLE_HEADERS, rows)]))
    return found


def charts(report: RotationReport, ident: str) -> list[Chart]:
    """The pictures of one rotation, each with the table of its numbers."""
    from oncall.core.hour_categories import CATEGORIES
    from oncall.render import report_charts as draw

    hours = Table(
        "duty hours per person, by category",
        ["person", *(draw.LABELS[c] + " h" for c in CATEGORIES), "total h"],
        [[b.name, *(text.hours_text(b.minutes[c]) for c in CATEGORIES),
          text.hours_text(b.total)] for b in draw.bars(report)],
    )
    spread = Table(
        "cumulative spread (most - fewest duty days + credit) after each term",
        ["term starting", "cumulative spread"],
        [[day, str(value)] for day, value in draw.spread_points(report)],
    )
    found = [
        Chart(draw.hours_svg(report, f"{ident}-hours"), "Duty hours per person, stacked "
              "by category (the numbers are in the table below).", hours),
    ]
    if len(spread.rows) > 1:  # a line needs two terms; one term's spread is in the table
        found.append(Chart(draw.spread_svg(report, f"{ident}-spread"), "The cumulative "
                           "spread after each term (the numbers are in the table below).",
                           spread))
    else:
        found.append(Chart(None, "", spread))
    return found


@cache
def _environment() -> Environment:
    """The site's templates, as ``render.site`` loads them (autoescaped: names come from
    people); its own, as the site imports this module for its review page."""
    return Environment(
        loader=PackageLoader("oncall.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def as_html(
    reports: Sequence[RotationReport],
    *,
    root: str | None = None,
    home: str | None = None,
    title: str | None = None,
    headings: Sequence[str] | None = None,
) -> str:
    """The page: standalone (``root`` None: the style sheet inlined) or inside the site
    (``home`` the index, ``headings`` one per report in place of the rotation's id)."""
    env = _environment()
    css = None if root is not None else env.get_template("style.css").render()
    names = ", ".join(r.rotation for r in reports) or "no rotation"
    period = reports[0].period if reports else None
    span = f" {period.first}..{period.last}" if period else ""
    return env.get_template("report.html").render(
        title=title or f"Duty report: {names}{span}", css=css, root=root or "", home=home,
        rotations=parts(reports, headings),
    )
