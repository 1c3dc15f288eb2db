"""Fairness in duty days or hours, not only in shifts (``rules.fairness``).

A weekly shift shortened by a holiday is four duty days, not five; a long window on some
days is more hours. The band search balances shifts, exactly. With ``fairness: days`` (the
default) or ``hours``, a second pass then moves primaries between shifts so that each
member's duty in that unit (carried in from earlier terms, kept shifts and planned ones)
is as even as it can make it, without ever leaving the shift band the search proved
optimal: a swap of two shifts between two members keeps both counts, and a shift handed
from one member to another keeps every count inside the band. Every move is one the seat
board allows (``SeatBoard.may_take``, mentors for shadows, team rules), so the hard rules
hold as before and team mixing never gets worse.

The pass is a deterministic descent on (spread, told assignments lost, sum of squares)
within a fixed amount of work: fairness comes before stability, so a re-plan may move a
told shift to narrow the spread, but never only to even out loads within it.
``lower_bound`` counts duty as the band test
counts seats, so when the spread the pass reaches equals it the result is proven optimal
over every plan, not only over plans with this shift band; otherwise the summary says
"best found" and what might be possible.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from typing import Literal

from oncall.core.availability import days_to_cover
from oncall.core.duty_calendar import ShiftSlot
from oncall.planner.board import SeatBoard
from oncall.planner.problem import Problem
from oncall.planner.tables import Seat

MOVES_PER_SHIFT = 4  # improving moves allowed per planned shift: a fixed, machine-free limit
BOUND_WORK = 2_000_000  # member checks the bound may spend before it settles for what it proved
# A move of the evening-out search: ("swap", a, s, b, t) trades a's shift s for b's shift t;
# ("give", out, s, into) hands shift s from out to into.
_Move = tuple[Literal["swap"], int, int, int, int] | tuple[Literal["give"], int, int, int]


class Weights:
    """Each planned shift's weight in the unit (duty days, or minutes of duty for hours)
    and each member's weighted load before the planned shifts (ledger and kept shifts)."""

    def __init__(self, problem: Problem, unit: str) -> None:
        tables = problem.tables
        self.unit = unit
        self.problem = problem
        self.slot = [self.weight(slot) for slot in tables.slots]
        self.covered = tables.rotation.shift.cover == "day"
        self._own: dict[tuple[int, int], int] = {}
        n = len(tables.members)
        self.before = [0] * n
        for shift in problem.history.kept:
            slot = tables.calendar.slot_of(shift.start)
            if slot is None:
                continue
            for handle in shift.primary:
                m = tables.number.get(handle)
                if m is not None:
                    self.before[m] += self.weight(slot)
        nominal = self._nominal_minutes()
        for m, member in enumerate(tables.members):
            served = problem.history.carried_in.get(member.handle)
            if served is None:
                continue
            self.before[m] += (
                served.load if unit == "days" else served.minutes + served.credited * nominal
            )
        # Pro-rated shares (``core.fair_share``): loads are compared less each member's
        # expected share, raised by ``offset`` to stay whole (as ``Problem.offset``).
        self.expected, self.offset = problem.unit_offsets(self.day)
        self.before = [b + o for b, o in zip(self.before, self.offset, strict=True)]

    def weight(self, slot: ShiftSlot) -> int:
        return sum(self.day(day) for day in slot.duty_days)

    def day(self, day: date) -> int:
        """One duty day in the unit: 1, or its window's minutes (DST included)."""
        if self.unit != "hours":
            return 1
        rotation = self.problem.tables.rotation
        return rotation.window.minutes_on(day, rotation.tz)

    def of(self, m: int, t: int) -> int:
        """Shift ``t``'s weight for member ``m``: without the days a cover serves for them
        (``shift.cover: day``)."""
        key = (m, t)
        if key not in self._own:
            tables = self.problem.tables
            away = days_to_cover(tables.rotation, tables.term, tables.members[m], tables.slots[t])
            self._own[key] = self.slot[t] - sum(self.day(day) for day in away)
        return self._own[key]

    def _nominal_minutes(self) -> int:
        window = self.problem.tables.rotation.window
        return (window.end - window.start) % (24 * 60) or 24 * 60

    def loads(self, board: SeatBoard) -> list[int]:
        return [
            self.before[m] + sum(self.of(m, t) for t in board.primary_at[m])
            for m in range(len(self.before))
        ]

    def needs_pass(self) -> bool:
        """Whether the unit can differ from shifts at all: weights that vary, or duty
        carried in that is not a whole number of (equal) shifts."""
        if len(set(self.slot)) > 1 or self.covered:
            return True
        if not self.slot:
            return False
        size = self.slot[0]
        before = self.problem.history.primaries_before
        return any(b != size * c for b, c in zip(self.before, before, strict=True))


def balance(problem: Problem, seating: list[Seat], weights: Weights) -> list[Seat]:
    """The plan with duty in ``weights.unit`` as even as the pass finds, shift band kept."""
    counted = [m for m in range(len(problem.tables.members)) if problem.counted[m]]
    if len(counted) < 2:
        return seating
    board = SeatBoard(problem, seating)
    band = board.counted_loads()
    descent = _Descent(problem, board, weights, counted, min(band), max(band))
    for _ in range(MOVES_PER_SHIFT * max(1, len(problem.tables.slots))):
        if not descent.step():
            break
    return board.seating()


class _Descent:
    """One improving move at a time on (spread, sum of squares) of the counted loads."""

    def __init__(
        self,
        problem: Problem,
        board: SeatBoard,
        weights: Weights,
        counted: list[int],
        low: int,
        high: int,
    ) -> None:
        self.problem, self.board, self.weights = problem, board, weights
        self.counted, self.is_counted = counted, [False] * len(problem.tables.members)
        for m in counted:
            self.is_counted[m] = True
        self.low, self.high = low, high  # the shift band no move may leave
        self.load = weights.loads(board)

    def step(self) -> bool:
        ranked = sorted(self.counted, key=lambda m: (self.load[m], m))
        self.top = [(self.load[m], m) for m in ranked[-3:]][::-1]
        self.bottom = [(self.load[m], m) for m in ranked[:3]]
        # Scores are (spread, told assignments lost, change in the sum of squares).
        current = (self._objective({})[0], 0, 0)
        best: tuple[tuple[int, int, int], _Move] | None = None
        for extreme in (ranked[-1], ranked[0]):
            for move, change in self._moves(extreme):
                spread, squares = self._objective(change)
                score = (spread, self._told_lost(move), squares)
                if score < current and (best is None or score < best[0]):
                    best = (score, move)
        if best is None:
            return False
        self._apply(best[1])
        return True

    def _told_lost(self, move: _Move) -> int:
        """Assignments people were told (a re-plan) that ``move`` takes away, net: a
        narrower spread may cost some, evenness within the same spread may not."""
        told = self.problem.told
        if told.empty:
            return 0

        def kept(m: int, t: int) -> int:
            return int(m in told.primaries[t])

        if move[0] == "swap":
            _, a, s, b, t = move
            return kept(a, s) + kept(b, t) - kept(a, t) - kept(b, s)
        _, out, s, into = move
        return kept(out, s) - kept(into, s)

    def _objective(self, change: dict[int, int]) -> tuple[int, int]:
        """(spread, sum of squares) of the counted loads after ``change`` (member: delta),
        from the three highest and lowest: a move changes two members at most."""
        highest = max(
            [v for v, m in self.top if m not in change]
            + [self.load[m] + d for m, d in change.items() if self.is_counted[m]]
        )
        lowest = min(
            [v for v, m in self.bottom if m not in change]
            + [self.load[m] + d for m, d in change.items() if self.is_counted[m]]
        )
        squares = sum(
            (self.load[m] + d) ** 2 - self.load[m] ** 2
            for m, d in change.items()
            if self.is_counted[m]
        )
        return highest - lowest, squares

    def _moves(self, m: int) -> Iterator[tuple[_Move, dict[int, int]]]:
        """Moves that change ``m``'s load: hand a shift over, take one, or swap one."""
        board, slot = self.board, self.weights.slot
        count = board.load
        members = range(len(count))
        mine = sorted(board.primary_at[m])
        for s in mine:
            for t in range(len(slot)):
                if t in board.primary_at[m] or (
                    not self.weights.covered and slot[t] == slot[s]
                ):
                    continue
                for other in board.primaries[t]:
                    if (
                        other != m
                        and s not in board.primary_at[other]
                        and self._swap_ok(m, s, other, t)
                    ):
                        w = self.weights.of
                        change = {m: w(m, t) - w(m, s), other: w(other, s) - w(other, t)}
                        if change[m] or change[other]:
                            yield ("swap", m, s, other, t), change
            if count[m] - 1 >= self.low or not self.is_counted[m]:
                for other in members:
                    if other != m and count[other] + 1 <= self.high and self._give_ok(m, s, other):
                        w = self.weights.of
                        yield ("give", m, s, other), {m: -w(m, s), other: w(other, s)}
        if count[m] + 1 <= self.high:
            for t in range(len(slot)):
                if t in board.primary_at[m]:
                    continue
                for other in board.primaries[t]:
                    if (count[other] - 1 >= self.low or not self.is_counted[other]) and (
                        self._give_ok(other, t, m)
                    ):
                        w = self.weights.of
                        yield ("give", other, t, m), {other: -w(other, t), m: w(m, t)}

    def _teams_ok(self, t: int, out: int, into: int) -> bool:
        board, tables = self.board, self.problem.tables
        after = [p for p in board.primaries[t] if p != out] + [into]
        if tables.breaks_required(after):
            return False
        return not (tables.teams_preferred and not board.same_team(t) and tables.same_team(after))

    def _give_ok(self, out: int, s: int, into: int) -> bool:
        board = self.board
        return (
            board.may_take(into, s)
            and board.mentored_after(s, out, into)
            and self._teams_ok(s, out, into)
        )

    def _swap_ok(self, a: int, s: int, b: int, t: int) -> bool:
        board = self.board
        return (
            board.may_take(a, t, leaving=s)
            and board.may_take(b, s, leaving=t)
            and board.mentored_after(s, a, b)
            and board.mentored_after(t, b, a)
            and self._teams_ok(s, a, b)
            and self._teams_ok(t, b, a)
        )

    def _apply(self, move: _Move) -> None:
        board = self.board
        if move[0] == "swap":
            _, a, s, b, t = move
            board.move(a, s, t)
            board.move(b, t, s)
            w = self.weights.of
            self.load[a] += w(a, t) - w(a, s)
            self.load[b] += w(b, s) - w(b, t)
        else:
            _, out, s, into = move
            board.move(out, s, None)
            board.move(into, None, s)
            self.load[out] -= self.weights.of(out, s)
            self.load[into] += self.weights.of(into, s)


def lower_bound(problem: Problem, weights: Weights) -> int:
    """A proven lower bound on the spread of duty in the unit over every plan.

    For a band ``[lo, hi]`` of duty, each member lies between what they already carry and
    the heaviest shifts they could take alone, and must take a whole number of shifts
    ``k`` with ``k`` times their lightest shift at most ``hi`` and ``k`` times their
    heaviest at least ``lo``; the seats and the duty to fill must both fit. A week short
    by a holiday thus cannot be split: with weeks of 4 and 5 days, loads of 13 and 14 need
    three shifts each, so 26 seats over 9 people rule that band out."""
    tables = problem.tables
    members = range(len(tables.members))
    counted = [m for m in members if problem.counted[m]]
    if len(counted) < 2:
        return 0
    # Everything in units of the weights' common divisor: hours (minutes) of equal windows
    # become whole days again, so the bands below are few.
    unit = math.gcd(*weights.slot, *weights.before) or 1
    before = [b // unit for b in weights.before]
    slot = [w // unit for w in weights.slot]
    shape = [_shape(problem, slot, m) for m in members]  # (cap, lightest, heaviest, most)
    seats = tables.seats_per_shift * len(tables.slots)
    total = tables.seats_per_shift * sum(slot)
    others = [m for m in members if not problem.counted[m] and shape[m][0] > 0]
    low = min(before[m] for m in counted)
    high = max(before[m] + shape[m][3] for m in counted)

    def holds(lo: int, hi: int) -> bool:
        need = room = fewest = most = 0
        for m in counted:
            cap, light, heavy, weight = shape[m]
            floor, ceiling = lo - before[m], min(hi, before[m] + weight) - before[m]
            if ceiling < max(floor, 0):
                return False
            need, room = need + max(floor, 0), room + ceiling
            k_low = -(-max(floor, 0) // heavy) if heavy else 0
            k_high = min(cap, ceiling // light) if light else 0
            if k_low > k_high:
                return False
            fewest, most = fewest + k_low, most + k_high
        for m in others:  # members of part of the term: not in the spread, any load
            cap, _, _, weight = shape[m]
            room, most = room + weight, most + cap
        return need <= total <= room and fewest <= seats <= most

    work = 0
    for spread in range(max(0, high - low) + 1):
        for lo in range(max(min(0, low), low - spread), high + 1):  # low < 0: days given away
            if holds(lo, lo + spread):
                return spread * unit
            work += len(counted)
            if work > BOUND_WORK:
                # Every narrower spread is already ruled out: still a lower bound.
                return spread * unit
    return max(0, high - low) * unit


def _shape(problem: Problem, slot: list[int], m: int) -> tuple[int, int, int, int]:
    """Member ``m`` alone: most shifts (as the band test counts them), lightest and
    heaviest shift they can take, and the most weight those shifts could add up to."""
    tables = problem.tables
    able = sorted(
        (slot[t] for t in range(len(tables.slots)) if tables.can_take[m][t]),
        reverse=True,
    )
    cap = max(0, problem.start_capacity[m])
    if not able or cap == 0:
        return 0, 0, 0, 0
    return cap, able[-1], able[0], sum(able[:cap])
