"""Forced members: seats every plan must give someone, found before any search.

A solo team under ``distinct_teams: required`` with pairs puts its member on every shift
the other teams cannot fill alone; a shift only ``k`` people can take needs all ``k``. The
planner counts these seats into the bounds (so the fairest band is found at once), proves
a roster impossible when they collide with ``max_shifts`` or ``min_gap``, and names the
forced member in the explanation, with the least relaxation found to make a plan exist.
Work is counted in the planner's budget units, never in time.
"""

from __future__ import annotations

from datetime import date

import pytest

from oncall.core.calendar import build_calendar
from oncall.core.errors import Infeasible
from oncall.core.model import DistinctTeams, Rotation, ShiftUnit, Window
from oncall.planner import solve
from oncall.planner.problem import Problem
from tests.helpers.builders import MONDAY, away, member, rotation, with_rules

TERM_END = date(2027, 4, 2)  # 13 weeks of weekdays from MONDAY: 65 daily shifts
DESCENTS = 5  # work allowed, in descents through every shift (as the scale tests)


def reasons(rot: Rotation) -> list[str]:
    with pytest.raises(Infeasible) as caught:
        solve(rot, build_calendar(rot, off={}))
    return caught.value.reasons


def issue_roster(max_shifts: int | None = 64) -> Rotation:
    """The issue's roster: 65 weekday shifts, pairs from different teams, x alone in team
    ops, three in team big, and two members away all term."""
    team = [
        member("x", "ops"), member("a", "big"), member("b", "big"), member("c", "big"),
        member("d", "big", unavailable=(away(MONDAY, TERM_END),)),
        member("e", "qa", unavailable=(away(MONDAY, TERM_END),)),
    ]
    return rotation(team, people=2, weeks=13, unit=ShiftUnit.DAYS, length=1,
                    distinct=DistinctTeams.REQUIRED, max_shifts=max_shifts)


def test_the_solo_team_member_is_forced_onto_every_shift() -> None:
    rot = issue_roster()
    problem = Problem(rot, build_calendar(rot, off={}), (), None, 0)
    assert len(problem.tables.slots) == 65
    assert problem.forced.count == [65, 0, 0, 0, 0, 0]
    assert problem.forced.conflict is not None
    assert problem.forced.conflict.rule == "max_shifts"


def test_explanation_names_the_forced_member_and_how_far_to_relax() -> None:
    text = reasons(issue_roster())
    assert text == [
        "team ops has one member, x; with pairs from different teams required, x must serve "
        "all 65 shifts, but max_shifts is 64: a plan exists with max_shifts 65, or with "
        "distinct_teams: preferred"
    ]
    assert not any("eligible" in line for line in text)


@pytest.mark.parametrize(
    "relaxed",
    [
        issue_roster(max_shifts=65),
        with_rules(issue_roster(), distinct_teams=DistinctTeams.PREFERRED),
    ],
    ids=["max_shifts 65", "distinct_teams preferred"],
)
def test_the_relaxation_named_gives_a_plan(relaxed: Rotation) -> None:
    result = solve(relaxed, build_calendar(relaxed, off={}))
    assert len(result.shifts) == 65
    assert result.fairness.proven_optimal


def test_members_away_all_term_are_not_counted_as_eligible() -> None:
    # No forced member: the generic relaxation explains, counting only who can serve.
    team = [member("aiko"), member("ken"), member("taro"),
            member("gone", unavailable=(away(MONDAY, TERM_END),))]
    text = reasons(rotation(team, weeks=6, max_shifts=1))
    assert any(
        "with max_shifts 1, the 3 eligible member(s) cannot fill 6 seat(s): a plan exists "
        "with no max_shifts" in line for line in text
    )


def daily_five_plus_one(weeks: int, min_gap: int) -> Rotation:
    """Teams of 5 and 1, daily pairs every day, pairs from different teams required."""
    team = [member(f"b{i}", "big") for i in range(5)] + [member("x", "ops")]
    return rotation(team, people=2, weeks=weeks, unit=ShiftUnit.DAYS, length=1,
                    distinct=DistinctTeams.REQUIRED, min_gap=min_gap,
                    window=Window(frozenset(range(7)), 600, 1020))


@pytest.mark.parametrize("weeks", [13, 26, pytest.param(52, marks=pytest.mark.slow)])
def test_forced_member_plan_is_found_and_proven_in_a_few_descents(weeks, monkeypatch) -> None:
    from oncall.planner import budget

    rot = daily_five_plus_one(weeks, min_gap=0)
    cal = build_calendar(rot, off={})
    shifts = len(cal.slots)
    monkeypatch.setattr(budget, "TOTAL_WORK", DESCENTS * shifts * 6)
    result = solve(rot, cal)
    assert result.fairness.load["x"] == shifts
    # x serves every shift; the other five share the rest as evenly as possible.
    assert result.fairness.spread == result.fairness.best_possible == shifts - shifts // 5
    assert result.fairness.proven_optimal


@pytest.mark.parametrize("weeks", [13, 26, pytest.param(52, marks=pytest.mark.slow)])
def test_forced_member_with_min_gap_is_impossible_without_search(weeks) -> None:
    rot = daily_five_plus_one(weeks, min_gap=1)
    # Propagation alone proves it: x must serve day one, so not day two, which then has
    # nobody from team ops (no band is ever searched).
    problem = Problem(rot, build_calendar(rot, off={}), (), None, 0)
    assert problem.forced.conflict is not None
    assert problem.forced.conflict.rule == "min_gap"
    assert problem.budget.used == 0
    text = reasons(rot)
    assert text == [
        f"team ops has one member, x; with pairs from different teams required, x must serve "
        f"all {weeks * 7} shifts, but min_gap 1 keeps x from serving two shifts in a row: a "
        "plan exists with min_gap 0, or with distinct_teams: preferred"
    ]
    relaxed = with_rules(rot, min_gap=0)
    assert solve(relaxed, build_calendar(relaxed, off={})).fairness.proven_optimal


def test_a_member_who_is_the_only_one_available_is_forced() -> None:
    # Pairs of three people; ken and taro are away on Tuesday, so aiko and mei must take
    # it, and with min_gap 1 neither may take Monday or Wednesday.
    tuesday = date(2027, 1, 5)
    team = [member("aiko"), member("mei"),
            member("ken", unavailable=(away(tuesday),)),
            member("taro", unavailable=(away(tuesday),))]
    rot = rotation(team, people=2, weeks=1, unit=ShiftUnit.DAYS, length=1, min_gap=1)
    problem = Problem(rot, build_calendar(rot, off={}), (), None, 0)
    assert problem.forced.at[1] == {0, 1}
    assert problem.forced.conflict is None
    result = solve(rot, build_calendar(rot, off={}))
    assert [s.primary for s in result.shifts][:3] == [("ken", "taro"), ("aiko", "mei"),
                                                       ("ken", "taro")]
