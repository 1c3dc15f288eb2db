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

from oncall import words
from oncall.core.availability import slot_blockers
from oncall.core.calendar import ShiftSlot
from oncall.core.model import DistinctTeams, Member, Onboarding, Rotation
from oncall.planner.budget import WorkBudget
from oncall.planner.decide import decide
from oncall.planner.forced import PEOPLE, TEAM
from oncall.planner.problem import Problem
from oncall.planner.turns import short_of_turns

MOST_SHIFTS_LISTED = 12

# A rule relaxed: what it blames, the rotation without it, and how to say "without it".
Relaxation = tuple[str, Rotation, str]


def say(problem: Problem, key: str, **values: object) -> str:
    """The explanation ``plan.key`` in the rotation's language (``oncall.words``)."""
    return words.say(problem.tables.rotation.language, f"plan.{key}", **values)


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
        slot_reasons = [*slot_reasons[:MOST_SHIFTS_LISTED], say(problem, "more_shifts", count=more)]
    return slot_reasons


def _slot_reason(problem: Problem, slot: ShiftSlot, able: list[Member]) -> str | None:
    """Why one shift cannot be filled by the members ``able`` to serve it, if it cannot."""
    seat_count = problem.tables.seats_per_shift
    if len(able) < seat_count:
        return _short_of_people(problem, slot, able)
    if problem.tables.teams_required and seat_count > 1:
        teams = sorted({m.team for m in able})
        if len(teams) < seat_count:
            comma = words.say(problem.tables.rotation.language, "list.separator")
            return say(
                problem, "short_of_teams", span=slot.span, seats=seat_count, able=len(able),
                teams=say(problem, "one_team", team=teams[0])
                if len(teams) == 1
                else say(problem, "some_teams", teams=comma.join(teams)),
            )
    return None


def _short_of_people(problem: Problem, slot: ShiftSlot, able: list[Member]) -> str:
    """A shift fewer members can take than it has seats, with everyone else's reason."""
    rotation = problem.tables.rotation
    blocked = []
    ineligible = 0
    for member in rotation.members:
        why = slot_blockers(rotation, problem.tables.term, member, slot)
        if any(rule in ("volunteers_only", "terms") for rule, _ in why):
            ineligible += 1
        elif why:
            reasons = say(problem, "reason_separator").join(r for _, r in why)
            blocked.append(say(problem, "blocked", handle=member.handle, reasons=reasons))
        elif member not in able:
            blocked.append(say(problem, "still_shadowing", handle=member.handle))
    tail = say(problem, "not_eligible", count=ineligible) if ineligible else ""
    listed = words.say(rotation.language, "list.separator").join(blocked)
    if not able:
        return say(
            problem, "nobody_available", span=slot.span,
            blocked=listed or say(problem, "no_members"), tail=tail,
        )
    return say(
        problem, "too_few_able", span=slot.span, seats=problem.tables.seats_per_shift,
        able=names([m.handle for m in able], rotation.language),
        blocked=say(problem, "not_available", blocked=listed) if blocked else "", tail=tail,
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
        start = say(problem, "newcomer", handle=handle, shadows=wanted)
        together = [
            t
            for t in range(len(tables.slots))
            if able[t] and any(tables.can_take[e][t] for e in mentors)
        ]
        if not mentors:
            reasons.append(say(problem, "newcomer_no_mentor", start=start))
        elif len(together) < need:
            reasons.append(say(
                problem, "newcomer_no_overlap", start=start, count=len(together),
                handle=handle, need=need,
            ))
        else:
            reasons.append(say(
                problem, "newcomer_no_room", start=start, min_gap=rules.min_gap,
                max_shifts=rules.max_shifts, need=need,
            ))
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
            shown = able and len(able) <= 10
            reasons.append(say(
                problem, "gap_window", span=span, min_gap=rules.min_gap, width=width,
                wanted=wanted, count=len(able),
                names=say(problem, "gap_window_names", names=names(able, tables.rotation.language))
                if shown
                else "",
            ))
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
        text = say(
            problem, "forced_max_shifts", why=_forced_why(problem, m, _amount(problem, count)),
            max_shifts=rules.max_shifts,
        )
        extra = history.served_before[m] + history.shadows_needed[m]
        if extra:
            text += say(problem, "forced_counting", count=count + extra)
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
            text = say(
                problem, "forced_min_gap_row",
                why=_forced_why(problem, m, _amount(problem, len(slots))),
                min_gap=rules.min_gap, handle=handle,
            )
        else:
            first, second = slots[conflict.shift].span, slots[conflict.other].span
            both = m in problem.forced.at[conflict.other]
            text = say(
                problem, "forced_min_gap_both" if both else "forced_min_gap_pair",
                why=_forced_why(problem, m, str(first)), second=second, min_gap=rules.min_gap,
                handle=handle,
            )
        label = largest_min_gap(problem)
    labels = [label] if label is not None else []
    if problem.forced.kind(m) == TEAM:
        rotation = tables.rotation
        soft = replace(rotation, rules=replace(rules, distinct_teams=DistinctTeams.PREFERRED))
        if feasible(problem, soft):
            labels.append(say(problem, "label_teams_preferred"))
    if not labels:
        return [say(problem, "alone_fails", text=text)]
    return [say(problem, "exists_with", text=text, labels=say(problem, "or_with").join(labels))]


def _amount(problem: Problem, count: int) -> str:
    total = len(problem.tables.slots)
    if count == total:
        return say(problem, "amount_all", total=total)
    return say(problem, "amount_some", count=count, total=total)


def group_word(problem: Problem) -> str:
    """What a shift's people are called together: pairs, triples, shifts of 4."""
    seats = problem.tables.seats_per_shift
    return say(problem, f"group_{seats}" if seats in (2, 3) else "group_n", seats=seats)


def _forced_why(problem: Problem, m: int, what: str) -> str:
    """Why member ``m`` must serve ``what`` (shifts or a shift), in words."""
    tables = problem.tables
    member = tables.members[m]
    seats = tables.seats_per_shift
    kind = problem.forced.kind(m)
    if kind == TEAM:
        mates = [
            k for k, other in enumerate(tables.members)
            if other.team == member.team and any(tables.can_take[k])
        ]
        who = say(
            problem, "team_of_one" if mates == [m] else "team_only_member",
            team=member.team, handle=member.handle,
        )
        return say(
            problem, "forced_team", who=who, group=group_word(problem), handle=member.handle,
            what=what,
        )
    if kind == PEOPLE:
        return say(problem, "forced_people", handle=member.handle, what=what, seats=seats)
    return say(problem, "forced_other", handle=member.handle, what=what)


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
    if high >= ceiling and high > needed:
        return say(problem, "label_no_max_shifts")
    return say(problem, "label_max_shifts", value=high)


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
    return say(problem, "label_min_gap", value=low)


def explain(problem: Problem, proven: bool) -> list[str]:
    """Which rule to blame, found by relaxing the rules one at a time (then all at once)."""
    tables = problem.tables
    eligible, seat_count = able_members(problem), tables.seats_per_shift
    if not proven:
        return [say(problem, "not_proven", budget=problem.budget.per_try)]
    relaxations = _relaxations(problem)
    reasons = [
        say(problem, "exists_with", text=text, labels=label)
        for text, relaxed, label in relaxations
        if feasible(problem, relaxed)
    ]
    if reasons:
        return reasons
    if len(relaxations) > 1 and feasible(problem, _all_relaxed(tables.rotation, relaxations)):
        labels = [label for _, _, label in relaxations]
        return [say(problem, "together", labels=say(problem, "label_separator").join(labels))]
    return [
        say(problem, "cannot_fill", eligible=eligible, seats=seat_count, shifts=len(tables.slots))
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
            say(problem, "blame_min_gap", min_gap=rules.min_gap, eligible=eligible,
                seats=seat_count),
            replace(rotation, rules=replace(rules, min_gap=0)),
            say(problem, "label_min_gap", value=0),
        ))
    if rules.max_shifts is not None:
        relaxations.append((
            say(problem, "blame_max_shifts", max_shifts=rules.max_shifts, eligible=eligible,
                seats=seat_count * len(tables.slots)),
            replace(rotation, rules=replace(rules, max_shifts=None)),
            say(problem, "label_no_max_shifts"),
        ))
    if tables.teams_required and seat_count > 1:
        relaxations.append((
            say(problem, "blame_teams"),
            replace(rotation, rules=replace(rules, distinct_teams=DistinctTeams.OFF)),
            say(problem, "label_teams_off"),
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
            say(problem, "blame_shadows", names=names(learners, rotation.language),
                shadows=rotation.onboarding.shadow_shifts),
            replace(rotation, onboarding=Onboarding(0)),
            say(problem, "label_no_shadows"),
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


def names(handles: Sequence[str], language: str) -> str:
    """Handles as a list in a sentence of ``language``: aiko, ken and mei; aiko、ken、mei."""
    return words.join(language, handles)
