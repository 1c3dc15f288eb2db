"""Team mixing under ``distinct_teams: preferred`` against CP-SAT's lexicographic optimum,
on random small rosters with lopsided teams, pairs and triples, and min_gap 0-2.

    pip install -e '.[bench]'      # OR-Tools: only for this script, never for oncall
    python bench/mixing.py [--count 120] [--repeats 3]

For every roster: our spread and mixed-team shifts (and whether the planner claims the
mix proven), CP-SAT's optimum spread and then its most mixed shifts at that spread. A
claim of "proven" with fewer mixed shifts than CP-SAT, or any spread difference, is a
false claim: it is printed loudly and makes the exit code 1.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from dataclasses import dataclass
from datetime import date, timedelta

import vs_cpsat
from instances import median_time, table
from vs_cpsat import cpsat

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
from oncall.planner import Solution, solve

START = date(2027, 1, 4)  # a Monday
TEAMS = ((5, 3, 1), (3, 3, 1), (4, 2, 1), (2, 2, 2), (6, 2), (4, 4, 1, 1), (3, 2, 1, 1))


def stress_roster(seed: int) -> Rotation:
    """A seeded random roster: lopsided teams, pairs or triples, 15-45 shifts."""
    rng = random.Random(f"mixing/{seed}")
    sizes = rng.choice(TEAMS)
    people = 3 if len(sizes) >= 3 and rng.random() < 0.4 else 2
    every_day = rng.random() < 0.5
    days = rng.randint(15, 45) if every_day else rng.randint(21, 63)
    members = []
    for k, size in enumerate(sizes):
        for i in range(size):
            away: list[Unavailability] = []
            if rng.random() < 0.3:
                away.append(Unavailability(weekday=rng.randrange(5)))
            if rng.random() < 0.4:
                first = START + timedelta(days=rng.randrange(days))
                away.append(Unavailability(dates=DateRange(
                    first, first + timedelta(days=rng.randint(1, 8)))))
            members.append(Member(handle=f"t{k}m{i}", name=f"t{k}m{i}", team=f"team{k}",
                                  volunteer=True, unavailable=tuple(away)))
    max_shifts = rng.choice([None, None, None, rng.randint(6, 16)])
    return Rotation(
        id=f"mix-{seed:03d}", timezone="Asia/Tokyo",
        window=Window(frozenset(range(7 if every_day else 5)), 600, 1020),
        shift=ShiftRule(length=1, unit=ShiftUnit.DAYS, handoff=0, people=people),
        term_rule=TermRule(START, START + timedelta(days=days - 1)), members=tuple(members),
        holidays=Holidays(),
        rules=Rules(True, DistinctTeams.PREFERRED, rng.choice([0, 1, 1, 2]), max_shifts),
        onboarding=Onboarding(shadow_shifts=0),
    )


def describe(rotation: Rotation, shifts: int) -> str:
    sizes: dict[str, int] = {}
    for m in rotation.members:
        sizes[m.team] = sizes.get(m.team, 0) + 1
    rules = rotation.rules
    cap = f" max{rules.max_shifts}" if rules.max_shifts is not None else ""
    return (f"{'+'.join(map(str, sizes.values()))} x{rotation.shift.people} "
            f"{shifts} shifts gap{rules.min_gap}{cap}")


@dataclass
class Row:
    cells: list[str]
    proven: bool
    matches: bool
    false_claim: bool
    ours_s: float
    exact_s: float


def compare(seed: int, repeats: int) -> Row | None:
    rotation = stress_roster(seed)
    calendar = build_calendar(rotation, off={})

    def ours() -> Solution | Infeasible:
        try:
            return solve(rotation, calendar, seed=0)
        except Infeasible as error:
            return error

    ours_s, result = median_time(ours, repeats)
    if isinstance(result, Infeasible):
        return None  # nothing to mix (a separate benchmark checks infeasibility)
    fairness = result.fairness
    exact_s, exact = median_time(lambda: cpsat(rotation, calendar, fairness.counted), repeats)
    proven = bool(getattr(fairness, "distinct_teams_proven", False))  # older trees: none
    spread_ok = exact.status == "optimal" and exact.spread == fairness.spread
    sure = exact.distinct_status == "optimal"
    matches = spread_ok and sure and exact.distinct == fairness.distinct_team_shifts
    false_claim = not spread_ok or (
        proven and sure and fairness.distinct_team_shifts != exact.distinct
    )
    cells = [
        rotation.id, describe(rotation, len(calendar.slots)), str(fairness.spread),
        str(exact.spread), str(fairness.distinct_team_shifts),
        "proven" if proven else "best found",
        f"{exact.distinct}" + ("" if sure else f" {exact.distinct_status}"),
        "FALSE CLAIM" if false_claim else "ok" if matches else "fewer" if sure else "cp-sat unsure",
        f"{ours_s * 1000:.1f}", f"{exact_s * 1000:.1f}",
        f"{exact_s / ours_s:.1f}x" if ours_s > 0 else "-",
    ]
    return Row(cells, proven, matches, false_claim, ours_s, exact_s)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=120, help="random rosters")
    parser.add_argument("--repeats", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--limit", type=float, default=20.0, help="CP-SAT seconds per solve")
    parser.add_argument("--only", nargs="*", type=int, default=None, help="seeds")
    args = parser.parse_args()
    vs_cpsat.CPSAT_TIME_LIMIT = args.limit
    rows = []
    for seed in args.only if args.only is not None else range(args.count):
        row = compare(seed, args.repeats)
        if row is not None:
            rows.append(row)
            print(" ".join(row.cells), file=sys.stderr, flush=True)
    headers = ["roster", "teams, shift, term", "our spread", "cp-sat spread", "our mixed",
               "claim", "cp-sat mixed", "match", "ours ms", "cp-sat ms", "cp-sat/ours"]
    print(table(headers, [r.cells for r in rows]))
    print()
    ratios = [r.exact_s / r.ours_s for r in rows if r.ours_s > 0]
    print(f"{len(rows)} feasible rosters of {args.count}: {sum(r.matches for r in rows)} with "
          f"CP-SAT's lexicographic optimum; {sum(r.proven for r in rows)} claimed proven, "
          f"{sum(r.proven and r.matches for r in rows)} of them confirmed by CP-SAT; "
          f"{sum(r.false_claim for r in rows)} false claims.")
    print(f"median ms: ours {statistics.median(r.ours_s for r in rows) * 1000:.1f}, "
          f"CP-SAT {statistics.median(r.exact_s for r in rows) * 1000:.1f}; worst ours "
          f"{max(r.ours_s for r in rows) * 1000:.1f}; median ratio CP-SAT/ours "
          f"{statistics.median(ratios):.1f}x (median of {args.repeats} runs each)")
    return 1 if any(r.false_claim for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
