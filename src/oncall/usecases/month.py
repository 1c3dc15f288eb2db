"""Month grids of a `show` view: weeks by weekdays, each day with its row of the view.

One layout for the terminal (`show --month`) and the published site (`oncall publish`), so
the two draw the same weeks, the same days off and the same marks. Pure: a view in, grids
out. Weeks start on Monday, as ISO weeks and the rotation's weekday numbers do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from oncall.core.clock import Clock
from oncall.core.dates import parse_month
from oncall.core.store import ScheduleStore, known_handle
from oncall.usecases.show import Row, View, build_view


@dataclass(frozen=True)
class Cell:
    """One square of the grid: ``day``, and its row when the view has one (a duty day, or a
    holiday or closure on a window weekday). ``in_month`` is false for the days of the
    first and last weeks that belong to the months around it."""

    day: date
    in_month: bool
    row: Row | None
    today: bool

    @property
    def changed(self) -> bool:
        """Whether a swap, cover or drop changed who serves this day."""
        return bool(self.row and self.row.overrides)


@dataclass(frozen=True)
class Month:
    first: date  # the 1st of the month
    weeks: tuple[tuple[Cell, ...], ...]  # Monday to Sunday

    @property
    def key(self) -> str:
        return f"{self.first.year:04d}-{self.first.month:02d}"


def month_starts(first: date, last: date) -> list[date]:
    """The 1st of every month that ``first..last`` touches."""
    starts = []
    month = first.replace(day=1)
    while month <= last:
        starts.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return starts


def _grid(rows: dict[date, Row], first: date, today: date) -> Month:
    next_month = (first + timedelta(days=32)).replace(day=1)
    day = first - timedelta(days=first.weekday())
    weeks = []
    while day < next_month:
        week = []
        for _ in range(7):
            inside = day.month == first.month and day.year == first.year
            week.append(Cell(day, inside, rows.get(day) if inside else None, day == today))
            day += timedelta(days=1)
        weeks.append(tuple(week))
    return Month(first, tuple(weeks))


def _rows(views: list[View]) -> dict[date, Row]:
    """The rows of several terms' views, each day from the term that holds it."""
    return {
        row.day: row for view in views for row in view.rows if row.day in view.term
    }


def term_grids(views: list[View]) -> list[Month]:
    """A grid for every month of several terms' views (oldest first): a month two terms
    share is one grid, each day from the term that holds it."""
    rows = _rows(views)
    first = min(view.span.first for view in views)
    last = max(view.span.last for view in views)
    return [_grid(rows, start, views[-1].today) for start in month_starts(first, last)]


def show_month(
    store: ScheduleStore,
    now: Clock,
    *,
    person: str | None,
    month: str,
) -> list[tuple[View, Month]]:
    """`show --month`: each rotation's month as one grid, with the days of every term that
    holds part of it, ``person`` highlighted; the view is the later term's (for the title)."""
    found = []
    for current in store.planned():
        today = now.today(current.rotation.tz)
        span = parse_month(month, "--month", current.term.start)
        terms = {o.term: o for o in (current.on(span.first), current.on(span.last))}
        views = []
        for opened in terms.values():
            assert opened.schedule is not None  # store.planned(), or a kept term
            if person is not None:
                known_handle(opened.rotation, person, "--person")
            view = build_view(
                opened.rotation, opened.calendar(), opened.schedule, span=span, person=None,
                today=today,
            )
            views.append(replace(view, highlight=person))
        found.append((views[-1], _grid(_rows(views), span.first, today)))
    return found
