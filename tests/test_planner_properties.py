"""The planner against brute force on small random rosters.

Brute force (tests/helpers/brute_force.py) walks every assignment shift by shift (keeping
only what the rules in ``rules.py`` allow), so it knows every load vector a valid schedule
can reach. The planner must (1) produce schedules that ``rules.check`` accepts, (2) reach
the smallest spread any valid schedule has, (3) call a roster infeasible only when no
valid schedule exists.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncall.core.calendar import build_calendar
from oncall.core.errors import Infeasible
from oncall.core.rules import ERROR, check
from oncall.core.schedule import Schedule
from oncall.planner import solve
from tests.helpers.brute_force import (
    assert_optimal,
    awkward_rosters,
    mixing_rosters,
    reachable,
    rosters,
)
from tests.helpers.builders import term_of

pytestmark = pytest.mark.slow


@settings(max_examples=1200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rosters(), st.integers(0, 3))
def test_planner_matches_brute_force(rot, seed):
    calendar = build_calendar(rot, off={})
    finals = reachable(rot, calendar)
    try:
        result = solve(rot, calendar, seed=seed)
    except Infeasible as error:
        assert not finals, f"planner said infeasible ({error.reasons}) but a schedule exists"
        assert error.reasons
        return
    schedule = Schedule(rot.id, None, term_of(rot), result.shifts)
    assert [v for v in check(rot, calendar, schedule) if v.severity == ERROR] == []
    assert finals, "brute force found no valid schedule, yet the planner returned one"
    assert_optimal(rot, result, finals, calendar)
    assert solve(rot, calendar, seed=seed) == result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(awkward_rosters(), st.integers(0, 3))
def test_awkward_teams_match_brute_force(rot, seed):
    """Solo teams, teams taking turns, weekdays off: infeasible ones must be proven so,
    and feasible ones planned at the brute-force optimum, proven."""
    calendar = build_calendar(rot, off={})
    finals = reachable(rot, calendar)
    try:
        result = solve(rot, calendar, seed=seed)
    except Infeasible as error:
        assert not finals, f"planner said infeasible ({error.reasons}) but a schedule exists"
        assert not any("none was proven" in reason for reason in error.reasons)
        return
    schedule = Schedule(rot.id, None, term_of(rot), result.shifts)
    assert [v for v in check(rot, calendar, schedule) if v.severity == ERROR] == []
    assert finals, "brute force found no valid schedule, yet the planner returned one"
    assert_optimal(rot, result, finals, calendar)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixing_rosters(), st.integers(0, 3))
def test_team_mixing_matches_brute_force(rot, seed):
    """distinct_teams preferred with triples, min_gap, solo members and newcomers: the
    fairest spread first, then the most mixed-team shifts brute force finds among the
    fairest schedules, claimed proven; the same plan again for the same seed."""
    calendar = build_calendar(rot, off={})
    finals = reachable(rot, calendar)
    try:
        result = solve(rot, calendar, seed=seed)
    except Infeasible as error:
        assert not finals, f"planner said infeasible ({error.reasons}) but a schedule exists"
        return
    schedule = Schedule(rot.id, None, term_of(rot), result.shifts)
    assert [v for v in check(rot, calendar, schedule) if v.severity == ERROR] == []
    assert finals, "brute force found no valid schedule, yet the planner returned one"
    assert_optimal(rot, result, finals, calendar)
    assert solve(rot, calendar, seed=seed) == result


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rosters(), st.integers(0, 3), st.integers(1, 4))
def test_replanning_counts_kept_history(rot, seed, cut):
    calendar = build_calendar(rot, off={})
    try:
        first = solve(rot, calendar, seed=seed)
    except Infeasible:
        return
    if cut >= len(calendar.slots):
        return
    plan_from = calendar.slots[cut].first
    kept = tuple(shift for shift in first.shifts if shift.start < plan_from)
    finals = reachable(rot, calendar, kept)
    try:
        result = solve(rot, calendar, kept=kept, plan_from=plan_from, seed=seed + 1)
    except Infeasible as error:
        assert not finals, f"planner said infeasible ({error.reasons}) but a schedule exists"
        return
    assert result.shifts[: len(kept)] == kept
    schedule = Schedule(rot.id, None, term_of(rot), result.shifts)
    assert [v for v in check(rot, calendar, schedule) if v.severity == ERROR] == []
    assert_optimal(rot, result, finals, calendar)
