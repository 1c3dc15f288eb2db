"""Why no plan exists when teams are the cause: a team that cannot take turns on the run
of shifts it must serve (``turns.py``), and teams that together cannot fill the seats the
others leave them on every few consecutive shifts (``turns.window_shortage``). Each says
who, when and why, and which relaxation gives a plan (each one checked by planning).
"""

from __future__ import annotations

from dataclasses import replace

from oncall.core.model import DistinctTeams, ShiftUnit
from oncall.planner.explain import feasible, largest_min_gap, names
from oncall.planner.problem import Problem
from oncall.planner.turns import short_of_turns, unable, window_shortage


def turns_reasons(problem: Problem) -> list[str]:
    """A team that must serve a run of shifts and cannot take turns on them (``turns.py``):
    the run, who else is away, the turns ``min_gap`` allows and who breaks them."""
    found = short_of_turns(problem)
    if found is None:
        return []
    missing_all = any(
        len(shifts) == len(found.shifts)
        for shifts in unable(problem, found.team, found.shifts).values()
    )
    if missing_all and problem.forced.conflict is not None:
        return []  # one member of the team does it all: forced_reasons names them
    tables = problem.tables
    rules, slots = tables.rotation.rules, tables.slots
    team = next(m.team for k, m in zip(tables.team, tables.members, strict=True)
                if k == found.team)
    seats = tables.seats_per_shift
    group = {2: "pairs", 3: "triples"}.get(seats, f"shifts of {seats}")
    run = found.last - found.first + 1 == len(found.shifts)
    every = _every(problem)
    unit = every.rsplit(" ", 1)[1]
    what = f"every {unit}" if run else f"{len(found.shifts)} of the shifts"
    away = [
        f"{member.handle} of team {member.team}"
        for m, member in enumerate(tables.members)
        if member.team != team and any(problem.forced.able[m])
        and not any(problem.forced.able[m][t] for t in found.shifts)
    ]
    missing = f" ({names(away)} cannot serve then)" if away else ""
    breaks = [
        f"{tables.members[m].handle} cannot serve "
        + names([str(slots[t].span) for t in shifts[:4]])
        + (" and more" if len(shifts) > 4 else "")
        for m, shifts in unable(problem, found.team, found.shifts).items()
        if shifts
    ]
    mates = names([tables.members[m].handle for m in unable(problem, found.team, ())])
    text = (
        f"from {slots[found.first].span} to {slots[found.last].span} team {team} must serve "
        f"{what}: with {group} from different teams required, the other teams cannot fill "
        f"them alone{missing}; with min_gap {rules.min_gap} its members {mates} can only "
        f"take turns {every}"
        + (f", but {'; '.join(breaks)}" if breaks else "")
    )
    return _with_relaxations(problem, text)


def _every(problem: Problem) -> str:
    """How often min_gap lets one member serve: "every other day", "every third shift"."""
    tables = problem.tables
    nth = {2: "other", 3: "third", 4: "fourth"}.get(tables.spacing, f"{tables.spacing}th")
    shift, window = tables.rotation.shift, tables.rotation.window
    daily = shift.unit is ShiftUnit.DAYS and shift.length == 1 and len(window.days) == 7
    return f"every {nth} {'day' if daily else 'shift'}"


def shortage_reasons(problem: Problem) -> list[str]:
    """Teams that together cannot fill, on a few consecutive shifts, the seats one team
    (which takes at most one a shift) leaves them (``turns.window_shortage``)."""
    found = window_shortage(problem)
    if found is None:
        return []
    tables = problem.tables
    rules, slots = tables.rotation.rules, tables.slots
    big = next(m.team for k, m in zip(tables.team, tables.members, strict=True)
               if k == found.big)
    seats = tables.seats_per_shift
    group = {2: "pairs", 3: "triples"}.get(seats, f"shifts of {seats}")
    span = f"{slots[found.first].first}..{slots[found.first + tables.spacing - 1].last}"
    text = (
        f"{span}: with {group} from different teams required, team {big} can take one "
        f"seat a shift, so the other teams must fill {found.needed} seats of these "
        f"{tables.spacing} shifts; with min_gap {rules.min_gap} nobody serves two of them, "
        f"and only {found.able} of their members can serve"
    )
    return _with_relaxations(problem, text)


def _with_relaxations(problem: Problem, text: str) -> list[str]:
    """``text`` and the relaxations that make a plan exist: a smaller min_gap (the largest
    that works) or distinct teams preferred rather than required."""
    rotation = problem.tables.rotation
    labels = [label] if (label := largest_min_gap(problem)) is not None else []
    soft = replace(rotation, rules=replace(rotation.rules, distinct_teams=DistinctTeams.PREFERRED))
    if feasible(problem, soft):
        labels.append("distinct_teams: preferred")
    if not labels:
        return [f"{text}; relaxing min_gap or distinct_teams alone does not make a plan exist"]
    return [f"{text}: a plan exists with " + ", or with ".join(labels)]
