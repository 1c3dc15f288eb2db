"""`oncall report --hours`: each person's duty hours per category and month, and what
they are paid where the rotation file sets ``compensation:``.

One row per rotation, person and month (``YYYY-MM``), then one per rotation and person
for the whole period (month ``all``). Hours are real elapsed time (``core.duty_hours``);
served hours (before today) and planned ones are both given, and the amount is priced on
every hour of the row (a category without a rate is not priced: its amount is empty, so
a missing rate never reads as 0).

The CSV opens as numbers and dates in LibreOffice and Excel: the month is a date
(``2027-01-01``, the month's first day), hours and amounts are plain decimals with a dot
and no thousands separator, text cells go through ``render.spreadsheet.neutralise``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from oncall.core.duty_hours import Hours
from oncall.core.hour_categories import CATEGORIES
from oncall.render.spreadsheet import neutralise
from oncall.render.terminal import columns
from oncall.usecases.report import RotationReport

JSON_VERSION = 1


@dataclass(frozen=True)
class HoursRow:
    rotation: str
    handle: str
    name: str
    month: str  # YYYY-MM, or "all"
    minutes: dict[str, int]
    served: int  # minutes before today
    planned: int
    amounts: dict[str, float] | None  # per priced category; None without compensation
    currency: str | None

    @property
    def amount(self) -> float | None:
        return None if self.amounts is None else round(sum(self.amounts.values()), 2)


def _priced(report: RotationReport, minutes: dict[str, int]) -> dict[str, float] | None:
    if not report.rates:
        return None
    return {c: round(minutes[c] / 60 * r, 2) for c, r in report.rates.items()}


def hours_rows(reports: Sequence[RotationReport]) -> list[HoursRow]:
    found = []
    for report in reports:
        served = _by_person(t.hours_served for t in report.terms)
        planned = _by_person(t.hours_planned for t in report.terms)
        handles = list(report.names) + sorted(
            h for h in set(served) | set(planned) if h not in report.names
        )
        for handle in handles:
            done, ahead = served.get(handle, Hours()), planned.get(handle, Hours())
            total = done.plus(ahead)
            months = [*sorted(total.by_month), "all"]
            for month in months:
                def of(hours: Hours, month: str = month) -> dict[str, int]:
                    if month == "all":
                        return dict(hours.minutes)
                    return hours.by_month.get(month, dict.fromkeys(CATEGORIES, 0))

                minutes = of(total)
                found.append(HoursRow(
                    report.rotation, handle, report.names.get(handle, "(left)"), month,
                    minutes, sum(of(done).values()), sum(of(ahead).values()),
                    _priced(report, minutes), report.currency,
                ))
    return found


def _by_person(parts: Iterable[dict[str, Hours]]) -> dict[str, Hours]:
    total: dict[str, Hours] = {}
    for part in parts:
        for handle, hours in part.items():
            total[handle] = total.get(handle, Hours()).plus(hours)
    return total


def _h(minutes: int) -> str:
    return f"{minutes / 60:.2f}"


def _money(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


HEADERS = (
    "rotation", "person", "name", "month", *(f"{c} h" for c in CATEGORIES), "total h",
    "served h", "planned h", *(f"{c} amount" for c in CATEGORIES), "amount", "currency",
)


def _cells(row: HoursRow) -> list[str]:
    amounts = row.amounts or {}
    return [
        row.rotation, row.handle, row.name, row.month,
        *(_h(row.minutes[c]) for c in CATEGORIES), _h(sum(row.minutes.values())),
        _h(row.served), _h(row.planned),
        *(_money(amounts.get(c)) for c in CATEGORIES), _money(row.amount),
        row.currency or "",
    ]


def as_text(reports: Sequence[RotationReport]) -> str:
    rows = hours_rows(reports)
    lines = columns(HEADERS, [_cells(r) for r in rows])
    return "\n".join([*lines, ""])


def as_markdown(reports: Sequence[RotationReport]) -> str:
    out = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for row in hours_rows(reports):
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in _cells(row)) + " |")
    return "\n".join([*out, ""])


def as_csv(reports: Sequence[RotationReport]) -> str:
    """Typed for spreadsheets: the month as a date, numbers as plain decimals."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([h.replace(" ", "_") for h in HEADERS])
    for row in hours_rows(reports):
        cells = _cells(row)
        month = f"{row.month}-01" if row.month != "all" else "all"
        text = [neutralise(c) for c in (row.rotation, row.handle, row.name)]
        writer.writerow([*text, month, *cells[4:-1], neutralise(cells[-1])])
    return buffer.getvalue()


def as_json(reports: Sequence[RotationReport]) -> dict[str, object]:
    period = reports[0].period if reports else None
    return {
        "hours_version": JSON_VERSION,
        "period": None if period is None
        else {"from": period.first.isoformat(), "to": period.last.isoformat()},
        "rows": [
            {
                "rotation": r.rotation, "person": r.handle, "name": r.name, "month": r.month,
                "hours": {c: round(r.minutes[c] / 60, 2) for c in CATEGORIES},
                "served_hours": round(r.served / 60, 2),
                "planned_hours": round(r.planned / 60, 2),
                "amounts": r.amounts, "amount": r.amount, "currency": r.currency,
            }
            for r in hours_rows(reports)
        ],
    }
