"""Small awkward rosters, by family, against CP-SAT: does the planner decide them, prove
its answer, and how fast?

    pip install -e '.[bench]'
    python bench/families.py [--repeats 3] [--only forced parity ...] [--no-cpsat]

Families (all generated with fixed seeds, built as model objects):

- ``forced``: teams of 5 + 1, daily pairs, teams required, min_gap 0/1, 3/6/12 months;
- ``triples``: teams of 3 + 1 + 1 + 1, daily triples, teams required, min_gap 0/1;
- ``lopsided``: teams of 8 + 2, daily pairs, teams required, min_gap 0/1/2;
- ``parity``: the issue's roster (a, b, c; x away a month; y, z with z never on one
  weekday; daily pairs, teams required, min_gap 1, six months), over months and weekdays;
- ``tight-gaps``: 6-10 members in 3-4 teams, weekday pairs, min_gap 1-2, teams required;
- ``random``: 5-10 members in 2-5 teams, Mon/Wed/Fri pairs, min_gap 0-1, two months.

Per family: instances, decided (a plan proven optimal, or proven impossible), proven
optimal, worst and median planner time, CP-SAT's median in the same run and the ratio of
medians. A planner answer that contradicts CP-SAT's proven one is printed loudly and
makes the exit code 1.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections.abc import Callable
from datetime import date, timedelta

from instances import median_time
from instances import table as render
from vs_cpsat import counted_fallback, cpsat

from oncall.core.calendar import build_calendar
from oncall.core.errors import Infeasible
from oncall.core.model import (
    DateRange,
    DistinctTeams,
    Holidays,
    Member,
    Onboarding,
    Rotation,
    Rules,
    ShiftRule,
    ShiftUnit,
    TermRule,
    Unavailability,
    Window,
)
from oncall.planner import solve

START = date(2027, 1, 4)  # a Monday
TERMS = ((91, "3m"), (182, "6m"), (364, "1y"))


def roster(
    name: str, people: list[tuple[str, str, tuple[Unavailability, ...]]], *, pairs: int,
    days: int, min_gap: int, weekdays: frozenset[int] = frozenset(range(7)),
    distinct: DistinctTeams = DistinctTeams.REQUIRED, start: date = START,
) -> Rotation:
    members = tuple(
        Member(handle=h, name=h, team=team, volunteer=True, unavailable=away)
        for h, team, away in people
    )
    return Rotation(
        id=name, timezone="Asia/Tokyo", window=Window(weekdays, 600, 1020),
        shift=ShiftRule(length=1, unit=ShiftUnit.DAYS, handoff=0, people=pairs),
        term_rule=TermRule(start, start + timedelta(days=days - 1)), members=members,
        holidays=Holidays(), rules=Rules(True, distinct, min_gap, None),
        onboarding=Onboarding(shadow_shifts=0),
    )


def teams_of(sizes: tuple[int, ...]) -> list[tuple[str, str, tuple[Unavailability, ...]]]:
    return [(f"t{k}m{i}", f"team{k}", ()) for k, size in enumerate(sizes) for i in range(size)]


def sized(family: str, sizes: tuple[int, ...], pairs: int, gaps: tuple[int, ...]):  # type: ignore[no-untyped-def]
    return [
        roster(f"{family}-{label}-gap{gap}", teams_of(sizes), pairs=pairs, days=days,
               min_gap=gap)
        for days, label in TERMS for gap in gaps
    ]


def parity() -> list[Rotation]:
    found = []
    for month in (9, 10, 11, 12):
        for weekday in (0, 3, 6):
            first = date(2026, month, 1)
            last = date(2026 + month // 12, month % 12 + 1, 1) - timedelta(days=1)
            people = [
                ("a", "big", ()), ("b", "big", ()), ("c", "big", ()),
                ("x", "ops", (Unavailability(dates=DateRange(first, last)),)),
                ("y", "small", ()), ("z", "small", (Unavailability(weekday=weekday),)),
            ]
            found.append(roster(f"parity-m{month}-wd{weekday}", people, pairs=2, days=182,
                                min_gap=1, start=date(2026, 7, 6)))
    return found


def random_rosters(family: str, count: int, members: tuple[int, int], teams: tuple[int, int],
                   gaps: tuple[int, ...], weekdays: frozenset[int], days: int) -> list[Rotation]:
    found = []
    for seed in range(count):
        rng = random.Random(f"{family}/{seed}")
        size, team_count = rng.randint(*members), rng.randint(*teams)
        people = []
        for i in range(size):
            away: list[Unavailability] = []
            if rng.random() < 0.3:
                away.append(Unavailability(weekday=rng.choice(sorted(weekdays))))
            if rng.random() < 0.3:
                first = START + timedelta(days=rng.randrange(days))
                away.append(Unavailability(dates=DateRange(first, first + timedelta(
                    days=rng.randint(2, 14)))))
            people.append((f"m{i}", f"t{min(i, rng.randrange(team_count))}", tuple(away)))
        distinct = rng.choice([DistinctTeams.REQUIRED, DistinctTeams.REQUIRED,
                               DistinctTeams.PREFERRED])
        found.append(roster(f"{family}-{seed}", people, pairs=2, days=days,
                            min_gap=rng.choice(gaps), weekdays=weekdays, distinct=distinct))
    return found


FAMILIES: dict[str, Callable[[], list[Rotation]]] = {
    "forced": lambda: sized("forced", (5, 1), 2, (0, 1)),
    "triples": lambda: sized("triples", (3, 1, 1, 1), 3, (0, 1)),
    "lopsided": lambda: sized("lopsided", (8, 2), 2, (0, 1, 2)),
    "parity": parity,
    "tight-gaps": lambda: random_rosters("tight", 12, (6, 10), (3, 4), (1, 2),
                                         frozenset(range(5)), 91),
    "random": lambda: random_rosters("random", 24, (5, 10), (2, 5), (0, 1),
                                     frozenset({0, 2, 4}), 61),
}


def ours(rotation: Rotation) -> tuple[str, int | None]:
    """("optimal"/"best found"/"impossible"/"gave up", spread)."""
    try:
        result = solve(rotation, build_calendar(rotation, off={}))
    except Infeasible as error:
        proven = not any("none was proven impossible" in r for r in error.reasons)
        return ("impossible" if proven else "gave up"), None
    fairness = result.fairness
    return ("optimal" if fairness.proven_optimal else "best found"), fairness.spread


def contradicts(verdict: str, spread: int | None, status: str, exact: int | None) -> bool:
    """Whether our answer contradicts a proven one of CP-SAT's (running out is no claim)."""
    if status == "optimal":
        return verdict == "impossible" or (verdict == "optimal" and spread != exact)
    return status == "infeasible" and verdict in ("optimal", "best found")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--only", nargs="*", default=None, help="family names")
    parser.add_argument("--no-cpsat", action="store_true", help="planner only")
    args = parser.parse_args()
    rows, wrong = [], 0
    for family, make in FAMILIES.items():
        if args.only and family not in args.only:
            continue
        ours_times, exact_times, decided, optimal, rotations = [], [], 0, 0, make()
        for rotation in rotations:
            seconds, (verdict, spread) = median_time(lambda r=rotation: ours(r), args.repeats)
            ours_times.append(seconds)
            decided += verdict in ("optimal", "impossible")
            optimal += verdict == "optimal"
            line = f"{rotation.id}: {verdict} {spread} {seconds:.3f}s"
            if not args.no_cpsat:
                calendar = build_calendar(rotation, off={})
                counted = counted_fallback(rotation, calendar)
                exact_s, exact = median_time(lambda r=rotation, c=calendar, k=counted: cpsat(
                    r, c, k), 1)
                exact_times.append(exact_s)
                line += f" | cp-sat {exact.status} {exact.spread} {exact_s:.3f}s"
                if contradicts(verdict, spread, exact.status, exact.spread):
                    wrong += 1
                    line += "  !!! DIFFERENT"
            print(line, file=sys.stderr, flush=True)
        median = statistics.median(ours_times)
        exact_median = statistics.median(exact_times) if exact_times else None
        rows.append([
            family, str(len(rotations)), str(decided), str(optimal),
            f"{max(ours_times):.3f}", f"{median:.3f}",
            "-" if exact_median is None else f"{exact_median:.3f}",
            "-" if exact_median is None else f"{exact_median / median:.1f}x",
        ])
    print(render(["family", "rosters", "decided", "proven optimal", "worst s", "median s",
                  "cp-sat median s", "cp-sat / ours"], rows))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
