"""The wishes pass on drawn rosters: with ``prefers_not`` added, the plan is exactly as
fair (every load, duty load, shadow load, spread and bound), as mixed (same-team count)
and as valid (``rules.check``) as without; kept history is untouched; it never breaks
more wishes than the plan made without them; and it is deterministic for a seed."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncall.core.calendar import build_calendar
from oncall.core.errors import Infeasible
from oncall.core.model import DateRange, Rotation, Unavailability
from oncall.core.rules import ERROR, check
from oncall.core.schedule import Schedule, Shift
from oncall.core.wishes import WishTally, tally
from oncall.planner import solve
from tests.helpers.brute_force import MONDAY, mixing_rosters, rosters
from tests.helpers.builders import term_of


@st.composite
def with_wishes(draw: st.DrawFn, rot: Rotation) -> Rotation:
    members = []
    for member in rot.members:
        entries = [Unavailability(weekday=d) for d in draw(st.sets(st.integers(0, 6), max_size=2))]
        for first in sorted(draw(st.sets(st.integers(0, 7), max_size=3))):
            last = first + draw(st.integers(0, 2))
            entries.append(Unavailability(dates=DateRange(
                MONDAY + timedelta(days=first), MONDAY + timedelta(days=last)
            )))
        members.append(replace(member, prefers_not=tuple(entries)))
    return replace(rot, members=tuple(members))


def _tally(rot: Rotation, shifts: tuple[Shift, ...]) -> WishTally:
    return tally(rot, term_of(rot), {}, shifts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(rosters(), mixing_rosters()).flatmap(
    lambda rot: st.tuples(st.just(rot), with_wishes(rot))
), st.integers(0, 3), st.integers(0, 3))
def test_wishes_cost_no_fairness_and_break_no_rule(pair, seed, cut):
    rot, wishing = pair
    calendar = build_calendar(rot, off={})
    try:
        plain = solve(rot, calendar, seed=seed)
    except Infeasible:
        return
    kept: tuple[Shift, ...] = ()
    plan_from = None
    if 0 < cut < len(calendar.slots):
        plan_from = calendar.slots[cut].first
        kept = tuple(shift for shift in plain.shifts if shift.start < plan_from)
        plain = solve(rot, calendar, kept=kept, plan_from=plan_from, seed=seed)
    wished = solve(wishing, calendar, kept=kept, plan_from=plan_from, seed=seed)
    assert wished.fairness == plain.fairness
    assert wished.shifts[: len(kept)] == kept
    schedule = Schedule(rot.id, None, term_of(rot), wished.shifts)
    assert [v for v in check(wishing, calendar, schedule) if v.severity == ERROR] == []
    assert _tally(wishing, wished.shifts).broken <= _tally(wishing, plain.shifts).broken
    assert solve(wishing, calendar, kept=kept, plan_from=plan_from, seed=seed) == wished


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(rosters(), mixing_rosters()).flatmap(
    lambda rot: st.tuples(st.just(rot), with_wishes(rot))
), st.integers(0, 3))
def test_wishes_keep_what_people_were_told(pair, seed):
    rot, wishing = pair
    calendar = build_calendar(rot, off={})
    try:
        told = solve(rot, calendar, seed=seed + 1).shifts
    except Infeasible:
        return
    plain = solve(rot, calendar, seed=seed, told=told)
    wished = solve(wishing, calendar, seed=seed, told=told)
    assert wished.fairness == plain.fairness
    assert wished.kept_assignments >= plain.kept_assignments
