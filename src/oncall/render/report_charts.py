"""`oncall report`'s pictures: each person's duty hours stacked by category, and the
cumulative spread after each term, as SVG (for the html page and the site) and as text
bars (for a terminal).

Every SVG has a ``<title>`` and a ``<desc>`` (``role="img"``), names are escaped (they come
from people), and the page shows the same numbers in a table beside it, so nothing is
only in the picture. The text bars use one character per category, so they read without
colour; colour is added only for a terminal that has not asked for NO_COLOR.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from oncall.core.duty_hours import Hours
from oncall.core.hour_categories import CATEGORIES
from oncall.usecases.report import RotationReport

LABELS = {"in_window": "in-window", "night": "night", "weekend": "weekend",
          "holiday": "holiday"}
FILL = {"in_window": "#1d4f91", "night": "#5b3f8f", "weekend": "#b4531f",
        "holiday": "#2f6f3e"}
MARK = {"in_window": "#", "night": "=", "weekend": "+", "holiday": "*"}
ANSI = {"in_window": "34", "night": "35", "weekend": "33", "holiday": "32"}
WIDTH, LABEL, ROW = 640, 170, 26


@dataclass(frozen=True)
class Bar:
    handle: str
    name: str
    minutes: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.minutes.values())


def bars(report: RotationReport) -> list[Bar]:
    """Everyone in the roster (then people who left) with their hours in the report."""
    hours = report.hours()
    handles = list(report.names) + sorted(h for h in hours if h not in report.names)
    return [
        Bar(h, report.names.get(h, "(left)"), dict(hours.get(h, Hours()).minutes))
        for h in handles
    ]


def _h(minutes: int) -> str:
    return f"{minutes / 60:.1f}".removesuffix(".0")


def hours_svg(report: RotationReport, ident: str) -> Markup:
    rows = bars(report)
    top = max((b.total for b in rows), default=0) or 1
    span = WIDTH - LABEL - 70
    height = 40 + ROW * len(rows)
    title = f"{report.rotation}: duty hours per person, by category"
    desc = "; ".join(
        f"{b.name}: {_h(b.total)} h (" + ", ".join(
            f"{LABELS[c]} {_h(b.minutes[c])}" for c in CATEGORIES) + ")"
        for b in rows
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="system-ui, sans-serif" '
        'font-size="13">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    for i, category in enumerate(CATEGORIES):
        key = LABEL + i * 110
        out.append(f'<rect x="{key}" y="8" width="12" height="12" fill="{FILL[category]}"/>')
        out.append(f'<text x="{key + 16}" y="19" fill="#1a1a1a">{LABELS[category]}</text>')
    for row, bar in enumerate(rows):
        y = 32 + row * ROW
        out.append(f'<text x="{LABEL - 8}" y="{y + 16}" text-anchor="end" '
                   f'fill="#1a1a1a">{escape(bar.name)}</text>')
        x = float(LABEL)
        for category in CATEGORIES:
            size = span * bar.minutes[category] / top
            if size > 0:
                out.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{size:.1f}" '
                           f'height="{ROW - 8}" fill="{FILL[category]}"/>')
            x += size
        out.append(f'<text x="{x + 6:.1f}" y="{y + 16}" fill="#1a1a1a">{_h(bar.total)} h</text>')
    out.append("</svg>")
    return Markup("\n".join(out))


def spread_points(report: RotationReport) -> list[tuple[str, int]]:
    """(term start, cumulative spread after it) for the terms that have people counted."""
    return [
        (str(t.term.start), t.cumulative_spread)
        for t in report.terms if t.cumulative_spread is not None
    ]


def spread_svg(report: RotationReport, ident: str) -> Markup:
    points = spread_points(report)
    height, left, bottom = 220, 50, 180
    top = max((v for _, v in points), default=0) or 1
    step = (WIDTH - left - 40) / max(1, len(points) - 1)
    title = f"{report.rotation}: cumulative spread after each term"
    desc = "; ".join(f"after the term starting {d}: {v} duty days" for d, v in points)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="system-ui, sans-serif" '
        'font-size="13">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc or "no term with people counted")}</desc>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - 20}" y2="{bottom}" stroke="#4a5560"/>',
        f'<text x="{left - 8}" y="{bottom + 4}" text-anchor="end" fill="#1a1a1a">0</text>',
        f'<text x="{left - 8}" y="24" text-anchor="end" fill="#1a1a1a">{top}</text>',
    ]
    xy = [(left + i * step, bottom - (bottom - 20) * v / top) for i, (_, v) in enumerate(points)]
    if len(xy) > 1:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        out.append(f'<polyline points="{line}" fill="none" stroke="#1d4f91" stroke-width="2"/>')
    for (x, y), (day, value) in zip(xy, points, strict=True):
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#1d4f91"/>')
        out.append(f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" '
                   f'fill="#1a1a1a">{value}</text>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 20}" text-anchor="middle" '
                   f'fill="#1a1a1a">{day}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))


def text_bars(reports: Sequence[RotationReport], colour: bool, width: int = 40) -> list[str]:
    """Each rotation's people as bars of hours, one character per category (a legend
    first); ANSI colour only when ``colour``."""
    legend = "  ".join(f"{MARK[c]} {LABELS[c]}" for c in CATEGORIES)
    lines: list[str] = []
    for report in reports:
        rows = bars(report)
        top = max((b.total for b in rows), default=0)
        if not top:
            continue
        lines += [f"{report.rotation}: duty hours per person ({legend})"]
        name_width = max(len(b.name) for b in rows)
        for bar in rows:
            cells = []
            for category in CATEGORIES:
                count = round(width * bar.minutes[category] / top)
                piece = MARK[category] * count
                if colour and piece:
                    piece = f"\x1b[{ANSI[category]}m{piece}\x1b[0m"
                cells.append(piece)
            lines.append(f"  {bar.name.ljust(name_width)}  {''.join(cells)} {_h(bar.total)} h")
        lines.append("")
    return lines
