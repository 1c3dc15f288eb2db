"""Taking turns: a team that must send someone to every one of a run of shifts, and whose
members ``min_gap`` lets serve only every ``spacing``-th of them, has to rotate in a fixed
order; one member unable on the wrong shift breaks it (parity: two members, min_gap 1,
and a Sunday one of them cannot serve, seven days (an odd number) after the last).

Under ``distinct_teams: required`` with shifts of several seats, team ``k`` must send a
member to every shift the other teams cannot fill alone. Which of its members can cover
those shifts is decided exactly, shift by shift, over the members still resting (who
served fewer than ``spacing`` shifts ago): a handful of states for a small team. Seats the
team need not take are left out and so are max_shifts and shadows, so this is a
relaxation: when no way through is left, no plan exists, and the run of shifts that shows
it (the shortest found) is the proof the lead reads.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from oncall.planner.problem import Problem

MOST_STATES = 4096  # beyond this the team is too large to be short of turns: no proof
MOST_STARTS = 64  # shorter runs tried when naming the shortest run that fails


class Turns(NamedTuple):
    """Team ``team`` cannot cover its required shifts ``first`` .. ``last`` (planned-shift
    numbers) taking turns; ``shifts`` lists them."""

    team: int
    first: int
    last: int
    shifts: tuple[int, ...]


def short_of_turns(problem: Problem) -> Turns | None:
    """The first team (of two or more members) that cannot take turns on the shifts only
    it can fill, with the shortest run found that shows it; None when none is found."""
    tables = problem.tables
    seats, spacing = tables.seats_per_shift, tables.spacing
    if not (tables.teams_required and seats > 1 and spacing > 1):
        return None
    able, team = problem.forced.able, tables.team
    # Tight shifts (no more teams able than seats): each team able then must serve them.
    required: dict[int, list[int]] = {}
    for t in problem.forced.tight:
        for k in sorted(set(itertools.compress(team, (row[t] for row in able)))):
            required.setdefault(k, []).append(t)
    for k, shifts in sorted(required.items()):
        members = [m for m in range(len(able)) if team[m] == k]
        if len(members) < 2:
            continue  # a team of one: forced.py propagates its member's seats
        failed = _first_failure(problem, members, shifts)
        if failed is None:
            continue
        end = shifts.index(failed)
        start = _shortest_start(problem, members, shifts, end)
        run = tuple(shifts[start : end + 1])
        return Turns(k, run[0], run[-1], run)
    return None


def _first_failure(problem: Problem, team: list[int], required: list[int]) -> int | None:
    """The first of ``required`` the team's members cannot all cover in turn; None when
    they can (or the team has too many ways to be worth following)."""
    able, spacing = problem.forced.able, problem.tables.spacing
    states: set[tuple[tuple[int, int], ...]] = {()}
    for t in required:
        fresh: set[tuple[tuple[int, int], ...]] = set()
        for state in states:
            resting = {m for m, last in state if t - last < spacing}
            kept = tuple((m, last) for m, last in state if t - last < spacing)
            for m in team:
                if able[m][t] and m not in resting:
                    fresh.add(tuple(sorted((*kept, (m, t)))))
        if not fresh:
            return t
        if len(fresh) > MOST_STATES:
            return None
        states = fresh
    return None


def _shortest_start(problem: Problem, team: list[int], required: list[int], end: int) -> int:
    """The latest start whose run up to ``required[end]`` still fails (a shorter proof);
    the run's own start (shifts closer than ``spacing``: a longer gap lets every member
    rest, so the failure lies inside it) when none is found within ``MOST_STARTS``."""
    spacing = problem.tables.spacing
    start = end
    while start > 0 and required[start] - required[start - 1] < spacing:
        start -= 1
        if end - start <= MOST_STARTS and _first_failure(
            problem, team, required[start : end + 1]
        ) is not None:
            return start
    return start


def unable(problem: Problem, team: int, shifts: tuple[int, ...]) -> dict[int, list[int]]:
    """Per member of ``team``, the shifts of ``shifts`` they cannot serve."""
    tables, able = problem.tables, problem.forced.able
    return {
        m: [t for t in shifts if not able[m][t]]
        for m in itertools.compress(range(len(able)), (k == team for k in tables.team))
    }


class Shortage(NamedTuple):
    """Every team but ``big`` must fill ``needed`` seats of the shifts ``first`` ..
    ``first + spacing - 1`` (``big`` can take one seat of each), but only ``able`` of
    their members can serve any of them, each at most once under min_gap."""

    big: int
    first: int
    needed: int
    able: int


def window_shortage(problem: Problem) -> Shortage | None:
    """A run of ``spacing`` consecutive shifts on which the teams other than one cannot
    fill what that one team leaves them (it takes at most one seat a shift), with nobody
    serving twice in the run: a proof of infeasibility (3 + 1 + 1 + 1 with triples and
    min_gap 1: the three of one member each must fill 2 seats a day, 4 in two days, and
    can fill only 3). None when there is none."""
    tables = problem.tables
    seats, spacing, count = tables.seats_per_shift, tables.spacing, len(tables.slots)
    teams = max(tables.team, default=-1) + 1
    if not (tables.teams_required and seats > 1 and spacing > 1 and teams > 1):
        return None
    if count < spacing:
        return None
    able, team = problem.forced.able, tables.team
    serves = tables.team_serves(able)
    sums = [list(itertools.accumulate(row, initial=0)) for row in able]
    for first in range(count - spacing + 1):
        end = first + spacing
        # Members able to serve some shift of the window, per team.
        present = [0] * teams
        for m, row in enumerate(sums):
            if row[end] > row[first]:
                present[team[m]] += 1
        total = sum(present)
        for k in range(teams):
            needed = sum(seats - serves[k][t] for t in range(first, end))
            if needed > total - present[k]:
                return Shortage(k, first, needed, total - present[k])
    return None
