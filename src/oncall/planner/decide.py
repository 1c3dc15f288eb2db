"""Deciding one band: a plan in it, a proof that there is none, or (out of work) neither.

Cheapest first: one quick descent settles the common roster; the flow relaxation proves
many impossible bands without searching; only then the full search, and when that runs
out of work but the flow is the exact problem, the flow's answer.
"""

from __future__ import annotations

from oncall.planner.problem import Problem
from oncall.planner.relaxation import exact_by_flow, relaxation_fails, relaxed_plan
from oncall.planner.search import Outcome, one_descent, search


def decide(problem: Problem, lo: int | None, hi: int | None, units: int) -> Outcome:
    """A plan with counted loads in ``[lo, hi]`` (None: unbounded), or proof there is none,
    or neither when the budget runs out; the full search gets ``units`` of work."""
    quick = search(problem, lo, hi, one_descent(problem))
    if quick.seating is not None or quick.proven:
        return quick
    if relaxation_fails(problem, lo, hi):
        return Outcome(None, True)
    outcome = search(problem, lo, hi, units)
    if outcome.seating is None and not outcome.proven and exact_by_flow(problem):
        return Outcome(relaxed_plan(problem, lo, hi), True)
    return outcome
