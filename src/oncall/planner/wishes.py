"""Soft wishes (``members[].prefers_not``): the last pass, after fairness, team mixing
and stability. It only swaps two members' primary shifts, and only when the swap keeps
every member's load (shift count, and weighted duty when ``rules.fairness`` is days or
hours), the number of same-team shifts, every told assignment and every hard rule (the
seat board's ``may_take``, mentors beside shadows, required teams). So it costs nothing
of what the earlier passes reached; it breaks fewer wishes when it can. Kept (history)
shifts are not on the board and never move; shadows stay where the search put them.

A deterministic descent on a work budget (``WorkBudget``), never a clock.
"""

from __future__ import annotations

from collections.abc import Iterator

from oncall.core.wishes import wished
from oncall.planner.board import SeatBoard
from oncall.planner.budget import WorkBudget
from oncall.planner.problem import Problem
from oncall.planner.tables import Seat
from oncall.planner.weights import Weights

WORK_PER_SHIFT = 400  # swap tests per planned shift: a fixed, machine-free limit


def keep_wishes(problem: Problem, seating: list[Seat], weights: Weights | None) -> list[Seat]:
    """``seating`` with as few wishes broken as these swaps find, all else unchanged."""
    tables = problem.tables
    wishing = [m for m, member in enumerate(tables.members) if member.prefers_not]
    if not wishing or not seating:
        return seating
    return _Swaps(problem, seating, weights, set(wishing)).run()


def _nearest_first(s: int, count: int) -> Iterator[int]:
    """The shifts other than ``s`` by distance from it, the earlier first on a tie."""
    for distance in range(1, count):
        for t in (s - distance, s + distance):
            if 0 <= t < count:
                yield t


class _Swaps:
    """One run of ``keep_wishes``: the seat board, each (member, shift)'s wish cost (duty
    days of the shift the member wishes off) and this pass's budget."""

    def __init__(
        self, problem: Problem, seating: list[Seat], weights: Weights | None, wishing: set[int]
    ) -> None:
        self.problem, self.weights = problem, weights
        self.board = SeatBoard(problem, seating)
        self.wishing = wishing
        self.work = WorkBudget(WORK_PER_SHIFT * len(seating))
        self._cost: dict[tuple[int, int], int] = {}

    def cost(self, m: int, t: int) -> int:
        """Duty days of shift ``t`` that member ``m`` wishes not to hold."""
        if m not in self.wishing:
            return 0
        key = (m, t)
        if key not in self._cost:
            member = self.problem.tables.members[m]
            days = self.problem.tables.slots[t].duty_days
            self._cost[key] = sum(1 for day in days if wished(member, day))
        return self._cost[key]

    def run(self) -> list[Seat]:
        board = self.board
        improved = True
        while improved and not self.work.exhausted:
            improved = False
            for m in sorted(self.wishing):
                for t in sorted(board.primary_at[m]):
                    if self.cost(m, t) and self._swap_away(m, t):
                        improved = True
                    if self.work.exhausted:
                        return board.seating()
        return board.seating()

    def _swap_away(self, a: int, s: int) -> bool:
        """Trade ``a``'s shift ``s`` for another member's shift when that breaks fewer
        wishes and keeps everything else; the nearest shifts are tried first."""
        board = self.board
        for t in _nearest_first(s, len(board.primaries)):
            if a in board.primaries[t]:
                continue
            for b in sorted(board.primaries[t]):
                if not self.work.spend(1):
                    return False
                if b in board.primaries[s]:
                    continue
                gain = self.cost(a, s) + self.cost(b, t) - self.cost(a, t) - self.cost(b, s)
                if gain > 0 and self._swap_ok(a, s, b, t):
                    board.move(a, s, t)
                    board.move(b, t, s)
                    return True
        return False

    def _swap_ok(self, a: int, s: int, b: int, t: int) -> bool:
        """Whether ``a`` (at ``s``) and ``b`` (at ``t``) may trade: loads, same-team count,
        told assignments and hard rules all unchanged or kept."""
        weights, told = self.weights, self.problem.told.primaries
        if weights is not None and (
            weights.of(a, s) != weights.of(a, t) or weights.of(b, t) != weights.of(b, s)
        ):
            return False
        if (a in told[t]) + (b in told[s]) < (a in told[s]) + (b in told[t]):
            return False
        board, tables = self.board, self.problem.tables
        after_s = [b if p == a else p for p in board.primaries[s]]
        after_t = [a if p == b else p for p in board.primaries[t]]
        if tables.breaks_required(after_s) or tables.breaks_required(after_t):
            return False
        if tables.same_team(after_s) + tables.same_team(after_t) != (
            board.same_team(s) + board.same_team(t)
        ):
            return False
        return (
            board.mentored_after(s, a, b)
            and board.mentored_after(t, b, a)
            and board.may_take(a, t, leaving=s)
            and board.may_take(b, s, leaving=t)
        )
