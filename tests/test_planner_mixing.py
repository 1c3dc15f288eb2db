"""Team mixing under ``distinct_teams: preferred``: the count of mixed shifts is exact where
the planner says "proven", and says "best found" otherwise (plan output and JSON).

Brute force holds every claim of "proven" on tiny rosters (tests/test_planner_properties.py,
``test_team_mixing_matches_brute_force``); here are the bounds that make the claims cheap
on larger ones, counted in work, and what a user reads.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from oncall.core.calendar import build_calendar
from oncall.core.model import DistinctTeams, Rotation, ShiftUnit, Window
from oncall.planner import solve
from oncall.planner.bounds import clash_bound, flow_clash_bound
from oncall.planner.problem import Problem
from tests.helpers.builders import MONDAY, away, member, rotation

EVERY_DAY = Window(frozenset(range(7)), 600, 1020)
DESCENTS = 8  # work allowed, in descents through every shift


def teams_of(sizes: tuple[int, ...], people: int, weeks: int, min_gap: int = 0) -> Rotation:
    team = [
        member(f"t{k}m{i}", f"team{k}") for k, size in enumerate(sizes) for i in range(size)
    ]
    return rotation(team, people=people, weeks=weeks, unit=ShiftUnit.DAYS,
                    distinct=DistinctTeams.PREFERRED, min_gap=min_gap, window=EVERY_DAY,
                    shadow_shifts=0)


@pytest.mark.parametrize(
    ("sizes", "min_gap"), [((4, 2, 1), 0), ((3, 3, 1), 1), ((4, 4, 1, 1), 0)],
    ids=["4+2+1", "3+3+1 min_gap 1", "4+4+1+1"],
)
def test_triples_are_capped_by_the_solo_members_and_proven(sizes, min_gap, monkeypatch):
    """A triple from three teams needs a member of each of three teams: with solo teams,
    their loads (held in the fairest band) cap the mixed shifts. Counting proves it with
    a few descents of work, where the search alone used to give up ("best found")."""
    from oncall.planner import budget

    rot = teams_of(sizes, 3, 4, min_gap)
    cal = build_calendar(rot, off={})
    shifts = len(cal.slots)
    monkeypatch.setattr(budget, "TOTAL_WORK", DESCENTS * shifts * (sum(sizes) + 60))
    result = solve(rot, cal)
    fairness = result.fairness
    assert fairness.proven_optimal
    assert fairness.distinct_teams_proven is True
    solo = [h for h in fairness.load if h.startswith(f"t{len(sizes) - 1}m")]
    if len(sizes) == 3:  # every mixed triple has the solo member: as many as their shifts
        assert fairness.distinct_team_shifts == fairness.load[solo[0]]
    else:  # two solo teams: each mixed triple has at least one of them
        assert fairness.distinct_team_shifts <= sum(
            fairness.load[h] for h in fairness.load if h.startswith(("t2m", "t3m"))
        )


def test_the_flow_bound_sees_who_serves_when():
    """Daily pairs, teams 4+2+1, min_gap 1, two weeks; team b (2 members) only in the
    first week. Band [4, 4]: b0 and b1 take 4 shifts each in 7 days, so both serve days
    0, 2, 4, 6 together (4 same-team pairs), and the rest mix only where c0 serves (4
    shifts): 10 same-team shifts at best. Counting seats alone bounds it by 2; the
    cheapest flow with gap blocks sees b's 4 shared days; the search proves the rest."""
    team = [member(f"a{i}", "a") for i in range(4)] + [
        member(f"b{i}", "b", unavailable=(away(MONDAY + timedelta(days=7),
                                               MONDAY + timedelta(days=13)),))
        for i in range(2)
    ] + [member("c0", "c")]
    rot = rotation(team, people=2, weeks=2, unit=ShiftUnit.DAYS,
                   distinct=DistinctTeams.PREFERRED, min_gap=1, window=EVERY_DAY,
                   shadow_shifts=0)
    cal = build_calendar(rot, off={})
    problem = Problem(rot, cal, (), None, 0)
    history = problem.history
    counting = clash_bound(problem, 0, problem.start_capacity, history.primaries_before,
                           history.last_served, history.shadows_needed, 4, 4)
    assert (counting, flow_clash_bound(problem, 4, 4)) == (2, 4)
    fairness = solve(rot, cal).fairness
    assert fairness.spread == 0
    assert len(cal.slots) - fairness.distinct_team_shifts == 10
    assert fairness.distinct_teams_proven is True


FIRST_WEEK = """\
rotation: first-week
timezone: Asia/Tokyo
window: {days: [mon, tue, wed, thu, fri, sat, sun], start: "10:00", end: "17:00"}
shift: {length: 1d, people: 2}
term: {start: 2027-01-04, end: 2027-01-17}
rules: {volunteers_only: false, distinct_teams: preferred, min_gap: 1}
members:
  - {handle: a0, name: A0, team: a}
  - {handle: a1, name: A1, team: a}
  - {handle: a2, name: A2, team: a}
  - {handle: a3, name: A3, team: a}
  - {handle: b0, name: B0, team: b, unavailable: [2027-01-11..2027-01-17]}
  - {handle: b1, name: B1, team: b, unavailable: [2027-01-11..2027-01-17]}
  - {handle: c0, name: C0, team: c}
"""


def test_out_of_work_the_mix_is_labelled_best_found(cli, tmp_path, monkeypatch):
    """The roster above: its 4 mixed shifts need the search to prove them the most
    possible. Without work for that search the plan may be as good, but it is not
    claimed: "best found", in the text and the JSON."""
    from oncall.planner import budget

    rot = tmp_path / "first-week.yaml"
    rot.write_text(FIRST_WEEK, encoding="utf-8")
    data = json.loads(cli("plan", str(rot), "--dry-run", "--format", "json").stdout)
    assert data["fairness"]["distinct_team_shifts"] == 4
    assert data["fairness"]["distinct_team_shifts_proven"] is True
    monkeypatch.setattr(budget, "SEARCH_WORK", 100)  # the passes get next to no work
    data = json.loads(cli("plan", str(rot), "--dry-run", "--format", "json").stdout)
    assert data["fairness"]["spread"] == 0 and data["fairness"]["optimal"]
    assert data["fairness"]["distinct_team_shifts"] <= 4
    assert data["fairness"]["distinct_team_shifts_proven"] is False
    # With the count, its best proven bound (issue 22: every objective proven or
    # printed with its bound): the most any plan at this spread could have.
    possible = data["fairness"]["distinct_team_shifts_possible"]
    assert 4 <= possible <= 14
    out = cli("plan", str(rot), "--dry-run", env={"NO_COLOR": "1"})
    assert (
        "primaries from distinct teams: 4 of 14 shifts (29%, best found: at most "
        f"{possible} possible at this spread)"
    ) in out.stdout


TRIPLES = """\
rotation: triples
timezone: Asia/Tokyo
window: {{days: [mon, tue, wed, thu, fri, sat, sun], start: "10:00", end: "17:00"}}
shift: {{length: 1d, people: {people}}}
term: {{start: 2027-01-04, end: 2027-01-17}}
rules: {{volunteers_only: false, distinct_teams: {distinct}, min_gap: 0}}
members:
  - {{handle: a1, name: A1, team: apps}}
  - {{handle: a2, name: A2, team: apps}}
  - {{handle: a3, name: A3, team: apps}}
  - {{handle: a4, name: A4, team: apps}}
  - {{handle: d1, name: D1, team: data}}
  - {{handle: d2, name: D2, team: data}}
  - {{handle: s1, name: S1, team: sec}}
"""


def test_plan_says_proven_or_not(cli, tmp_path):
    """What a user reads: the claim beside the count, and the JSON field (null when teams
    are required)."""
    rot = tmp_path / "triples.yaml"
    rot.write_text(TRIPLES.format(people=3, distinct="preferred"), encoding="utf-8")
    out = cli("plan", str(rot), "--dry-run", env={"NO_COLOR": "1"})
    assert out.returncode == 0, out.stderr
    # 14 days, 42 seats over 7: 6 each, and s1's 6 shifts are the only mixed triples.
    assert "primaries from distinct teams: 6 of 14 shifts (43%, proven most possible)" in (
        out.stdout
    )
    out = cli("plan", str(rot), "--dry-run", "--format", "json")
    fairness = json.loads(out.stdout)["fairness"]
    assert fairness["distinct_team_shifts"] == 6
    assert fairness["distinct_team_shifts_proven"] is True
    rot.write_text(TRIPLES.format(people=2, distinct="required"), encoding="utf-8")
    out = cli("plan", str(rot), "--dry-run", "--format", "json")
    assert json.loads(out.stdout)["fairness"]["distinct_team_shifts_proven"] is None
    out = cli("plan", str(rot), "--dry-run", env={"NO_COLOR": "1"})
    assert "(100%)" in out.stdout
