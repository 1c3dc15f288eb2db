"""Duty hours by category and month: what compensation is paid on.

Every minute of a duty window falls in exactly one category, decided by the duty day (the
day the window starts, as ``Window.bounds`` has it):

* ``holiday``: the day is a named day off (a national holiday or a closure) on a weekday;
* ``weekend``: the day is a Saturday or a Sunday (named or not);
* ``night``: on other days, the part of a window that crosses midnight after local midnight;
* ``in_window``: the rest of the window.

Minutes are real elapsed time in the rotation's zone (``Window.minutes_on``, DST
included), so the four categories add up to the duty hours ``core.duty_load`` counts.
Duty itself is read through ``core.duty_load.duty_load`` (overrides and covers applied),
one call per group of days that share a month, a category and a night length.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from oncall.core.duty_calendar import DutyCalendar
from oncall.core.duty_load import duty_load
from oncall.core.hour_categories import CATEGORIES
from oncall.core.model import Rotation, wall_instant
from oncall.core.schedule import Schedule


def category_of(calendar: DutyCalendar, day: date) -> str:
    """The category of ``day``'s window as a whole (``in_window`` covers night too)."""
    if day.weekday() >= 5:
        return "weekend"
    if day in calendar.days_off:
        return "holiday"
    return "in_window"


def night_minutes(rotation: Rotation, day: date) -> int:
    """Minutes of ``day``'s window after the next local midnight (0 unless it crosses)."""
    window = rotation.window
    if not window.crosses_midnight:
        return 0
    start, end = window.bounds(day, rotation.tz)
    midnight = wall_instant(day + timedelta(days=1), 0, rotation.tz)
    return max(0, int((end - max(start, midnight)).total_seconds()) // 60)


@dataclass
class Hours:
    """One person's duty minutes per category, in total and per month (``YYYY-MM``)."""

    minutes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    by_month: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, month: str, category: str, minutes: int) -> None:
        self.minutes[category] += minutes
        per = self.by_month.setdefault(month, dict.fromkeys(CATEGORIES, 0))
        per[category] += minutes

    def plus(self, other: Hours) -> Hours:
        total = Hours()
        for hours in (self, other):
            for month, per in hours.by_month.items():
                for category, minutes in per.items():
                    total.add(month, category, minutes)
        return total

    @property
    def total(self) -> int:
        return sum(self.minutes.values())


def duty_hours(
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule,
    counts: Callable[[date], bool] | None = None,
) -> dict[str, Hours]:
    """Each person's primary duty minutes per category and month, on the duty days that
    ``counts`` (default: all of the term's)."""
    groups: dict[tuple[str, str, int], list[date]] = {}
    for day in calendar.duty_days:
        if day not in schedule.term or (counts is not None and not counts(day)):
            continue
        category = category_of(calendar, day)
        night = night_minutes(rotation, day) if category == "in_window" else 0
        groups.setdefault((f"{day:%Y-%m}", category, night), []).append(day)
    found: dict[str, Hours] = {}
    for (month, category, night), days in sorted(groups.items()):
        members = frozenset(days)
        load = duty_load(rotation, calendar, schedule, members.__contains__)
        for handle, served in load.items():
            if not served.days:
                continue
            hours = found.setdefault(handle, Hours())
            hours.add(month, category, served.minutes - served.days * night)
            if night:
                hours.add(month, "night", served.days * night)
    return dict(sorted(found.items()))


def covers(
    calendar: DutyCalendar, schedule: Schedule, counts: Callable[[date], bool] | None = None
) -> tuple[dict[str, int], dict[str, int]]:
    """One-day covers that hold on the duty days ``counts``: per person, days they were
    covered for (given) and days they covered (taken)."""
    given: dict[str, int] = {}
    taken: dict[str, int] = {}
    for day in calendar.duty_days:
        if day not in schedule.term or (counts is not None and not counts(day)):
            continue
        for out, into in schedule.duty_on(day).covers:
            given[out] = given.get(out, 0) + 1
            taken[into] = taken.get(into, 0) + 1
    return given, taken
