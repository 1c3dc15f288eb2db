"""Planning one rotation: the loop over spread bands (narrowest first, so the first band
that holds is the optimum, proven when every narrower one was proven impossible), then the
improving passes in the order of what matters: fairness, distinct teams, stability.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import NamedTuple

from oncall import words
from oncall.core.calendar import DutyCalendar
from oncall.core.errors import Infeasible
from oncall.core.model import Rotation
from oncall.core.schedule import Shift
from oncall.core.served import Served
from oncall.planner.bounds import band_candidates, spread_range
from oncall.planner.covers import assign_covers
from oncall.planner.decide import decide
from oncall.planner.explain import explain, forced_reasons, newcomer_reasons, static_reasons
from oncall.planner.explain_teams import shortage_reasons, turns_reasons
from oncall.planner.mixing import fewer_clashes, mix_teams
from oncall.planner.problem import Problem
from oncall.planner.results import Solution, to_solution
from oncall.planner.stability import keep_previous
from oncall.planner.tables import Seat
from oncall.planner.weights import Weights, balance
from oncall.planner.wishes import keep_wishes


def solve(
    rotation: Rotation,
    calendar: DutyCalendar,
    *,
    kept: Sequence[Shift] = (),
    plan_from: date | None = None,
    seed: int = 0,
    told: Sequence[Shift] = (),
    carried: Mapping[str, Served] | None = None,
    recent: Mapping[str, int] | None = None,
) -> Solution:
    """Solution every shift from ``plan_from`` on (all when None), keeping ``kept`` as history.

    ``told`` are the shifts people were already told from ``plan_from`` on: among the
    fairest plans (and, with ``distinct_teams: preferred``, those with no more same-team
    shifts than the plan made without ``told``) the planner keeps as many of their
    assignments as its search finds. Fairness is never traded for it, nor team mixing.

    ``carried`` is the duty served in earlier terms (the ledger): it starts each member's
    fairness load, so whoever served least so far goes first. ``recent`` says, per
    handle, how many shifts before this term they last served, so ``min_gap`` holds
    across the boundary between terms.

    Members present for part of the term (``joined``/``left`` inside it) are counted
    with a pro-rated share (``core.fair_share``), so a leaver is no free place to put a
    seat: they take the shifts fairness gives them, told or not.

    Raises ``Infeasible`` with reasons when no plan can keep every hard rule.
    """
    return _plan(rotation, calendar, kept, plan_from, seed, told, carried, recent)


def _plan(
    rotation: Rotation,
    calendar: DutyCalendar,
    kept: Sequence[Shift],
    plan_from: date | None,
    seed: int,
    previous: Sequence[Shift],
    carried: Mapping[str, Served] | None,
    recent: Mapping[str, int] | None,
) -> Solution:
    excluded: list[tuple[int, int]] = []  # (member, shift) pairs no cover could be found for
    while True:
        problem = Problem(
            rotation, calendar, kept, plan_from, seed, previous, carried=carried,
            excluded=frozenset(excluded), recent=recent,
        )
        reasons = (
            static_reasons(problem) or turns_reasons(problem) or forced_reasons(problem)
        )
        found = optimise(problem) if not reasons else None
        if found is not None and found.seating is None:
            # Asked only now: a count over every window, which a plan never needs.
            reasons = shortage_reasons(problem) or explain(problem, found.proven)
        if reasons or found is None or found.seating is None:
            raise Infeasible(
                rotation.id,
                [*_without_covers(problem, excluded), *reasons, *newcomer_reasons(problem)],
                language=rotation.language,
            )
        seating, weights = even_duty(problem, found.seating)
        if problem.spread_of(seating) > problem.spread_of(found.seating) or (
            problem.clashes(seating) > problem.clashes(found.seating)
        ):
            # A later pass never undoes what an earlier one proved: the shift band (and
            # the same-team count) stand, the duty pass's moves do not.
            seating = found.seating
        seating = keep_wishes(problem, seating, weights)  # last: costs nothing earlier
        covers, missing = assign_covers(problem, seating)
        if missing is None:
            # The passes after mixing never add a same-team shift; if one ever did, the
            # count would no longer be the proven one.
            proven = found.mixing_proven and problem.clashes(seating) <= problem.clashes(
                found.seating
            )
            return to_solution(
                problem, seating, found.best_possible, weights, covers, proven,
                found.mixing_floor,
            )
        excluded.append(missing)


def _without_covers(problem: Problem, excluded: list[tuple[int, int]]) -> list[str]:
    """Why the reasons below may not be the whole story: shifts members could not hold
    because no cover was found for one of their days (other covers might have helped)."""
    if not excluded:
        return []
    tables = problem.tables
    comma = words.say(tables.rotation.language, "list.separator")
    pairs = comma.join(f"{tables.members[m].handle} {tables.slots[t].span}" for m, t in excluded)
    return [words.say(tables.rotation.language, "plan.without_covers", pairs=pairs)]


class Optimum(NamedTuple):
    """The fairest plan found and a proven lower bound on its spread (``best_possible``);
    with no plan, whether none exists is ``proven``. ``mixing_proven``: with
    ``distinct_teams: preferred``, no plan at this spread has fewer same-team shifts."""

    seating: list[Seat] | None
    best_possible: int
    proven: bool
    mixing_proven: bool = False
    # With ``distinct_teams: preferred``: a proven lower bound on the planned same-team
    # shifts at this spread (printed with the count when it is not proven).
    mixing_floor: int = 0


def optimise(problem: Problem) -> Optimum:
    """Bands ``[lo, lo + spread]`` for spread = bound, bound + 1, ...: the first that holds
    is the best found; every spread whose bands were all proven empty raises the bound."""
    lower, widest = spread_range(problem)
    per_try = problem.budget.per_try
    best: list[Seat] | None = None
    best_spread = widest + 1
    proven_below = lower  # every spread below this is proven impossible
    tried_plain = False
    for spread in range(lower, widest + 1):
        if spread >= best_spread:
            break
        all_proven = True
        for lo in band_candidates(problem, spread):
            outcome = decide(problem, lo, lo + spread, per_try)
            if outcome.seating is not None:
                best, best_spread = outcome.seating, problem.spread_of(outcome.seating)
                break
            all_proven = all_proven and outcome.proven
        if best is not None and best_spread <= spread:
            break
        if all_proven and proven_below == spread:
            proven_below = spread + 1
        if best is None and not tried_plain:
            # The fairest bands failed: find any plan, to learn whether one exists at all.
            tried_plain = True
            outcome = decide(problem, None, None, per_try)
            if outcome.seating is None:
                if outcome.proven:
                    return Optimum(None, 0, True)
            else:
                best, best_spread = outcome.seating, problem.spread_of(outcome.seating)
    if best is None:
        return Optimum(None, 0, proven_below > widest)
    improved, mixing_proven, floor = _improve(problem, best)
    return Optimum(improved, proven_below, True, mixing_proven, floor)


def even_duty(problem: Problem, seating: list[Seat]) -> tuple[list[Seat], Weights | None]:
    """With ``fairness: days`` or ``hours``, the duty evened out inside the shift band
    (``weights``); the weights, or None when the unit cannot differ from shifts."""
    unit = problem.tables.rotation.rules.fairness
    if unit == "shifts":
        return seating, None
    weights = Weights(problem, unit)
    if not weights.needs_pass():
        return seating, weights
    return balance(problem, seating, weights), weights


def _improve(problem: Problem, best: list[Seat]) -> tuple[list[Seat], bool, int]:
    """The passes after fairness: fewer same-team shifts when teams are preferred, then
    (with a previous schedule) as much of it kept as they find. Also whether the count of
    same-team shifts is proven the fewest at this spread (no later pass adds one), and
    the proven lower bound on it."""
    tables, per_try = problem.tables, problem.budget.per_try
    proven, floor = False, tables.forced_clashes[0]
    if tables.teams_preferred and tables.seats_per_shift > 1:
        best = mix_teams(problem, best)
        proven = problem.clashes(best) <= tables.forced_clashes[0]
        if not proven:
            mixed = fewer_clashes(problem, best, per_try // 2)
            best, proven = mix_teams(problem, mixed.seating), mixed.proven
            floor = max(floor, mixed.floor)
    if not problem.told.empty:
        best = keep_previous(problem, best, per_try // 2)
    return best, proven, floor
