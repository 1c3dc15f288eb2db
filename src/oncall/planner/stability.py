"""Re-planning with a previous schedule: keep as much of what people were told as these
searches find (no proof that none keeps more), never at the cost of fairness or, with
``distinct_teams: preferred``, of more same-team shifts.

A guided search per fairest band (previous people first) usually lands on the old plan
with only the forced changes; ``keep_more`` then gives told shifts back by moves on the
seat board (replacements, swaps and three-way cycles) that keep loads in the band.
"""

from __future__ import annotations

from oncall.planner.board import SeatBoard
from oncall.planner.bounds import band_candidates
from oncall.planner.budget import WorkBudget
from oncall.planner.mixing import mix_teams
from oncall.planner.problem import Problem
from oncall.planner.search import one_descent, search
from oncall.planner.tables import Seat


def keep_previous(problem: Problem, best: list[Seat], units: int) -> list[Seat]:
    """The plan keeping the most of the previous schedule that these searches find, among
    plans as fair as ``best`` and (distinct teams preferred) with no more same-team shifts:
    fairness, then distinct teams, then stability, then even spacing."""
    spread = problem.spread_of(best)
    mixing = problem.tables.teams_preferred and problem.tables.seats_per_shift > 1
    limit = problem.clashes(best) + 1 if mixing else None
    quick = one_descent(problem)
    options = [best]
    for rank, lo in enumerate(band_candidates(problem, spread)):
        outcome = search(
            problem,
            lo,
            lo + spread,
            units // 4 if rank == 0 else quick,
            clash_limit=limit,
            guided=True,
        )
        if outcome.seating is not None:
            options.append(mix_teams(problem, outcome.seating) if mixing else outcome.seating)
    improved = [keep_more(problem, option, quick) for option in options]
    fair = [option for option in improved if problem.spread_of(option) <= spread]
    return min(
        fair,  # min keeps the first of equals: deterministic
        key=lambda seating: (
            problem.clashes(seating) if mixing else 0,
            -problem.told.kept_of(seating),
        ),
    )


def keep_more(problem: Problem, seating: list[Seat], units: int) -> list[Seat]:
    """Give shifts back to the people who were told them, without touching fairness or
    distinct teams: replace a primary by a previous one whose load stays inside the plan's
    band, or move primaries between shifts (loads unchanged). A move is made only when it
    keeps more previous assignments and adds no same-team shift; every move keeps every
    hard rule. Shadows stay where the search put them."""
    if problem.told.empty:
        return seating
    return _GiveBack(problem, seating, units).run()


class _GiveBack:
    """One run of ``keep_more``: the seat board, the told primaries and this pass's
    budget (each seat test costs one unit per shift the member serves, each shift looked
    at one)."""

    def __init__(self, problem: Problem, seating: list[Seat], units: int) -> None:
        self.problem = problem
        self.seating = seating
        self.board = SeatBoard(problem, seating)
        self.told = problem.told.primaries
        self.work = WorkBudget(units)
        self.low = self.high = 0

    def run(self) -> list[Seat]:
        loads = self.board.counted_loads()
        if not loads:
            return self.seating
        self.low, self.high = min(loads), max(loads)
        board, rank = self.board, self.problem.tables.tiebreak.__getitem__
        improved = True
        while improved and not self.work.exhausted:
            improved = False
            for t in range(len(board.primaries)):
                for into in sorted(self.told[t] - set(board.primaries[t]), key=rank):
                    if self.work.exhausted:
                        break
                    if self._improve(t, into):
                        improved = True
        return board.seating()

    def _may_take(self, m: int, t: int, leaving: int | None) -> bool:
        self.work.spend(1 + len(self.board.served[m]))
        return self.board.may_take(m, t, leaving)

    def _clash_after(self, t: int, out: int, into: int) -> int | None:
        """1 if shift ``t`` is same-team with ``into`` for ``out``, else 0; None when that
        is not allowed (required teams, or no mentor left for a shadow)."""
        if not self.board.mentored_after(t, out, into):
            return None
        group = [into if m == out else m for m in self.board.primaries[t]]
        tables = self.problem.tables
        if tables.breaks_required(group):
            return None
        return 1 if tables.same_team(group) else 0

    def _clash_now(self, t: int) -> int:
        return 1 if self.board.same_team(t) else 0

    def _improve(self, t: int, into: int) -> bool:
        """One move that seats ``into`` at ``t`` and keeps more, if there is one."""
        outs = [m for m in self.board.primaries[t] if m not in self.told[t]]
        return (
            self._replace(t, into, outs)
            or self._swap(t, into, outs)
            or self._cycle(t, into, outs)
            or self._chain(t, into, outs)
        )

    def _replace(self, t: int, into: int, outs: list[int]) -> bool:
        """``into`` takes the seat of one of ``outs``: loads move by one inside the band."""
        board, counted = self.board, self.problem.counted
        if not (board.load[into] < self.high and self._may_take(into, t, None)):
            return False
        for out in outs:
            if counted[out] and board.load[out] <= self.low:
                continue
            clash = self._clash_after(t, out, into)
            if clash is None or clash > self._clash_now(t):
                continue
            board.move(out, t, None)
            board.move(into, None, t)
            return True
        return False

    def _chain(self, t: int, into: int, outs: list[int]) -> bool:
        """``into`` takes the seat of one of ``outs`` at ``t``, who takes the seat of
        ``other`` at ``u``: ``into`` gains a shift and ``other`` loses one, both inside the
        band (what ``_replace`` does when ``out`` has no load to give up)."""
        board, counted, told = self.board, self.problem.counted, self.told
        if board.load[into] >= self.high or not self._may_take(into, t, None):
            return False
        for out in outs:
            for u in sorted(range(len(board.primaries)), key=lambda u: (abs(u - t), u)):
                self.work.spend(1)
                if self.work.exhausted:
                    return False
                if u == t or out in board.primaries[u] or into in board.primaries[u]:
                    continue
                for other in board.primaries[u]:
                    if other in told[u] or (counted[other] and board.load[other] <= self.low):
                        continue
                    if self._chain_fits(t, u, into, out, other):
                        board.move(into, None, t)
                        board.move(out, t, u)
                        board.move(other, u, None)
                        return True
        return False

    def _chain_fits(self, t: int, u: int, into: int, out: int, other: int) -> bool:
        """Whether the chain adds no same-team shift and keeps every hard rule."""
        at_t = self._clash_after(t, out, into)
        at_u = self._clash_after(u, other, out)
        if at_t is None or at_u is None:
            return False
        if at_t + at_u > self._clash_now(t) + self._clash_now(u):
            return False
        return self._may_take(out, u, t)

    def _swap(self, t: int, into: int, outs: list[int]) -> bool:
        """``into`` and one of ``outs`` trade shifts ``u`` and ``t``: loads unchanged."""
        board, told = self.board, self.told
        for u in sorted(board.primary_at[into], key=lambda u: (abs(u - t), u)):
            self.work.spend(1)
            lost = 1 if into in told[u] else 0
            for out in outs:
                gain = 1 + (1 if out in told[u] else 0) - lost
                if gain <= 0 or out in board.primaries[u]:
                    continue
                here = self._clash_after(t, out, into)
                there = self._clash_after(u, into, out)
                if here is None or there is None:
                    continue
                if here + there > self._clash_now(t) + self._clash_now(u):
                    continue
                if not (self._may_take(into, t, u) and self._may_take(out, u, t)):
                    continue
                board.move(into, u, t)
                board.move(out, t, u)
                return True
        return False

    def _cycle(self, t: int, into: int, outs: list[int]) -> bool:
        """A cycle of three (loads unchanged): ``into`` u -> t, ``out`` t -> v, and
        ``other`` v -> u fills the seat ``into`` left."""
        board, count = self.board, len(self.board.primaries)
        for u in sorted(board.primary_at[into], key=lambda u: (abs(u - t), u)):
            for out in outs:
                for v in sorted(range(count), key=lambda v: (abs(v - t), v)):
                    self.work.spend(1)
                    if self.work.exhausted:
                        return False
                    if v in (t, u) or out in board.primaries[v]:
                        continue
                    for other in board.primaries[v]:
                        if self._cycle_fits(t, u, v, into, out, other):
                            board.move(into, u, t)
                            board.move(out, t, v)
                            board.move(other, v, u)
                            return True
        return False

    def _cycle_fits(self, t: int, u: int, v: int, into: int, out: int, other: int) -> bool:
        """Whether the cycle keeps more told shifts, adds no same-team shift and keeps
        every hard rule (three different people, each moving one seat of their own)."""
        board, told = self.board, self.told
        gain = (
            1
            + (out in told[v])
            + (other in told[u])
            - (into in told[u])
            - (other in told[v])
        )
        if gain <= 0 or other == into or other in board.primaries[u]:
            return False
        at_t = self._clash_after(t, out, into)
        at_u = self._clash_after(u, into, other)
        at_v = self._clash_after(v, other, out)
        if at_t is None or at_u is None or at_v is None:
            return False
        if at_t + at_u + at_v > self._clash_now(t) + self._clash_now(u) + self._clash_now(v):
            return False
        return (
            self._may_take(into, t, u)
            and self._may_take(out, v, t)
            and self._may_take(other, u, v)
        )
