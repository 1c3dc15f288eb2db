"""The planner: fills every shift of a term so that the hard rules hold and primary duty is
shared as evenly as the rules allow.

Contract: one shift per slot from ``plan_from`` on, ``rotation.shift.people`` primaries each,
every hard rule of ``rules`` kept (kept history included), every eligible newcomer given
their remaining shadow shifts (a newcomer who cannot get them makes the plan infeasible,
with the reason: silently leaving them out would hide a roster problem from the lead).

Why this design:

* Fairness is a promise, so the planner proves it. It first computes a lower bound on the
  spread (max - min primary shifts over the counted members) by water-filling the seats
  over each member's capacity: how many shifts they could take alone, under availability,
  ``min_gap`` (the longest gap-respecting chain of their eligible shifts, exact on a line),
  ``max_shifts`` and their remaining shadow shifts. Then it looks for a plan whose loads
  stay inside a band ``[lo, lo + s]`` for ``s`` = bound, bound + 1, ... The first band that
  holds is the optimum, because every narrower one was proven impossible.
* A band is decided by a complete depth-first search, shift by shift, that tries the most
  urgent members first (those whose remaining chances barely cover the band's minimum,
  then the least loaded, then the longest rested, which also spreads each member's shifts
  evenly in time; ``seed`` breaks the remaining ties). Each step checks necessary
  conditions (every member can still reach ``lo``, the seats left fit the capacities left,
  the next ``min_gap + 1`` shifts have enough different people, every newcomer can still
  finish shadowing), so on a roster with slack the first descent lands on the bound.
* Before searching a band exhaustively, max-flows with lower bounds (``flow.py``) over
  shift -> (shift, team) -> member check the band with each member's capacity, also with
  the shifts cut into blocks of ``min_gap + 1`` (at most one shift per member per block).
  They relax the real problem, so "no flow" proves the band impossible. Without
  ``min_gap`` and without newcomers still shadowing, the flow is the exact problem.
* Newcomers shadow at the first shift they can (beside an experienced primary). Taking a
  shadow shift earlier never hurts anyone: only the newcomer's own later shifts move, and
  they only gain room. So the search need not branch on shadows and stays complete.
* With ``distinct_teams: preferred``, inside the fairest band a branch and bound lowers
  the number of same-team shifts. Its bound counts seats: a mixed shift takes at most one
  seat per team, so the other teams' remaining capacity (and the band minimum) caps how
  many shifts can still be mixed. It aims at that bound first and raises the aim while
  each aim is proven out of reach, so when the count it reaches equals the bound it is
  the optimum; otherwise it is the best found within the work budget (not guaranteed
  optimal). For pairs without ``min_gap`` or shadows a cheapest flow (a second seat from
  one team costs 1) gives the exact optimum outright. Fairness-neutral swaps and
  replacements then mop up. Fairness always comes first.
* Re-planning with ``previous`` (what people were told) keeps as much of it as the
  searches below find (not proven the most possible). Priority: fairness (exact, same
  optimum as without it) > distinct teams when preferred (no more same-team shifts than
  without it) > stability > even spacing. Inside
  the fairest band a guided search tries each shift's previous primaries first (only the
  order changes, so it stays complete), then replacements, swaps and three-way cycles
  that keep loads in the band and add no same-team shift give told shifts back. A new
  member therefore takes a few shifts (often late in the term) instead of reshuffling all.
* Every search has a work budget (never a clock, so the result does not depend on the
  machine). When it runs out the planner returns the best plan it found and says so with
  ``best_possible < spread``; it reports a roster infeasible only when that is proven
  (or, if nothing was found and nothing proven, says exactly that).
* Infeasibility is explained in plain words: shifts too few people can take (with each
  member's reason from ``rules.slot_blockers``), teams that cannot make distinct pairs,
  runs of shifts that ``min_gap`` makes need more people than can serve them, newcomers
  who cannot shadow, and, for rules that only bite together, the rule whose relaxation
  makes a plan exist.

Every rule is asked of ``rules``; this module only searches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from oncall.core.calendar import DutyCalendar
from oncall.core.errors import Infeasible
from oncall.core.model import DistinctTeams, Onboarding, Rotation
from oncall.core.rules import slot_blockers
from oncall.core.schedule import Shift
from oncall.planner.bounds import band_candidates, spread_range
from oncall.planner.budget import WorkBudget
from oncall.planner.mixing import fewer_clashes, mix_teams
from oncall.planner.problem import Problem
from oncall.planner.relaxation import exact_by_flow, relaxation_fails, relaxed_plan
from oncall.planner.results import Fairness, Plan
from oncall.planner.search import Outcome, one_descent, search
from oncall.planner.stability import keep_previous
from oncall.planner.tables import Seat


class _Problem(Problem):
    """The planner's steps, until each moves to its own module."""

    def to_plan(self, seats: list[Seat], best_possible: int) -> Plan:
        handle = [m.handle for m in self.tables.members]
        planned = [
            Shift(
                slot.first,
                slot.last,
                tuple(handle[m] for m in sorted(primaries, key=lambda m: handle[m])),
                tuple(handle[m] for m in sorted(shadows, key=lambda m: handle[m])),
            )
            for slot, (primaries, shadows) in zip(self.tables.slots, seats, strict=True)
        ]
        shifts = tuple(sorted((*self.history.kept, *planned), key=lambda shift: shift.start))
        loads = self.loads(seats)
        shadow = list(self.history.shadows_before)
        for _, shadows in seats:
            for m in shadows:
                shadow[m] += 1
        counted = tuple(handle[m] for m in range(len(self.tables.members)) if self.counted[m])
        by_handle = self.tables.rotation.by_handle
        distinct = 0
        with_primaries = 0
        for shift in shifts:
            if not shift.primary:
                continue
            with_primaries += 1
            teams = [by_handle[h].team if h in by_handle else h for h in shift.primary]
            if len(set(teams)) == len(teams):
                distinct += 1
        spread = self.spread_of(seats)
        fairness = Fairness(
            load={handle[m]: loads[m] for m in range(len(self.tables.members)) if self.counted[m]},
            shadow_load={
                handle[m]: shadow[m]
                for m in range(len(self.tables.members))
                if self.counted[m] or shadow[m]
            },
            counted=counted,
            spread=spread,
            best_possible=min(best_possible, spread),
            distinct_team_shifts=distinct,
            shifts=with_primaries,
        )
        return Plan(shifts, fairness, self.told.kept_of(seats), self.told.assignments)


def plan(
    rotation: Rotation,
    calendar: DutyCalendar,
    *,
    kept: Sequence[Shift] = (),
    plan_from: date | None = None,
    seed: int = 0,
    previous: Sequence[Shift] = (),
) -> Plan:
    """Plan every shift from ``plan_from`` on (all when None), keeping ``kept`` as history.

    ``previous`` are the shifts people were already told from ``plan_from`` on: among the
    fairest plans (and, with ``distinct_teams: preferred``, those with no more same-team
    shifts than the plan made without ``previous``) the planner keeps as many of their
    assignments as its search finds. Fairness is never traded for it, nor team mixing.

    Raises ``Infeasible`` with reasons when no plan can keep every hard rule.
    """
    problem = _Problem(rotation, calendar, kept, plan_from, seed, previous)
    reasons = _static_reasons(problem)
    if reasons:
        raise Infeasible(rotation.rotation, reasons)
    seats, best_possible, proven = _optimise(problem)
    if seats is None:
        raise Infeasible(rotation.rotation, _explain(problem, proven))
    return problem.to_plan(seats, best_possible)


def _optimise(problem: _Problem) -> tuple[list[Seat] | None, int, bool]:
    """The fairest plan found, a proven lower bound of its spread, and (when no plan was
    found) whether none exists."""
    lower, widest = spread_range(problem)
    work = problem.budget.per_try
    best: list[Seat] | None = None
    best_spread = widest + 1
    proven_below = lower  # every spread below this is proven impossible
    tried_plain = False
    for spread in range(lower, widest + 1):
        if spread >= best_spread:
            break
        all_proven = True
        for lo in band_candidates(problem, spread):
            seats, proven = _decide_band(problem, lo, lo + spread, work)
            if seats is not None:
                best, best_spread = seats, problem.spread_of(seats)
                break
            all_proven = all_proven and proven
        if best is not None and best_spread <= spread:
            break
        if all_proven and proven_below == spread:
            proven_below = spread + 1
        if best is None and not tried_plain:
            # The fairest bands failed: find any plan, to learn whether one exists at all.
            tried_plain = True
            outcome = _decide(problem, None, None, work)
            if outcome.seating is None:
                if outcome.proven:
                    return None, 0, True
            else:
                best, best_spread = outcome.seating, problem.spread_of(outcome.seating)
    if best is None:
        return None, 0, proven_below > widest
    if problem.tables.teams_preferred and problem.tables.seats_per_shift > 1:
        best = mix_teams(problem, best)
        if problem.clashes(best) > problem.tables.forced_clashes[0]:
            best = mix_teams(problem, fewer_clashes(problem, best, work // 2))
    if not problem.told.empty:
        best = keep_previous(problem, best, work // 2)
    return best, proven_below, True


def _decide_band(
    problem: _Problem, lo: int, hi: int, work: int
) -> tuple[list[Seat] | None, bool]:
    outcome = _decide(problem, lo, hi, work)
    return outcome.seating, outcome.proven


def _decide(problem: _Problem, lo: int | None, hi: int | None, work: int) -> Outcome:
    """A plan in the band, or proof there is none, or neither when the budget runs out."""
    # Enough for one descent with a little backtracking: the common roster ends here.
    quick = search(problem, lo, hi, one_descent(problem))
    if quick.seating is not None or quick.proven:
        return quick
    if relaxation_fails(problem, lo, hi):
        return Outcome(None, True)
    outcome = search(problem, lo, hi, work)
    if outcome.seating is None and not outcome.proven and exact_by_flow(problem):
        return Outcome(relaxed_plan(problem, lo, hi), True)
    return outcome


# --- explanations -------------------------------------------------------------------------


def _names(handles: Sequence[str]) -> str:
    if len(handles) <= 1:
        return "".join(handles)
    return ", ".join(handles[:-1]) + " and " + handles[-1]


def _static_reasons(problem: _Problem) -> list[str]:
    """Newcomers who cannot shadow, and shifts that too few people (or teams) can take,
    whatever else the plan does."""
    rotation = problem.tables.rotation
    people = problem.tables.seats_per_shift
    reasons = _newcomer_reasons(problem)
    first_primary = [problem.earliest_primary(m) for m in range(len(problem.tables.members))]
    slot_reasons: list[str] = []
    for t, slot in enumerate(problem.tables.slots):
        able = [
            member
            for m, member in enumerate(problem.tables.members)
            if problem.tables.can_take[m][t] and first_primary[m] <= t
        ]
        if len(able) < people:
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
                slot_reasons.append(
                    f"{slot.span}: nobody is available: "
                    + (", ".join(blocked) or "no members")
                    + tail
                )
            else:
                slot_reasons.append(
                    f"{slot.span} needs {people} primaries but only "
                    f"{_names([m.handle for m in able])} can serve it"
                    + (f"; not available: {', '.join(blocked)}" if blocked else "")
                    + tail
                )
            continue
        if problem.tables.teams_required and people > 1:
            teams = sorted({m.team for m in able})
            if len(teams) < people:
                slot_reasons.append(
                    f"{slot.span}: distinct_teams: required needs {people} teams, but all "
                    f"{len(able)} members who can serve it are in "
                    + (f"team {teams[0]}" if len(teams) == 1 else f"teams {', '.join(teams)}")
                )
    if not slot_reasons:
        slot_reasons = _gap_window_reasons(problem)
    if len(slot_reasons) > 12:
        slot_reasons = [*slot_reasons[:12], f"... and {len(slot_reasons) - 12} more shift(s)"]
    return reasons + slot_reasons


def _newcomer_reasons(problem: _Problem) -> list[str]:
    """Newcomers who cannot fit their shadow shifts into the term, and why."""
    reasons = []
    wanted = problem.tables.rotation.onboarding.shadow_shifts
    count = len(problem.tables.slots)
    mentors = [m for m in range(len(problem.tables.members)) if problem.tables.experienced[m]]
    for m, member in enumerate(problem.tables.members):
        need = problem.history.shadows_needed[m]
        if not need or problem.tables.capacity(
            m, 0, problem.history.last_served[m], problem.history.served_before[m], need
        ) >= 0:
            continue
        start = f"{member.handle} is new and must first shadow {wanted} shift(s) beside an " \
            "experienced primary"
        together = [
            t
            for t in range(count)
            if problem.tables.can_take[m][t] and any(problem.tables.can_take[e][t] for e in mentors)
        ]
        if not mentors:
            reasons.append(f"{start}, but no experienced member serves this term")
        elif len(together) < need:
            reasons.append(
                f"{start}, but only {len(together)} shift(s) have both {member.handle} and an "
                f"experienced member available ({need} needed)"
            )
        else:
            reasons.append(
                f"{start}, but min_gap {problem.tables.rotation.rules.min_gap} and max_shifts "
                f"{problem.tables.rotation.rules.max_shifts} leave room for fewer than {need}"
            )
    return reasons


def _gap_window_reasons(problem: _Problem) -> list[str]:
    """Runs of shifts so close together that min_gap lets nobody serve two of them: each
    run needs that many different people, whoever else is planned."""
    width = min(problem.tables.spacing, len(problem.tables.slots))
    if width <= 1:
        return []
    rules = problem.tables.rotation.rules
    wanted = problem.tables.seats_per_shift * width
    reasons: list[str] = []
    reported_until = -1
    prefix = problem.tables.able_before
    for first in range(len(problem.tables.slots) - width + 1):
        end = first + width
        if sum(1 for sums in prefix if sums[end] > sums[first]) >= wanted:
            continue
        able = [
            member.handle
            for member, sums in zip(problem.tables.members, prefix, strict=True)
            if sums[end] > sums[first]
        ]
        if first > reported_until:
            reported_until = first + width - 1
            slots = problem.tables.slots
            span = f"{slots[first].first}..{slots[first + width - 1].last}"
            reasons.append(
                f"{span}: with min_gap {rules.min_gap} nobody may serve two of these {width} "
                f"shifts, so they need {wanted} different people, but only {len(able)} can "
                f"serve them" + (f" ({_names(able)})" if able and len(able) <= 10 else "")
            )
    return reasons


def _explain(problem: _Problem, proven: bool) -> list[str]:
    """Which rule to blame, found by relaxing the rules one at a time."""
    rotation = problem.tables.rotation
    rules = rotation.rules
    eligible = len(problem.tables.members)
    people = problem.tables.seats_per_shift
    if not proven:
        return [
            f"no plan was found within the search budget ({problem.budget.per_try} units of work "
            "per try), but none was proven impossible either: try another --seed, or "
            "relax min_gap, max_shifts or distinct_teams"
        ]
    relaxations: list[tuple[str, Rotation, str]] = []
    if rules.min_gap:
        relaxations.append(
            (
                f"with min_gap {rules.min_gap}, the {eligible} eligible member(s) cannot fill "
                f"{people} seat(s) on every shift",
                replace(rotation, rules=replace(rules, min_gap=0)),
                "min_gap 0",
            )
        )
    if rules.max_shifts is not None:
        relaxations.append(
            (
                f"with max_shifts {rules.max_shifts}, the {eligible} eligible member(s) "
                f"cannot fill {people * len(problem.tables.slots)} seat(s)",
                replace(rotation, rules=replace(rules, max_shifts=None)),
                "no max_shifts",
            )
        )
    if problem.tables.teams_required and people > 1:
        relaxations.append(
            (
                "distinct_teams: required leaves too few pairs from different teams",
                replace(rotation, rules=replace(rules, distinct_teams=DistinctTeams.OFF)),
                "distinct_teams: off",
            )
        )
    if any(problem.history.shadows_needed):
        learners = [
            problem.tables.members[m].handle
            for m in range(eligible)
            if problem.history.shadows_needed[m]
        ]
        relaxations.append(
            (
                f"newcomers {_names(learners)} must first shadow "
                f"{rotation.onboarding.shadow_shifts} shift(s) each beside an experienced "
                "primary, which leaves too few primaries",
                replace(rotation, onboarding=Onboarding(0)),
                "no shadow shifts",
            )
        )
    reasons = []
    for text, relaxed, label in relaxations:
        if _feasible(problem, relaxed):
            reasons.append(f"{text}: a plan exists with {label}")
    if reasons:
        return reasons
    labels = [label for _, _, label in relaxations]
    if len(relaxations) > 1:
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
        if _feasible(problem, everything):
            return [
                "no single rule is to blame, but together they leave too few people: "
                f"a plan exists with {', '.join(labels)}"
            ]
    return [
        f"the {eligible} eligible member(s) cannot fill {people} seat(s) on each of the "
        f"{len(problem.tables.slots)} shift(s) under the rules together"
    ]


def _feasible(problem: _Problem, rotation: Rotation) -> bool:
    tables = problem.tables
    relaxed = _Problem(rotation, tables.calendar, problem.history.kept, tables.plan_from, 0)
    per_try = relaxed.budget.per_try
    relaxed.budget = WorkBudget(per_try // 2, per_try)
    if _static_reasons(relaxed):
        return False
    return _decide(relaxed, None, None, per_try // 4).seating is not None


