"""distinct_teams: preferred reaches the exact optimum of mixed-team shifts among the
fairest plans on rosters where a greedy team mix falls short: one big team, a small one
and a single member of a third, pairs on daily shifts with min_gap 1, and members away
0, 40 or 80% of the days in turn (from bench/instances.py, copied here as data)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from oncall.core.calendar import build_calendar
from oncall.core.model import DistinctTeams, Rotation, ShiftUnit
from oncall.core.rules import ERROR, check
from oncall.core.schedule import Schedule
from oncall.planner import solve
from oncall.planner.flow import FlowNetwork
from tests.helpers.builders import MONDAY, away, member, rotation, term_of

# (team, days away as (first, last) offsets from MONDAY) per member.
SMALL = [
    (0, ()),
    (0, ((12, 16), (17, 19))),
    (0, ((5, 9), (5, 14), (11, 12))),
    (0, ()),
    (0, ((7, 8), (10, 13), (17, 18))),
    (1, ((0, 4), (3, 4), (11, 16), (16, 19))),
    (1, ()),
    (1, ((3, 4), (5, 6), (17, 20))),
    (2, ((5, 11), (10, 12), (14, 17), (17, 19))),
]
I116 = [
    (0, ()),
    (0, ((15, 17), (21, 24), (47, 56), (54, 61))),
    (0, ((18, 27), (20, 21), (30, 33), (37, 39), (40, 45), (43, 49), (44, 48), (46, 48),
         (52, 53), (58, 59), (61, 62))),
    (0, ()),
    (0, ((11, 20), (47, 53), (62, 62))),
    (1, ((1, 8), (4, 4), (9, 10), (12, 14), (12, 16), (20, 28), (31, 38), (33, 39),
         (37, 43))),
    (1, ()),
    (1, ((14, 18), (17, 18), (28, 35), (60, 62))),
    (2, ((1, 4), (2, 6), (21, 29), (30, 31), (36, 39), (37, 45), (45, 53), (53, 60))),
]
# Without min_gap (where the cheapest flow decides the mix).
NO_GAP = [
    (0, ()),
    (0, ((9, 15), (10, 10), (33, 34), (40, 44), (47, 56))),
    (0, ((8, 9), (13, 19), (15, 15), (15, 17), (28, 35), (34, 36), (36, 36), (44, 44),
         (46, 47), (52, 61), (55, 57), (55, 62))),
    (0, ()),
    (0, ((9, 13), (17, 20), (18, 18), (23, 27), (26, 28), (43, 48), (56, 56))),
    (1, ((5, 6), (14, 20), (16, 25), (25, 26), (26, 32), (35, 43), (49, 57), (62, 62))),
    (1, ()),
    (1, ((11, 16), (16, 18), (52, 57), (56, 61), (61, 62))),
    (2, ((1, 9), (4, 6), (22, 24), (32, 40), (36, 37), (45, 51), (48, 56), (62, 62))),
]


def roster(rows: list, weeks: int, max_shifts: int, min_gap: int) -> Rotation:
    members = [
        member(
            f"m{number}",
            f"t{team}",
            unavailable=tuple(
                away(MONDAY + timedelta(days=first), MONDAY + timedelta(days=last))
                for first, last in days
            ),
        )
        for number, (team, days) in enumerate(rows)
    ]
    return rotation(members, people=2, weeks=weeks, unit=ShiftUnit.DAYS, min_gap=min_gap,
                    max_shifts=max_shifts, distinct=DistinctTeams.PREFERRED)


# Optima (spread, then most mixed shifts at that spread) from the lexicographic CP-SAT
# model of bench/vs_cpsat.py, both proven optimal; SMALL's also by an exhaustive
# shift-by-shift enumeration of every valid schedule (offline: two minutes). The
# planner before its counting bound found 12 of 15 and 37 of 45, and 39 of 45 for NO_GAP
# before the cheapest flow.
@pytest.mark.parametrize(
    ("rows", "weeks", "max_shifts", "min_gap", "shifts", "spread", "mixed"),
    [
        (SMALL, 3, 16, 1, 15, 2, 13),
        (I116, 9, 16, 1, 45, 4, 39),
        (NO_GAP, 9, 12, 0, 45, 0, 40),
    ],
    ids=["small", "i116", "no-gap"],
)
def test_most_mixed_pairs_at_the_fairest_spread(rows, weeks, max_shifts, min_gap, shifts,
                                                 spread, mixed):
    rot = roster(rows, weeks, max_shifts, min_gap)
    calendar = build_calendar(rot)
    result = solve(rot, calendar)
    schedule = Schedule(rot.id, None, term_of(rot), result.shifts)
    assert [v for v in check(rot, calendar, schedule) if v.severity == ERROR] == []
    assert result.fairness.shifts == shifts
    assert result.fairness.spread == spread
    assert result.fairness.proven_optimal
    assert result.fairness.distinct_team_shifts == mixed


def test_cheapest_feasible_flow():
    # Two seats from source 0 to sink 3: one free path takes a unit, the other unit must
    # use a path that costs 1 (the free one is full), and a cheaper-looking detour is
    # not a path at all.
    net = FlowNetwork(4)
    free = net.add_edge(0, 1, 1)
    net.add_edge(1, 3, 1)
    paid = net.add_edge(0, 2, 2, cost=1)
    net.add_edge(2, 3, 2)
    net.add_edge(3, 0, 2, lower=2)
    assert net.cheapest_feasible() == 1
    assert (net.flow_on(free), net.flow_on(paid)) == (1, 1)
    impossible = FlowNetwork(2)
    impossible.add_edge(0, 1, 1, cost=1)
    impossible.add_edge(1, 0, 3, lower=2)
    assert impossible.cheapest_feasible() is None
