"""Brute force for the planner's property tests: every valid schedule of a small roster.

``reachable`` walks every assignment shift by shift (keeping only what the rules in
``rules.py`` allow), so it knows every load vector a valid schedule can reach; ``rosters``
draws the small random rosters it can afford; ``assert_optimal`` holds a plan to the
brute-force optimum. Used by tests/test_planner_properties.py and tests/test_replanning.py.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import timedelta

from hypothesis import strategies as st

from oncall.core.model import DistinctTeams, Rotation, ShiftUnit, Term, Window
from oncall.core.rules import (
    can_take_slot,
    eligible_members,
    gap_allows,
    is_experienced,
    teams_clash,
)
from oncall.core.schedule import Shift
from tests.helpers.builders import MONDAY, away, member, rotation

FAR = -1000  # "has not served yet"


def reachable(
    rot: Rotation, calendar, kept: tuple[Shift, ...] = ()
) -> set[tuple[tuple[int, ...], int]]:
    """Of every valid schedule: primary loads per roster member and the number of shifts
    whose primaries are all from different teams (kept shifts included in both)."""
    members = rot.members
    n = len(members)
    slots = calendar.slots
    kept_slots = {calendar.slot_of(shift.start).index: shift for shift in kept}
    eligible = {m.handle for m in eligible_members(rot)}
    wanted = rot.onboarding.shadow_shifts
    max_shifts = rot.rules.max_shifts
    start = tuple(
        (FAR, 0, wanted if (m.new and m.handle in eligible) else 0, 0) for m in members
    )
    states = {(start, 0)}
    for slot in slots:
        fresh = set()
        if slot.index in kept_slots:
            shift = kept_slots[slot.index]
            mixed = int(len({rot.by_handle[h].team for h in shift.primary}) == len(shift.primary))
            for state, distinct in states:
                people = list(state)
                for i, m in enumerate(members):
                    _, served, need, load = people[i]
                    if m.handle in shift.primary:
                        people[i] = (slot.index, served + 1, 0, load + 1)
                    elif m.handle in shift.shadow:
                        people[i] = (slot.index, served + 1, max(0, need - 1), load)
                fresh.add((_normal(rot, slot.index, people), distinct + mixed))
            states = fresh
            continue
        for state, distinct in states:

            def free(i: int, state=state, slot=slot) -> bool:
                last, served, _, _ = state[i]
                return (
                    can_take_slot(rot, members[i], slot)
                    and (last == FAR or gap_allows(rot, last, slot.index))
                    and (max_shifts is None or served < max_shifts)
                )

            ready = [i for i in range(n) if free(i) and state[i][2] == 0]
            learners = [i for i in range(n) if free(i) and state[i][2] > 0]
            for combo in itertools.combinations(ready, rot.shift.people):
                if teams_clash(rot, (members[i].team for i in combo)):
                    continue
                mentor = any(is_experienced(members[i]) for i in combo)
                mixed = int(len({members[i].team for i in combo}) == len(combo))
                shadow_sets = (
                    itertools.chain.from_iterable(
                        itertools.combinations(learners, k) for k in range(len(learners) + 1)
                    )
                    if mentor
                    else [()]
                )
                for shadows in shadow_sets:
                    people = list(state)
                    for i in combo:
                        _, served, need, load = people[i]
                        people[i] = (slot.index, served + 1, need, load + 1)
                    for i in shadows:
                        _, served, need, load = people[i]
                        people[i] = (slot.index, served + 1, need - 1, load)
                    fresh.add((_normal(rot, slot.index, people), distinct + mixed))
        states = fresh
    return {
        (tuple(p[3] for p in state), distinct)
        for state, distinct in states
        if all(p[2] == 0 for p in state)
    }


def _normal(rot: Rotation, index: int, people: list) -> tuple:
    """Forget what can no longer matter, so equal futures share one state."""
    out = []
    for last, served, need, load in people:
        if last != FAR and gap_allows(rot, last, index + 1):
            last = FAR
        if rot.rules.max_shifts is None:
            served = 0
        out.append((last, served, need, load))
    return tuple(out)


@st.composite
def rosters(draw):
    size = draw(st.integers(2, 7))
    teams = draw(st.integers(2, 3))
    days = draw(st.integers(3, 8))
    members = []
    for number in range(size):
        away_days = draw(st.sets(st.integers(0, days - 1), max_size=draw(st.integers(0, days - 1))))
        members.append(
            member(
                f"m{number}",
                f"t{draw(st.integers(0, teams - 1))}",
                volunteer=draw(st.integers(0, 9)) > 0,
                new=draw(st.integers(0, 5)) == 0,
                unavailable=tuple(away(MONDAY + timedelta(days=d)) for d in sorted(away_days)),
            )
        )
    rot = rotation(
        members,
        people=draw(st.sampled_from([1, 1, 2, 2, 3])),
        unit=ShiftUnit.DAYS,
        length=draw(st.sampled_from([1, 1, 2])),
        weeks=2,
        distinct=draw(st.sampled_from(list(DistinctTeams))),
        min_gap=draw(st.sampled_from([0, 0, 1, 1, 2])),
        max_shifts=draw(st.one_of(st.none(), st.integers(1, 5))),
        shadow_shifts=draw(st.integers(0, 2)),
    )
    return replace(
        rot,
        window=Window(frozenset(range(7)), 600, 1020),
        term=Term(MONDAY, MONDAY + timedelta(days=days - 1)),
    )


def spread(loads: tuple[int, ...], positions: list[int]) -> int:
    return max(loads[i] for i in positions) - min(loads[i] for i in positions) if positions else 0


def assert_optimal(rot: Rotation, result, finals) -> None:
    """Spread is the brute-force optimum; with distinct_teams preferred, so is the number
    of mixed-team shifts among the fairest schedules."""
    positions = [i for i, m in enumerate(rot.members) if m.handle in result.fairness.counted]
    best = min(spread(loads, positions) for loads, _ in finals)
    assert result.fairness.spread == best
    assert result.fairness.best_possible == best
    if rot.rules.distinct_teams is DistinctTeams.PREFERRED:
        most = max(mixed for loads, mixed in finals if spread(loads, positions) == best)
        assert result.fairness.distinct_team_shifts == most
