"""Large rosters: the planner looks at few members per shift. Counted, never timed: a
roster of 2,000 people and a year of weekday pairs is planned at the proven optimum with no
search state ever keyed (the first descent lands), and with the longest-chain and
able-before rows of only the members the search looked at. Also: the start capacity read
without a row (the greedy chain) is the row's number."""

from __future__ import annotations

import random
from datetime import timedelta

from oncall.core.calendar import build_calendar
from oncall.core.model import DistinctTeams, ShiftUnit
from oncall.planner import solve
from oncall.planner.search import BandSearch
from oncall.planner.tables import Tables
from tests.helpers.builders import MONDAY, away, member, rotation


def large_rotation(size: int):
    team = [
        member(f"u{i:04d}", f"team{i % 50}",
               unavailable=(away(MONDAY + timedelta(days=(i * 37) % 360)),))
        for i in range(size)
    ]
    return rotation(team, people=2, weeks=52, unit=ShiftUnit.DAYS, length=1, min_gap=2,
                    distinct=DistinctTeams.REQUIRED)


def test_a_large_roster_is_planned_looking_at_few_members(monkeypatch):
    keys, chains, sums = [], set(), set()
    state_key, chain_row, able_row = BandSearch._state_key, Tables.chain_row, Tables.able_row

    def counting_key(self, t):
        keys.append(t)
        return state_key(self, t)

    def counting_chain(self, m):
        chains.add(m)
        return chain_row(self, m)

    def counting_sums(self, m):
        sums.add(m)
        return able_row(self, m)

    monkeypatch.setattr(BandSearch, "_state_key", counting_key)
    monkeypatch.setattr(Tables, "chain_row", counting_chain)
    monkeypatch.setattr(Tables, "able_row", counting_sums)
    size = 2000
    rot = large_rotation(size)
    cal = build_calendar(rot, off={})
    result = solve(rot, cal, seed=0)
    assert result.fairness.spread == result.fairness.best_possible
    assert len(result.shifts) == len(cal.slots) > 250  # a year of weekdays
    assert keys == []  # no state failed, so none was keyed
    # The room test stops once the seats left are covered (at most 2 per shift left).
    assert 0 < len(chains) < size // 3
    assert 0 < len(sums) < 100  # so does the min_gap window's count


def test_greedy_chain_is_the_longest_chain():
    rng = random.Random(7)
    for case in range(40):
        size = rng.randrange(1, 30)
        team = [member(f"m{i}", f"t{i % 3}") for i in range(size)]
        rot = rotation(team, people=1, weeks=8, unit=ShiftUnit.DAYS, length=1,
                       min_gap=rng.randrange(0, 6))
        tables = Tables(rot, build_calendar(rot, off={}), None, case)
        for row in tables.can_take:
            for t in range(len(row)):
                row[t] = rng.random() < 0.6
        for m in range(size):
            greedy = [tables.chain_from(m, t) for t in range(len(tables.slots) + 1)]
            assert greedy == tables.chain_row(m)[: len(tables.slots) + 1]
