"""Why no plan exists when teams are the cause: a team that cannot take turns on the run
of shifts it must serve (``turns.py``), and teams that together cannot fill the seats the
others leave them on every few consecutive shifts (``turns.window_shortage``). Each says
who, when and why, and which relaxation gives a plan (each one checked by planning).
"""

from __future__ import annotations

from dataclasses import replace

from oncall.core.model import DistinctTeams, ShiftUnit
from oncall.planner.explain import feasible, group_word, largest_min_gap, names, say
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
    lang = tables.rotation.language
    run = found.last - found.first + 1 == len(found.shifts)
    every = _every(problem)
    unit = say(problem, _unit(problem))
    what = say(problem, "every", unit=unit) if run else say(
        problem, "some_shifts", count=len(found.shifts)
    )
    away = [
        say(problem, "member_of_team", handle=member.handle, team=member.team)
        for m, member in enumerate(tables.members)
        if member.team != team and any(problem.forced.able[m])
        and not any(problem.forced.able[m][t] for t in found.shifts)
    ]
    missing = say(problem, "away", names=names(away, lang)) if away else ""
    breaks = [
        say(
            problem, "cannot_serve", handle=tables.members[m].handle,
            spans=names([str(slots[t].span) for t in shifts[:4]], lang),
            more=say(problem, "and_more") if len(shifts) > 4 else "",
        )
        for m, shifts in unable(problem, found.team, found.shifts).items()
        if shifts
    ]
    mates = names([tables.members[m].handle for m in unable(problem, found.team, ())], lang)
    text = say(
        problem, "turns", first=slots[found.first].span, last=slots[found.last].span,
        team=team, what=what, group=group_word(problem), missing=missing,
        min_gap=rules.min_gap, mates=mates, every=every,
        breaks=say(problem, "turns_breaks", breaks=say(problem, "reason_separator").join(breaks))
        if breaks
        else "",
    )
    return _with_relaxations(problem, text)


def _every(problem: Problem) -> str:
    """How often min_gap lets one member serve: "every other day", "every third shift"."""
    spacing = problem.tables.spacing
    nth = say(problem, f"nth_{spacing}" if spacing in (2, 3, 4) else "nth_n", n=spacing)
    return say(problem, "every_nth", nth=nth, unit=say(problem, _unit(problem)))


def _unit(problem: Problem) -> str:
    """The key of what min_gap counts in words: days (a daily rotation), else shifts."""
    shift, window = problem.tables.rotation.shift, problem.tables.rotation.window
    daily = shift.unit is ShiftUnit.DAYS and shift.length == 1 and len(window.days) == 7
    return "unit_day" if daily else "unit_shift"


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
    span = f"{slots[found.first].first}..{slots[found.first + tables.spacing - 1].last}"
    text = say(
        problem, "shortage", span=span, group=group_word(problem), team=big,
        needed=found.needed, spacing=tables.spacing, min_gap=rules.min_gap, able=found.able,
    )
    return _with_relaxations(problem, text)


def _with_relaxations(problem: Problem, text: str) -> list[str]:
    """``text`` and the relaxations that make a plan exist: a smaller min_gap (the largest
    that works) or distinct teams preferred rather than required."""
    rotation = problem.tables.rotation
    labels = [label] if (label := largest_min_gap(problem)) is not None else []
    soft = replace(rotation, rules=replace(rotation.rules, distinct_teams=DistinctTeams.PREFERRED))
    if feasible(problem, soft):
        labels.append(say(problem, "label_teams_preferred"))
    if not labels:
        return [say(problem, "alone_fails_teams", text=text)]
    return [say(problem, "exists_with", text=text, labels=say(problem, "or_with").join(labels))]
