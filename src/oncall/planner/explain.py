"""Why no plan exists, in plain words for the lead who must change the roster.

Shifts too few people (or teams) can take, with each member's reason from
``rules.slot_blockers``; runs of shifts that ``min_gap`` makes need more people than can
serve them; newcomers who cannot shadow; and, for rules that only bite together, the rule
whose relaxation makes a plan exist.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import replace

from oncall.core.calendar import ShiftSlot
from oncall.core.model import DistinctTeams, Member, Onboarding, Rotation
from oncall.core.rules import slot_blockers
from oncall.planner.budget import WorkBudget
from oncall.planner.decide import decide
from oncall.planner.forced import PEOPLE, TEAM
from oncall.planner.problem import Problem
from oncall.planner.turns import short_of_turns

MOST_SHIFTS_LISTED = 12

# A rule relaxed: what it blames, the rotation without it, and how to say "without it".
Relaxation = tuple[str, Rotation, str]


def static_reasons(problem: Problem) -> list[str]:
    """Shifts that too few people (or teams) can take,
    whatever else the plan does."""
    tables = problem.tables
    first_primary = [problem.earliest_primary(m) for m in range(len(tables.members))]
    slot_reasons: list[str] = []
    # Only a tight shift (no more people, or teams, able than seats) can be short.
    shifts = problem.forced.tight if tables.members else range(len(tables.slots))
    for t in shifts:
        slot = tables.slots[t]
        able = [
            member
            for m, member in enumerate(tables.members)
            if tables.can_take[m][t] and first_primary[m] <= t
        ]
        reason = _slot_reason(problem, slot, able)
        if reason:
            slot_reasons.append(reason)
    if not slot_reasons:
        slot_reasons = _gap_window_reasons(problem)
    if len(slot_reasons) > MOST_SHIFTS_LISTED:
        more = len(slot_reasons) - MOST_SHIFTS_LISTED
        slot_reasons = [*slot_reasons[:MOST_SHIFTS_LISTED], f"... and {more} more shift(s)"]
    return slot_reasons


def _slot_reason(problem: Problem, slot: ShiftSlot, able: list[Member]) -> str | None:
    """Why one shift cannot be filled by the members ``able`` to serve it, if it cannot."""
    seat_count = problem.tables.seats_per_shift
    if len(able) < seat_count:
        return _short_of_people(problem, slot, able)
    if problem.tables.teams_required and seat_count > 1:
        teams = sorted({m.team for m in able})
        if len(teams) < seat_count:
            return (
                f"{slot.span}: distinct_teams: required needs {seat_count} teams, but all "
                f"{len(able)} members who can serve it are in "
                + (f"team {teams[0]}" if len(teams) == 1 else f"teams {', '.join(teams)}")
            )
    return None


def _short_of_people(problem: Problem, slot: ShiftSlot, able: list[Member]) -> str:
    """A shift fewer members can take than it has seats, with everyone else's reason."""
    rotation = problem.tables.rotation
    blocked = []
    ineligible = 0
    for member in rotation.members:
        why = slot_blockers(rotation, member, slot)
        if any(rule in ("volunteers_only", "terms") for rule, _ in why):
            ineligible += 1
        elif why:
            blocked.append(f"{member.handle} ({'; '.join(r for _, r in why)})")
        elif member not in able:
            blocked.append(f"{member.handle} (new, still shadowing)")
    tail = (
        f"; {ineligible} other member(s) are not eligible (not volunteers, or not "
        "serving this term)"
        if ineligible
        else ""
    )
    if not able:
        return f"{slot.span}: nobody is available: " + (", ".join(blocked) or "no members") + tail
    return (
        f"{slot.span} needs {problem.tables.seats_per_shift} primaries but only "
        f"{names([m.handle for m in able])} can serve it"
        + (f"; not available: {', '.join(blocked)}" if blocked else "")
        + tail
    )


def newcomer_reasons(problem: Problem) -> list[str]:
    """Newcomers who cannot fit their shadow shifts into the term, and why: they are not
    planned in it (``Problem.deferred``), which matters only when the roster cannot do
    without them, so only those who could take some shift of it are named."""
    tables = problem.tables
    rules = tables.rotation.rules
    reasons = []
    wanted = tables.rotation.onboarding.shadow_shifts
    mentors = [m for m in range(len(tables.members)) if tables.experienced[m]]
    for m, (able, need) in sorted(problem.deferred.items()):
        if not any(able):
            continue
        handle = tables.members[m].handle
        start = (
            f"{handle} is new and must first shadow {wanted} shift(s) beside an "
            "experienced primary"
        )
        together = [
            t
            for t in range(len(tables.slots))
            if able[t] and any(tables.can_take[e][t] for e in mentors)
        ]
        if not mentors:
            reasons.append(f"{start}, but no experienced member serves this term")
        elif len(together) < need:
            reasons.append(
                f"{start}, but only {len(together)} shift(s) have both {handle} and an "
                f"experienced member available ({need} needed)"
            )
        else:
            reasons.append(
                f"{start}, but min_gap {rules.min_gap} and max_shifts "
                f"{rules.max_shifts} leave room for fewer than {need}"
            )
    return reasons


def _gap_window_reasons(problem: Problem) -> list[str]:
    """Runs of shifts so close together that min_gap lets nobody serve two of them: each
    run needs that many different people, whoever else is planned."""
    tables = problem.tables
    slots = tables.slots
    width = min(tables.spacing, len(slots))
    if width <= 1:
        return []
    rules = tables.rotation.rules
    wanted = tables.seats_per_shift * width
    reasons: list[str] = []
    reported_until = -1
    members = range(len(tables.members))
    for first in range(len(slots) - width + 1):
        end = first + width
        rows = (tables.able_row(m) for m in members)  # able_before, built as it is read
        if _at_least(wanted, (sums for sums in rows if sums[end] > sums[first])):
            continue
        able = [
            member.handle
            for m, member in enumerate(tables.members)
            if (sums := tables.able_row(m))[end] > sums[first]
        ]
        if first > reported_until:
            reported_until = first + width - 1
            span = f"{slots[first].first}..{slots[first + width - 1].last}"
            reasons.append(
                f"{span}: with min_gap {rules.min_gap} nobody may serve two of these {width} "
                f"shifts, so they need {wanted} different people, but only {len(able)} can "
                f"serve them" + (f" ({names(able)})" if able and len(able) <= 10 else "")
            )
    return reasons


def _at_least(wanted: int, items: Iterator[object]) -> bool:
    """Whether ``items`` holds ``wanted`` or more, counting no further than that (a roster
    of thousands has enough people for every run after the first few)."""
    return wanted <= 0 or next(itertools.islice(items, wanted - 1, None), None) is not None


def able_members(problem: Problem) -> int:
    """Members who could take at least one planned shift: someone away all term (or
    whose ``terms`` leave it out) is not counted as eligible in any explanation."""
    return sum(1 for row in problem.tables.can_take if any(row))


def forced_reasons(problem: Problem) -> list[str]:
    """Forced members who collide with ``max_shifts`` or ``min_gap`` (``forced.py``), with
    the least relaxation of that rule found to make a plan exist."""
    conflict = problem.forced.conflict
    if conflict is None or conflict.member < 0:
        return []
    tables = problem.tables
    rules = tables.rotation.rules
    m = conflict.member
    handle = tables.members[m].handle
    if conflict.rule == "max_shifts":
        history = problem.history
        count = problem.forced.count[m]
        text = (
            f"{_forced_why(problem, m, _amount(problem, count))}, but max_shifts is "
            f"{rules.max_shifts}"
        )
        extra = history.served_before[m] + history.shadows_needed[m]
        if extra:
            text += f" and {count + extra} shift(s) counting those already served or shadowed"
        label = _least_max_shifts(problem, history.served_before[m] + count
                                  + history.shadows_needed[m])
    else:
        slots = tables.slots
        free = Problem(
            replace(tables.rotation, rules=replace(rules, min_gap=0)),
            tables.calendar, problem.history.kept, tables.plan_from, 0,
            budget=WorkBudget(0, problem.budget.per_try),
        )
        if free.forced.count[m] == len(slots) and free.forced.conflict is None:
            text = (
                f"{_forced_why(problem, m, _amount(problem, len(slots)))}, but min_gap "
                f"{rules.min_gap} keeps {handle} from serving two shifts in a row"
            )
        else:
            first, second = slots[conflict.shift].span, slots[conflict.other].span
            both = m in problem.forced.at[conflict.other]
            text = (
                f"{_forced_why(problem, m, first)}"
                + (f" and {second}" if both else f", and {second} cannot be filled without them")
                + f", but min_gap {rules.min_gap} keeps {handle} from serving both"
            )
        label = largest_min_gap(problem)
    labels = [label] if label is not None else []
    if problem.forced.kind(m) == TEAM:
        rotation = tables.rotation
        soft = replace(rotation, rules=replace(rules, distinct_teams=DistinctTeams.PREFERRED))
        if feasible(problem, soft):
            labels.append("distinct_teams: preferred")
    if not labels:
        return [f"{text}; relaxing that rule alone does not make a plan exist"]
    return [f"{text}: a plan exists with " + ", or with ".join(labels)]


def _amount(problem: Problem, count: int) -> str:
    total = len(problem.tables.slots)
    return f"all {total} shifts" if count == total else f"{count} of the {total} shifts"


def _forced_why(problem: Problem, m: int, what: str) -> str:
    """Why member ``m`` must serve ``what`` (shifts or a shift), in words."""
    tables = problem.tables
    member = tables.members[m]
    seats = tables.seats_per_shift
    group = {2: "pairs", 3: "triples"}.get(seats, f"shifts of {seats}")
    kind = problem.forced.kind(m)
    if kind == TEAM:
        mates = [
            k for k, other in enumerate(tables.members)
            if other.team == member.team and any(tables.can_take[k])
        ]
        who = (
            f"team {member.team} has one member, {member.handle}"
            if mates == [m]
            else f"the only member of team {member.team} available then is {member.handle}"
        )
        return (
            f"{who}; with {group} from different teams required, {member.handle} must "
            f"serve {what}"
        )
    if kind == PEOPLE:
        return (
            f"{member.handle} must serve {what}: only {seats} member(s) can serve each of them"
        )
    return f"{member.handle} must serve {what}: too few people or teams can serve them otherwise"


def _least_max_shifts(problem: Problem, needed: int) -> str | None:
    """The smallest ``max_shifts`` from ``needed`` on found to let a plan exist."""
    rotation = problem.tables.rotation
    history = problem.history
    ceiling = len(problem.tables.slots) + max(
        (b + s for b, s in zip(history.served_before, history.shadows_needed, strict=True)),
        default=0,
    )  # never binds: the same as no max_shifts

    def works(value: int | None) -> bool:
        rules = replace(rotation.rules, max_shifts=value)
        return feasible(problem, replace(rotation, rules=rules))

    if not works(None):
        return None
    low, high = needed, ceiling  # high works
    while low < high:
        mid = (low + high) // 2
        if works(mid):
            high = mid
        else:
            low = mid + 1
    return "no max_shifts" if high >= ceiling and high > needed else f"max_shifts {high}"


def largest_min_gap(problem: Problem) -> str | None:
    """The largest ``min_gap`` below today's found to let a plan exist."""
    rotation = problem.tables.rotation

    def works(value: int) -> bool:
        rules = replace(rotation.rules, min_gap=value)
        return feasible(problem, replace(rotation, rules=rules))

    if not works(0):
        return None
    low, high = 0, min(rotation.rules.min_gap - 1, len(problem.tables.slots))  # low works
    while low < high:
        mid = (low + high + 1) // 2
        if works(mid):
            low = mid
        else:
            high = mid - 1
    return f"min_gap {low}"


def explain(problem: Problem, proven: bool) -> list[str]:
    """Which rule to blame, found by relaxing the rules one at a time (then all at once)."""
    tables = problem.tables
    eligible, seat_count = able_members(problem), tables.seats_per_shift
    if not proven:
        return [
            f"no plan was found within the search budget ({problem.budget.per_try} units of "
            "work per try), but none was proven impossible either: try another --seed, or "
            "relax min_gap, max_shifts or distinct_teams"
        ]
    relaxations = _relaxations(problem)
    reasons = [
        f"{text}: a plan exists with {label}"
        for text, relaxed, label in relaxations
        if feasible(problem, relaxed)
    ]
    if reasons:
        return reasons
    if len(relaxations) > 1 and feasible(problem, _all_relaxed(tables.rotation, relaxations)):
        labels = [label for _, _, label in relaxations]
        return [
            "no single rule is to blame, but together they leave too few people: "
            f"a plan exists with {', '.join(labels)}"
        ]
    return [
        f"the {eligible} eligible member(s) cannot fill {seat_count} seat(s) on each of the "
        f"{len(tables.slots)} shift(s) under the rules together"
    ]


def _relaxations(problem: Problem) -> list[Relaxation]:
    """Each rule that could be to blame, relaxed on its own."""
    tables, history = problem.tables, problem.history
    rotation = tables.rotation
    rules = rotation.rules
    eligible, seat_count = able_members(problem), tables.seats_per_shift
    relaxations: list[Relaxation] = []
    if rules.min_gap:
        relaxations.append((
            f"with min_gap {rules.min_gap}, the {eligible} eligible member(s) cannot fill "
            f"{seat_count} seat(s) on every shift",
            replace(rotation, rules=replace(rules, min_gap=0)),
            "min_gap 0",
        ))
    if rules.max_shifts is not None:
        relaxations.append((
            f"with max_shifts {rules.max_shifts}, the {eligible} eligible member(s) "
            f"cannot fill {seat_count * len(tables.slots)} seat(s)",
            replace(rotation, rules=replace(rules, max_shifts=None)),
            "no max_shifts",
        ))
    if tables.teams_required and seat_count > 1:
        relaxations.append((
            "distinct_teams: required leaves too few pairs from different teams",
            replace(rotation, rules=replace(rules, distinct_teams=DistinctTeams.OFF)),
            "distinct_teams: off",
        ))
    if any(history.shadows_needed) or problem.deferred:
        learners = [
            member.handle
            for m, (member, need) in enumerate(
                zip(tables.members, history.shadows_needed, strict=True)
            )
            if need or m in problem.deferred
        ]
        relaxations.append((
            f"newcomers {names(learners)} must first shadow "
            f"{rotation.onboarding.shadow_shifts} shift(s) each beside an experienced "
            "primary, which leaves too few primaries",
            replace(rotation, onboarding=Onboarding(0)),
            "no shadow shifts",
        ))
    return relaxations


def _all_relaxed(rotation: Rotation, relaxations: list[Relaxation]) -> Rotation:
    """The rotation with every one of ``relaxations`` applied together."""
    everything = rotation
    for _, relaxed, _ in relaxations:
        everything = replace(
            everything,
            rules=replace(
                everything.rules,
                min_gap=min(everything.rules.min_gap, relaxed.rules.min_gap),
                max_shifts=relaxed.rules.max_shifts
                if relaxed.rules.max_shifts is None
                else everything.rules.max_shifts,
                distinct_teams=relaxed.rules.distinct_teams
                if relaxed.rules.distinct_teams is DistinctTeams.OFF
                else everything.rules.distinct_teams,
            ),
            onboarding=relaxed.onboarding
            if relaxed.onboarding.shadow_shifts == 0
            else everything.onboarding,
        )
    return everything


def feasible(problem: Problem, rotation: Rotation) -> bool:
    """Whether ``rotation`` (a relaxed one) has a plan at all, found with a small budget."""
    tables, per_try = problem.tables, problem.budget.per_try
    relaxed = Problem(
        rotation,
        tables.calendar,
        problem.history.kept,
        tables.plan_from,
        0,
        budget=WorkBudget(per_try // 2, per_try),
    )
    if static_reasons(relaxed) or relaxed.forced.conflict is not None:
        return False
    if short_of_turns(relaxed) is not None:
        return False
    return decide(relaxed, None, None, per_try // 4).seating is not None


def names(handles: Sequence[str]) -> str:
    if len(handles) <= 1:
        return "".join(handles)
    return ", ".join(handles[:-1]) + " and " + handles[-1]
