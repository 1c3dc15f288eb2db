"""Fewer same-team shifts with ``distinct_teams: preferred``, never at fairness's cost.

``fewer_clashes`` searches the fairest band again with a limit on same-team shifts (branch
and bound, or a cheapest flow when that is exact) and says whether its count is proven the
fewest; ``mix_teams`` then mops up with moves on the seat board that keep every load
inside the plan's band.
"""

from __future__ import annotations

from typing import NamedTuple

from oncall.planner.board import SeatBoard
from oncall.planner.bounds import band_candidates, clash_bound, flow_clash_bound
from oncall.planner.budget import WorkBudget
from oncall.planner.problem import Problem
from oncall.planner.relaxation import exact_by_flow, relaxed_plan
from oncall.planner.search import Outcome, search
from oncall.planner.tables import Seat


def mix_teams(problem: Problem, seating: list[Seat]) -> list[Seat]:
    """Make more shifts mixed-team without touching fairness: replace a primary by a
    member whose load stays inside the plan's band, or swap two primaries between shifts
    (loads unchanged). Every move keeps every hard rule."""
    tables = problem.tables
    if not tables.teams_preferred or tables.seats_per_shift < 2:
        return seating
    board = SeatBoard(problem, seating)
    loads = board.counted_loads()
    if not loads:  # nobody counted: nothing planned (or nobody could take a shift)
        return seating
    band = min(loads), max(loads)
    # Who to bring in first: the least loaded, then the seeded tie-break.
    order = sorted(range(len(tables.members)), key=lambda m: (board.load[m], tables.tiebreak[m]))
    for t in range(len(tables.slots)):
        if not board.same_team(t):
            continue
        for out in board.same_team_members(t):
            if _replace(board, t, out, order, band) or _swap(board, t, out):
                break
    return board.seating()


def _replace(
    board: SeatBoard, t: int, out: int, order: list[int], band: tuple[int, int]
) -> bool:
    """Give ``out``'s seat at ``t`` to a member of another team whose load stays within
    the band (and ``out``'s too)."""
    counted, (low, high), load = board.problem.counted, band, board.load
    for into in order:
        if (
            board.joins_team(into, t, out)
            or not counted[into]
            or load[into] + 1 > high
            or (counted[out] and load[out] - 1 < low)
            or not board.may_take(into, t)
            or not board.mentored_after(t, out, into)
        ):
            continue
        board.move(out, t, None)
        board.move(into, None, t)
        return True
    return False


def _swap(board: SeatBoard, t: int, out: int) -> bool:
    """Swap ``out`` (at ``t``) with a primary of another shift, nearest first, who is not
    of the team ``out`` clashes with there; that shift stays mixed (or was not)."""
    count = len(board.primaries)
    for other in sorted(range(count), key=lambda u: (abs(u - t), u)):
        if other == t:
            continue
        for into in list(board.primaries[other]):
            if board.joins_team(into, t, out):
                continue
            if not board.same_team(other) and board.joins_team(out, other, into):
                continue
            if not (
                board.may_take(into, t, other)
                and board.may_take(out, other, t)
                and board.mentored_after(t, out, into)
                and board.mentored_after(other, into, out)
            ):
                continue
            board.move(out, t, other)
            board.move(into, other, t)
            return True
    return False


class Mixed(NamedTuple):
    """The plan with the fewest same-team shifts found, and whether none of the fairest
    plans has fewer (every band's lower bound reached, or proven by the search)."""

    seating: list[Seat]
    proven: bool
    # A proven lower bound on the same-team shifts of the fairest plans (planned ones).
    floor: int = 0


def fewer_clashes(problem: Problem, best: list[Seat], units: int) -> Mixed:
    """Branch and bound on the number of same-team shifts, inside the fairest band.

    Per band, it first aims at a lower bound (``_band_bound``) and raises the aim while
    each aim is proven out of reach: a search that may add no same-team shift beyond the
    aim prunes hard, so it often lands on the optimum directly. If an aim can be neither
    met nor ruled out within its share of work, it falls back to lowering the best count
    found one search at a time, and the result is no longer proven. ``units`` is this
    pass's work, counted as what its searches take from the plan's budget."""
    spread = problem.spread_of(best)
    current = problem.clashes(best)
    work = WorkBudget(units)
    floor: int | None = None  # the least proven bound over the bands
    for lo in band_candidates(problem, spread):
        hi = lo + spread
        aim, exact = _band_bound(problem, lo, hi, current)
        while aim < current and not work.exhausted:
            share = units // 16 if exact is not None else max(units // 16, work.left // 2)
            outcome = _counted_search(problem, work, lo, hi, share, aim + 1)
            if outcome.seating is not None:
                best, current = outcome.seating, problem.clashes(outcome.seating)
                break
            if not outcome.proven:
                break
            aim += 1
        if exact is not None and problem.clashes(exact) < current:
            best, current = exact, problem.clashes(exact)
        while current > aim and not work.exhausted:
            share = max(units // 16, work.left // 2)
            outcome = _counted_search(problem, work, lo, hi, share, current)
            if outcome.seating is None:
                if outcome.proven:  # nothing below ``current`` in this band
                    aim = current
                break
            best, current = outcome.seating, problem.clashes(outcome.seating)
        floor = aim if floor is None else min(floor, aim)
    floor = min(floor if floor is not None else 0, current)
    return Mixed(best, floor >= current, floor)


def _band_bound(
    problem: Problem, lo: int, hi: int, current: int
) -> tuple[int, list[Seat] | None]:
    """A lower bound on the same-team shifts of the band's plans: counting seats
    (``clash_bound``), then, while that stays below ``current``, cheapest flows. For pairs
    without min_gap or shadows the cheapest flow is the exact optimum, returned too: the
    search still aims at it first, as its plans space each member's shifts."""
    history = problem.history
    aim = clash_bound(
        problem,
        0,
        problem.start_capacity,
        history.primaries_before,
        history.last_served,
        history.shadows_needed,
        lo,
        hi,
    )
    if aim >= current:
        return aim, None
    if problem.tables.seats_per_shift == 2 and exact_by_flow(problem):
        exact = relaxed_plan(problem, lo, hi, mixing=True)
        if exact is None:  # the exact flow says the band holds no plan at all
            return len(problem.tables.slots) + 1, None
        return max(aim, problem.clashes(exact)), exact
    return max(aim, flow_clash_bound(problem, lo, hi)), None


def _counted_search(
    problem: Problem, work: WorkBudget, lo: int, hi: int, share: int, clash_limit: int
) -> Outcome:
    """A search of the band, charged to ``work`` with what it took from the plan's budget
    (a quick proof leaves work for the next)."""
    left_before = problem.budget.left
    outcome = search(problem, lo, hi, share, clash_limit=clash_limit)
    work.spend(left_before - problem.budget.left)
    return outcome
