"""Counting arguments per team: bands no plan can hold, proven before any search.

Under ``distinct_teams: required`` a team takes at most one seat of a shift and at least
the seats the other teams cannot fill. On teams of 8 + 2 with pairs, the team of two sits
on every shift whatever the plan, so its members carry half the seats and no band
narrower than that holds: counting proves it at once, where the band search used to try
(and refute) every narrower band one by one. Work is counted in budget units, never time.
"""

from __future__ import annotations

import pytest

from oncall.core.calendar import build_calendar
from oncall.core.model import DistinctTeams, Rotation, ShiftUnit, Window
from oncall.planner import solve
from oncall.planner.bounds import spread_range
from oncall.planner.problem import Problem
from tests.helpers.builders import member, rotation, with_rules

EVERY_DAY = Window(frozenset(range(7)), 600, 1020)
DESCENTS = 8  # work allowed, in descents through every shift


def teams_of(sizes: tuple[int, ...], people: int, weeks: int, min_gap: int = 0) -> Rotation:
    team = [
        member(f"t{k}m{i}", f"team{k}") for k, size in enumerate(sizes) for i in range(size)
    ]
    return rotation(team, people=people, weeks=weeks, unit=ShiftUnit.DAYS,
                    distinct=DistinctTeams.REQUIRED, min_gap=min_gap, window=EVERY_DAY)


def expected_spread(sizes: tuple[int, ...], people: int, shifts: int) -> int:
    """The big team takes one seat a shift, shared as evenly as it goes (its fewest is
    shifts // big); the solo-ish teams share the rest, at least their ceiling."""
    big, rest = sizes[0], sum(sizes[1:])
    others = people * shifts - shifts
    return -(-others // rest) - shifts // big


def test_each_team_gets_the_fewest_and_most_seats_it_can_take() -> None:
    rot = teams_of((8, 2), people=2, weeks=2)
    problem = Problem(rot, build_calendar(rot, off={}), (), None, 0)
    groups = problem.team_groups()
    assert [(len(g.members), g.least, g.most) for g in groups] == [(8, 14, 14), (2, 14, 14)]


def test_without_required_teams_nothing_is_counted_per_team() -> None:
    rot = with_rules(teams_of((8, 2), people=2, weeks=2),
                     distinct_teams=DistinctTeams.PREFERRED)
    problem = Problem(rot, build_calendar(rot, off={}), (), None, 0)
    assert problem.team_groups() == []


@pytest.mark.parametrize(
    ("sizes", "people", "min_gap"),
    [((8, 2), 2, 0), ((8, 2), 2, 1), ((3, 1, 1, 1), 3, 0), ((5, 1), 2, 0)],
    ids=["8+2 pairs", "8+2 pairs min_gap 1", "3+1+1+1 triples", "5+1 pairs"],
)
@pytest.mark.parametrize("weeks", [13, pytest.param(52, marks=pytest.mark.slow)])
def test_lopsided_teams_start_at_the_optimum_and_prove_it(
    sizes, people, min_gap, weeks, monkeypatch
) -> None:
    from oncall.planner import budget

    rot = teams_of(sizes, people, weeks, min_gap)
    cal = build_calendar(rot, off={})
    shifts = len(cal.slots)
    problem = Problem(rot, cal, (), None, 0)
    want = expected_spread(sizes, people, shifts)
    assert spread_range(problem)[0] == want
    monkeypatch.setattr(budget, "TOTAL_WORK", DESCENTS * shifts * (sum(sizes) + 60))
    result = solve(rot, cal)
    assert result.fairness.spread == result.fairness.best_possible == want
    assert result.fairness.proven_optimal
