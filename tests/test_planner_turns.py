"""Taking turns: a team that must serve a run of shifts, whose members min_gap lets serve
only every other (third, ...) shift, and one member unable on the wrong day.

The issue's parity roster: a, b, c in team big; x alone in team ops, away all December; y
and z in team small, z never on Sundays; daily pairs from different teams, min_gap 1. In
December team small must serve every day, so y and z alternate, and Sundays (seven days,
an odd number, apart) fall to both of them in turn. The planner proves it before any
search (``turns.py``), says so, and each relaxation it names gives a plan.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from oncall.core.calendar import build_calendar
from oncall.core.errors import Infeasible
from oncall.core.model import DistinctTeams, Rotation, ShiftUnit, Window
from oncall.planner import solve
from oncall.planner.problem import Problem
from oncall.planner.turns import short_of_turns
from tests.helpers.builders import away, every, member, rotation, with_rules

EVERY_DAY = Window(frozenset(range(7)), 600, 1020)
JULY = date(2026, 7, 6)  # a Monday: 26 weeks run to the end of the year


def parity_roster(min_gap: int = 1) -> Rotation:
    december = (away(date(2026, 12, 1), date(2026, 12, 31)),)
    team = [
        member("a", "big"), member("b", "big"), member("c", "big"),
        member("x", "ops", unavailable=december),
        member("y", "small"), member("z", "small", unavailable=(every(6),)),
    ]
    return rotation(team, people=2, weeks=26, unit=ShiftUnit.DAYS, min_gap=min_gap,
                    distinct=DistinctTeams.REQUIRED, window=EVERY_DAY, start=JULY)


def reasons(rot: Rotation) -> list[str]:
    with pytest.raises(Infeasible) as caught:
        solve(rot, build_calendar(rot, off={}))
    return caught.value.reasons


def test_parity_is_proven_impossible_and_named(monkeypatch) -> None:
    from oncall.planner import budget

    monkeypatch.setattr(budget, "TOTAL_WORK", 0)  # no search at all: the proof is counting
    assert reasons(parity_roster()) == [
        "from 2026-12-06 to 2026-12-13 team small must serve every day: with pairs from "
        "different teams required, the other teams cannot fill them alone (x of team ops "
        "cannot serve then); with min_gap 1 its members y and z can only take turns every "
        "other day, but z cannot serve 2026-12-06 and 2026-12-13: a plan exists with "
        "min_gap 0, or with distinct_teams: preferred"
    ]


@pytest.mark.parametrize(
    "relaxed",
    [parity_roster(min_gap=0),
     with_rules(parity_roster(), distinct_teams=DistinctTeams.PREFERRED)],
    ids=["min_gap 0", "distinct_teams preferred"],
)
def test_each_named_relaxation_of_the_parity_roster_plans(relaxed: Rotation) -> None:
    result = solve(relaxed, build_calendar(relaxed, off={}))
    assert len(result.shifts) == 26 * 7


def three_in_turn(min_gap: int = 2) -> Rotation:
    """Team small (p, q, r) must serve two weeks while x is away; min_gap 2 makes them
    rotate in a fixed order, and p, q and r are each away on one of three days three
    apart, which the same member would have to serve. No shift has a forced member."""
    start = date(2027, 1, 4)
    day = start + timedelta(days=20)
    team = [
        member("a", "big"), member("b", "big"), member("c", "big"), member("d", "big"),
        member("x", "ops", unavailable=(away(start + timedelta(days=14),
                                             start + timedelta(days=28)),)),
        member("p", "small", unavailable=(away(day),)),
        member("q", "small", unavailable=(away(day + timedelta(days=3)),)),
        member("r", "small", unavailable=(away(day + timedelta(days=6)),)),
    ]
    return rotation(team, people=2, weeks=8, unit=ShiftUnit.DAYS, min_gap=min_gap,
                    distinct=DistinctTeams.REQUIRED, window=EVERY_DAY, start=start)


def test_turns_catch_what_no_forced_member_shows() -> None:
    rot = three_in_turn()
    problem = Problem(rot, build_calendar(rot, off={}), (), None, 0)
    assert problem.forced.conflict is None and not problem.forced.any
    assert short_of_turns(problem) is not None
    text = reasons(rot)
    assert len(text) == 1
    assert "team small must serve every day" in text[0]
    assert "its members p, q and r can only take turns every third day" in text[0]
    assert text[0].endswith("a plan exists with min_gap 1, or with distinct_teams: preferred")


@pytest.mark.parametrize(
    "relaxed",
    [three_in_turn(min_gap=1),
     with_rules(three_in_turn(), distinct_teams=DistinctTeams.PREFERRED)],
    ids=["min_gap 1", "distinct_teams preferred"],
)
def test_each_named_relaxation_of_three_in_turn_plans(relaxed: Rotation) -> None:
    result = solve(relaxed, build_calendar(relaxed, off={}))
    assert result.fairness.proven_optimal


def test_a_team_with_room_to_take_turns_is_left_alone() -> None:
    rot = with_rules(three_in_turn(), min_gap=1)
    problem = Problem(rot, build_calendar(rot, off={}), (), None, 0)
    assert short_of_turns(problem) is None


def three_solo_teams(min_gap: int = 1) -> Rotation:
    """Teams of 3 + 1 + 1 + 1, daily triples from different teams: team big takes one
    seat a day, so the three solo members must fill two a day, four in any two days, and
    min_gap 1 lets each serve one of them: three."""
    team = [member(f"b{i}", "big") for i in range(3)]
    team += [member(handle, handle) for handle in ("x", "y", "z")]
    return rotation(team, people=3, weeks=2, unit=ShiftUnit.DAYS, min_gap=min_gap,
                    distinct=DistinctTeams.REQUIRED, window=EVERY_DAY)


def test_teams_short_of_seats_over_two_days_are_named() -> None:
    assert reasons(three_solo_teams()) == [
        "2027-01-04..2027-01-05: with triples from different teams required, team big can "
        "take one seat a shift, so the other teams must fill 4 seats of these 2 shifts; with "
        "min_gap 1 nobody serves two of them, and only 3 of their members can serve: a plan "
        "exists with min_gap 0, or with distinct_teams: preferred"
    ]


@pytest.mark.parametrize(
    "relaxed",
    [three_solo_teams(min_gap=0),
     with_rules(three_solo_teams(), distinct_teams=DistinctTeams.PREFERRED)],
    ids=["min_gap 0", "distinct_teams preferred"],
)
def test_each_named_relaxation_of_the_solo_teams_plans(relaxed: Rotation) -> None:
    result = solve(relaxed, build_calendar(relaxed, off={}))
    assert len(result.shifts) == 14
    assert result.fairness.proven_optimal
