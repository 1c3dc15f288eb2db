"""Generated rotations shared by the benchmarks: seeded, so every run sees the same ones.

Instances are built as model objects (no YAML, no holiday tables) so the timings measure
planning, not parsing. Availability is a share of duty days each member cannot serve,
made of short absences (1-10 days) plus, for some members, one weekday every week.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from oncall.calendar import DutyCalendar, build_calendar
from oncall.model import (
    DateRange,
    DistinctTeams,
    Holidays,
    Member,
    Onboarding,
    Rotation,
    Rules,
    ShiftRule,
    ShiftUnit,
    Term,
    Unavailability,
    Window,
)

START = date(2027, 1, 4)  # a Monday
WEEKDAYS = frozenset(range(5))
T = TypeVar("T")


@dataclass(frozen=True)
class Spec:
    """What varies between instances."""

    name: str
    members: int
    teams: int
    people: int = 1
    weekly: bool = True
    min_gap: int = 1
    distinct: DistinctTeams = DistinctTeams.REQUIRED
    away: float = 0.1  # share of days a member is unavailable
    weekday_off: float = 0.0  # share of members with a weekday off every week
    days: int = 91  # term length in calendar days
    max_shifts: int | None = None
    every_day: bool = False  # duty on all seven days (else weekdays only)
    heavy: float = 0.0  # share of members away much more often (60% of days)
    seed: int = 0


def make_rotation(spec: Spec) -> Rotation:
    rng = random.Random(f"{spec.name}/{spec.seed}")
    term = Term(START, START + timedelta(days=spec.days - 1))
    members = []
    for number in range(spec.members):
        unavailable: list[Unavailability] = []
        away = 0.6 if rng.random() < spec.heavy else spec.away
        budget = round(away * spec.days)
        while budget > 0:
            length = min(budget, rng.randint(1, 10))
            first = term.start + timedelta(days=rng.randrange(spec.days))
            last = min(first + timedelta(days=length - 1), term.end)
            unavailable.append(Unavailability(dates=DateRange(first, last)))
            budget -= length
        if rng.random() < spec.weekday_off:
            unavailable.append(Unavailability(weekday=rng.randrange(5)))
        members.append(
            Member(
                handle=f"m{number:04d}",
                name=f"Member {number}",
                team=f"t{number % spec.teams:03d}",
                volunteer=True,
                unavailable=tuple(sorted(unavailable, key=str)),
            )
        )
    return Rotation(
        rotation=spec.name,
        timezone="Asia/Tokyo",
        window=Window(frozenset(range(7)) if spec.every_day else WEEKDAYS, 600, 1020),
        shift=ShiftRule(
            length=1,
            unit=ShiftUnit.WEEKS if spec.weekly else ShiftUnit.DAYS,
            handoff=0,
            people=spec.people,
        ),
        term=term,
        members=tuple(members),
        holidays=Holidays(),
        rules=Rules(
            volunteers_only=True,
            distinct_teams=spec.distinct,
            min_gap=spec.min_gap,
            max_shifts=spec.max_shifts,
        ),
        onboarding=Onboarding(shadow_shifts=0),
    )


def make_calendar(rotation: Rotation) -> DutyCalendar:
    return build_calendar(rotation, off={})


def median_time(run: Callable[[], T], repeats: int) -> tuple[float, T]:
    """Median wall time of ``repeats`` runs (seconds) and the last result."""
    times = []
    result: T
    for _ in range(repeats):
        began = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def comparison_specs() -> list[Spec]:
    """The small and mid-size instances that an exact model can still prove optimal."""
    specs = []
    n = 0
    for members, teams in ((6, 3), (10, 4), (16, 5), (24, 6), (40, 8)):
        for people in (1, 2):
            for weekly in (True, False):
                for min_gap, away in ((0, 0.05), (1, 0.15), (2, 0.25)):
                    n += 1
                    specs.append(
                        Spec(
                            name=f"i{n:02d}",
                            members=members,
                            teams=teams,
                            people=people,
                            weekly=weekly,
                            min_gap=min_gap,
                            distinct=DistinctTeams.REQUIRED if n % 3 else DistinctTeams.OFF,
                            away=away,
                            weekday_off=0.2 if n % 2 else 0.0,
                            days=91 if weekly else 42,
                            max_shifts=None,
                            seed=n,
                        )
                    )
    # Tighter ones: long daily terms, seven-day duty, scarce availability, max_shifts.
    for members, teams in ((8, 4), (12, 4), (20, 5), (30, 6), (40, 10)):
        for people, min_gap, away, cap in ((1, 2, 0.3, None), (2, 1, 0.2, None), (2, 2, 0.1, 9)):
            n += 1
            specs.append(
                Spec(
                    name=f"i{n:02d}",
                    members=members,
                    teams=teams,
                    people=people,
                    weekly=False,
                    min_gap=min_gap,
                    distinct=DistinctTeams.REQUIRED,
                    away=away,
                    weekday_off=0.3,
                    days=91,
                    max_shifts=cap if cap is None else max(cap, 91 * people // members + 2),
                    every_day=n % 2 == 0,
                    seed=n,
                )
            )
    # Skewed rosters where an even split is impossible: members away most of the term,
    # and small teams that distinct pairs lean on.
    for members, teams, people in ((7, 3, 2), (9, 5, 2), (12, 3, 1), (15, 7, 2), (20, 4, 2)):
        for weekly in (True, False):
            n += 1
            specs.append(
                Spec(
                    name=f"i{n:02d}",
                    members=members,
                    teams=teams,
                    people=people,
                    weekly=weekly,
                    min_gap=1,
                    distinct=DistinctTeams.REQUIRED,
                    away=0.1,
                    heavy=0.35,
                    days=182 if weekly else 63,
                    seed=n,
                )
            )
    return specs


def describe(spec: Spec) -> str:
    return (
        f"{spec.members}m/{spec.teams}t {'weekly' if spec.weekly else 'daily'} "
        f"x{spec.people} gap{spec.min_gap} away{int(spec.away * 100)}%"
        f"{' wd' if spec.weekday_off else ''}{' heavy' if spec.heavy else ''}"
        f" {spec.distinct.value[:3]}"
        f"{f' max{spec.max_shifts}' if spec.max_shifts else ''}{' 7d' if spec.every_day else ''}"
    )


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain aligned table (right-aligned numbers) for the terminal and the docs."""
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            str(c).rjust(w) if _numeric(str(c)) else str(c).ljust(w)
            for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def _numeric(text: str) -> bool:
    return bool(text) and text.replace(".", "", 1).replace("x", "").replace("-", "").isdigit()
