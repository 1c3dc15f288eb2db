"""Forced members: teams of 5 + 1, daily pairs every day, pairs from different teams
required, over 3 months, 6 months and a year.

    python bench/forced.py [--repeats 5]

The one member of the small team must be in every pair. With ``min_gap: 0`` the plan is
that (and provably the fairest); with ``min_gap: 1`` no plan exists, which propagation of
the forced seats proves before any search. Times are the median of ``--repeats`` runs of
``planner.plan`` (calendar built beforehand; an impossible roster's time includes its
explanation). Exit 1 if a plan is not proven optimal or a min_gap 1 roster gets a plan.
"""

from __future__ import annotations

import argparse
import sys

from instances import Spec, make_calendar, make_rotation, median_time
from instances import table as render

from oncall.core.errors import Infeasible
from oncall.planner import solve

TERMS = (("3 months", 91), ("6 months", 182), ("1 year", 365))


def spec(days: int, min_gap: int) -> Spec:
    return Spec(name=f"forced-{days}d-gap{min_gap}", members=6, teams=2, people=2,
                weekly=False, min_gap=min_gap, away=0.0, days=days, every_day=True,
                team_sizes=(5, 1))


def attempt(rotation, calendar) -> str:  # type: ignore[no-untyped-def]
    try:
        result = solve(rotation, calendar)
    except Infeasible:
        return "impossible"
    fairness = result.fairness
    proven = " (proven)" if fairness.proven_optimal else " (NOT proven)"
    return f"spread {fairness.spread}{proven}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per timing (median)")
    args = parser.parse_args()
    rows, bad = [], 0
    for label, days in TERMS:
        for gap in (0, 1):
            rotation = make_rotation(spec(days, gap))
            calendar = make_calendar(rotation)
            seconds, verdict = median_time(
                lambda r=rotation, c=calendar: attempt(r, c), args.repeats
            )
            expected = "impossible" if gap else "(proven)"
            bad += expected not in verdict
            rows.append([label, str(len(calendar.slots)), str(gap), verdict, f"{seconds:.3f}"])
    print(render(["term", "shifts", "min_gap", "result", "plan s (median)"], rows))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
