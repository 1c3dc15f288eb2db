"""The band search: a complete depth-first search, shift by shift, for a plan whose counted
loads stay inside a band ``[lo, hi]``.

It tries the most urgent members first (those whose remaining chances barely cover the
band's minimum, then the least loaded, then the longest rested, which also spreads each
member's shifts evenly in time; the seeded tie-break last), and checks necessary
conditions on entering every shift, so on a roster with slack the first descent lands on a
plan. Newcomers shadow at the first shift they can, which never hurts anyone, so the search
need not branch on shadows and stays complete: "no plan" from it is a proof, unless it ran
out of work.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter

from oncall.planner.bounds import clash_bound
from oncall.planner.budget import OutOfWork, WorkBudget
from oncall.planner.combos import primaries_to_try, told_first
from oncall.planner.problem import Problem
from oncall.planner.relaxation import exact_by_flow
from oncall.planner.tables import Seat

MEMO_LIMIT = 200_000  # failed search states remembered per search
BIAS = 1 << 30  # added to ``last`` in the packed order: never negative (NEVER = -BIAS)
MEMBER_MASK = (1 << 21) - 1  # the member's number in the packed order
GROUP_SHIFT = 21 + 32 + 42  # where (urgent, told) sits in the packed order
TEAM_COUNT_MEMBERS = 100  # rosters up to this size count seats per team at every step


@dataclass
class Outcome:
    """A plan (its seating), or None with whether "no plan" is proven."""

    seating: list[Seat] | None
    proven: bool


# One way to fill a shift: its primaries, its shadows, and 1 if the primaries share a team.
Choice = tuple[tuple[int, ...], tuple[int, ...], int]
# What ``_apply`` changed: the choice and each seated member's (number, last, served) before.
Change = tuple[tuple[int, ...], tuple[int, ...], int, list[tuple[int, int, int]]]
# One shift being decided: its choices left and the change applied.
Frame = tuple[Iterator[Choice], list[Change]]


def one_descent(problem: Problem) -> int:
    """Work enough for one descent with a little backtracking: the common roster ends
    there."""
    return 4 * (len(problem.tables.slots) + 1) * (len(problem.tables.members) + 60)


def search(
    problem: Problem,
    lo: int | None,
    hi: int | None,
    units: int,
    clash_limit: int | None = None,
    guided: bool = False,
) -> Outcome:
    """A band search within both ``units`` and what is left of the plan's budget."""
    with problem.budget.share(units) as work:
        return BandSearch(problem, lo, hi, work, clash_limit, guided).run()


class BandSearch:
    """Depth-first search for a plan with counted loads in ``[lo, hi]`` (either may be None:
    no bound) and, with ``clash_limit``, fewer than that many shifts whose primaries share
    a team.

    ``guided`` (with a previous schedule) tries each shift's previous primaries first when
    they are admissible, then the members among them, then the usual order: only the
    order changes, so the search stays complete and the band what it was.

    Iterative (an explicit stack of choice iterators), so a term of any length fits. The
    partial plan is kept as per-member state (``last``, ``served``, ``load``, ``need``),
    changed by ``_apply`` and restored by ``_undo``.
    """

    def __init__(
        self,
        problem: Problem,
        lo: int | None,
        hi: int | None,
        work: WorkBudget,
        clash_limit: int | None = None,
        guided: bool = False,
    ) -> None:
        self.problem = problem
        self.tables = tables = problem.tables
        self.lo, self.hi = lo, hi
        self.work = work
        self.clash_limit = clash_limit
        history = problem.history
        self.last = list(history.last_served)
        self.served = list(history.served_before)
        self.load = list(history.primaries_before)
        self.need = list(history.shadows_needed)
        self.seating: list[Seat] = []
        self.clashes = 0  # same-team shifts so far
        n = len(tables.members)
        self.node_cost = n + 10  # entering a shift looks at every member
        self.newcomers = [m for m in range(n) if self.need[m]]
        told = problem.told
        self.told = told.primaries if guided and not told.empty else None
        self.mixing = clash_limit is not None and tables.teams_preferred and (
            tables.seats_per_shift > 1
        )
        # Per team (teams required), the shifts from t on it can still serve: at most one
        # seat each. Left out when the flow is the exact problem, whose answer the planner
        # falls back on, so rosters it decided before are planned as before; and on large
        # rosters without a tight shift, where a team is never short of turns and the
        # count would only slow every step.
        self.team_left = (
            problem.team_shifts_left()
            if not exact_by_flow(problem)
            and (n <= TEAM_COUNT_MEMBERS or problem.forced.tight)
            else []
        )
        # Kept per member as the partial plan changes, for _candidates: the low fields of
        # the candidate order, and who may not be primary now whatever the shift (still
        # shadowing, at max_shifts, at the band's maximum).
        self.order = [self._order_key(m) for m in range(n)]
        self.shut = {m for m in range(n) if self._is_shut(m)}
        self.history_last = max(self.last, default=0)
        # Whether the band test needs only the room sum, which may then stop counting once
        # it covers the seats left: no load below ``lo`` (nobody short or urgent), no
        # counted load above ``hi`` (no negative room), no newcomer, and neither the team
        # count nor the mixing bound reads capacities. Large rosters (lo = 0) are so.
        loads = self.load
        self.room_only = not (self.newcomers or self.mixing or self.team_left) and (
            min(loads, default=0) >= (lo or 0)
            and (hi is None or all(loads[m] <= hi for m in range(n) if problem.counted[m]))
        )
        # States whose every continuation failed: reached again by another path (the same
        # people in another order), they fail again. Bounded, so memory stays small.
        self.failed: set[tuple[int, ...]] = set()

    def run(self) -> Outcome:
        count = len(self.tables.slots)
        if count == 0:
            return Outcome([] if self._complete() else None, True)
        self.work.spend(self.node_cost)  # the first shift is entered whatever is left
        root = self._enter(0)
        if root is None:
            return Outcome(None, True)
        # State keys are built only when needed: when a shift fails (its choices undone, the
        # state is the one it was entered with), or to look one up once some state failed.
        # A descent that never backtracks (large rosters) builds none.
        stack: list[Frame] = [(root, [])]
        while stack:
            options, applied = stack[-1]
            t = len(stack) - 1
            if applied:
                self._undo(applied.pop())
            try:
                choice = next(options, None)
            except OutOfWork:
                return Outcome(None, False)
            if choice is None:
                self._remember_failed(t)
                stack.pop()
                continue
            applied.append(self._apply(t, *choice))
            if t + 1 == count:
                if self._complete():
                    return Outcome(list(self.seating), True)
                continue
            if not self.work.spend(self.node_cost):
                return Outcome(None, False)
            if self.failed and self._state_key(t + 1) in self.failed:
                continue
            child = self._enter(t + 1)
            if child is None:
                self._remember_failed(t + 1)
            else:
                stack.append((child, []))
        return Outcome(None, True)

    def _remember_failed(self, t: int) -> None:
        """Remember that the current state at shift ``t`` has no continuation."""
        if len(self.failed) < MEMO_LIMIT:
            self.failed.add(self._state_key(t))

    def _complete(self) -> bool:
        """Every newcomer has shadowed and every counted member reached the band."""
        lo, load, counted = self.lo, self.load, self.problem.counted
        return not any(self.need) and (
            lo is None or all(load[m] >= lo for m in range(len(load)) if counted[m])
        )

    def _state_key(self, t: int) -> tuple[int, ...]:
        """What the rest of the search depends on at shift ``t`` (not how we got here)."""
        spacing = self.tables.spacing
        track_max = self.tables.max_shifts is not None
        last, load, need, served = self.last, self.load, self.need, self.served
        key = [t, self.clashes if self.clash_limit is not None else 0]
        for m in range(len(last)):
            key += (
                min(t - last[m], spacing),
                load[m],
                need[m],
                served[m] if track_max else 0,
            )
        return tuple(key)

    # --- entering a shift ---------------------------------------------------------------

    def _enter(self, t: int) -> Iterator[Choice] | None:
        """The choices for shift ``t`` in the order to try them; None when the necessary
        conditions already fail."""
        limit = self.clash_limit
        if limit is not None and self.clashes + self.tables.forced_clashes[t] >= limit:
            return None
        capacity = self._capacities(t)
        if capacity is None:
            return None
        if self.mixing and limit is not None and self.clashes + clash_bound(
            self.problem, t, capacity, self.load, self.last, self.need, self.lo, self.hi
        ) >= limit:
            return None
        if not self._gap_window_holds(t):
            return None
        told = self.told[t] if self.told is not None else frozenset()
        candidates = self._candidates(t, capacity, told)
        if len(candidates) < self.tables.seats_per_shift:
            return None
        return self._choices(t, candidates, told, self._learners(t))

    def _capacities(self, t: int) -> list[int] | None:
        """Each member's capacity from ``t`` on; None when a newcomer can no longer finish
        shadowing, a counted member can no longer reach ``lo``, or the seats left do not
        fit between what the counted members must and can still take. With ``room_only``
        the capacities are not needed, only the test: an empty list when it holds."""
        if self.room_only:
            return [] if self._room_covers(t) else None
        tables, counted = self.tables, self.problem.counted
        lo, hi = self.lo, self.hi
        last, served, load, need = self.last, self.served, self.load, self.need
        seats_left = tables.seats_per_shift * (len(tables.slots) - t)
        room_sum = 0
        short_sum = 0
        capacity = [0] * len(last)
        chains, spacing, count = tables.longest_chain, tables.spacing, len(tables.slots)
        max_shifts = tables.max_shifts
        for m in range(len(last)):
            if need[m]:
                cap = tables.capacity(m, t, last[m], served[m], need[m])
                if cap < 0:
                    return None
            else:  # tables.capacity without shadows, inline: this loop runs for everyone
                start = last[m] + spacing
                if start < t:
                    start = t
                if start >= count:
                    cap = 0
                else:
                    cap = (chains[m] or tables.chain_row(m))[start]
                    if max_shifts is not None and max_shifts - served[m] < cap:
                        cap = max(0, max_shifts - served[m])
            capacity[m] = cap
            if counted[m]:
                have = load[m]
                if lo is not None and have < lo:
                    if have + cap < lo:
                        return None
                    short_sum += lo - have
                room_sum += cap if hi is None else min(cap, hi - have)
            elif cap:  # a member of part of the term: below the band's maximum only
                room_sum += cap if hi is None else max(0, min(cap, hi - load[m]))
        if room_sum < seats_left or short_sum > seats_left:
            return None
        if self.team_left and not self._teams_fit(t, capacity, room_sum, seats_left):
            return None
        return capacity

    def _room_covers(self, t: int) -> bool:
        """``_capacities``' test when only the room sum matters (``room_only``): the
        members' room from ``t`` on covers the seats left. Every term is at least 0, so
        the count stops as soon as it does."""
        tables, counted, hi = self.tables, self.problem.counted, self.hi
        last, served, load = self.last, self.served, self.load
        seats_left = tables.seats_per_shift * (len(tables.slots) - t)
        chains, spacing, count = tables.longest_chain, tables.spacing, len(tables.slots)
        max_shifts = tables.max_shifts
        room_sum = 0
        for m in range(len(last)):
            start = last[m] + spacing
            if start < t:
                start = t
            if start >= count:
                continue
            cap = (chains[m] or tables.chain_row(m))[start]
            if max_shifts is not None and max_shifts - served[m] < cap:
                cap = max(0, max_shifts - served[m])
            if counted[m]:
                room_sum += cap if hi is None else min(cap, hi - load[m])
            elif cap:
                room_sum += cap if hi is None else max(0, min(cap, hi - load[m]))
            if room_sum >= seats_left:
                return True
        return room_sum >= seats_left

    def _teams_fit(self, t: int, capacity: list[int], room_sum: int, seats_left: int) -> bool:
        """The band test per team (``bounds._groups_fit``) from shift ``t`` on: a team
        takes at most one seat of each shift it can still serve, so what its members
        must still take, and what the others cannot, has to fit in those shifts."""
        team, counted, load = self.tables.team, self.problem.counted, self.load
        lo, hi = self.lo, self.hi
        teams = len(self.team_left)
        room, short = [0] * teams, [0] * teams
        for m, cap in enumerate(capacity):
            k, have = team[m], load[m]
            if counted[m]:
                if lo is not None and have < lo:
                    short[k] += lo - have
                room[k] += cap if hi is None else min(cap, hi - have)
            elif cap:
                room[k] += cap if hi is None else max(0, min(cap, hi - have))
        for k in range(teams):
            most = min(room[k], self.team_left[k][t])
            if short[k] > most or seats_left - (room_sum - room[k]) > most:
                return False
        return True

    def _gap_window_holds(self, t: int) -> bool:
        """min_gap lets nobody serve two of the next ``spacing`` shifts: enough different
        people must still be able to serve them."""
        tables = self.tables
        spacing, max_shifts, hi = tables.spacing, tables.max_shifts, self.hi
        width = min(spacing, len(tables.slots) - t)
        if width <= 1:
            return True
        last, served, load, need = self.last, self.served, self.load, self.need
        end = t + width
        fresh = 0
        wanted = tables.seats_per_shift * width
        for m in range(len(last)):
            sums = tables.able_before[m] or tables.able_row(m)
            begin = max(t, last[m] + spacing)
            if (
                begin < end
                and sums[end] > sums[begin]
                and not need[m]
                and (max_shifts is None or served[m] < max_shifts)
                and (hi is None or load[m] < hi)
            ):
                fresh += 1
                if fresh >= wanted:
                    return True
        return False

    def _candidates(self, t: int, capacity: list[int], told: frozenset[int]) -> list[int]:
        """Members who may be primary at ``t`` now, most urgent first: those whose
        remaining chances barely cover ``lo``, then (guided) the previous primaries, then
        the least loaded, then the longest rested, then the seeded tie-break."""
        tables, lo, hi = self.tables, self.lo, self.hi
        max_shifts, latest = tables.max_shifts, t - tables.spacing
        last, served, load, need = self.last, self.served, self.load, self.need
        able = compress(range(len(last)), map(itemgetter(t), tables.can_take))
        candidates: Iterable[int]
        if latest >= self.history_last:
            # Whoever served after ``latest`` sits in one of the last few shifts: the able
            # members less those and the shut ones, in C (the order comes from the sort).
            candidates = set(able)
            candidates -= self.shut
            for seat in self.seating[max(0, latest + 1) :]:
                candidates.difference_update(seat.primaries, seat.shadows)
        else:  # kept history still within min_gap of shift t
            candidates = [
                m
                for m in able
                if last[m] <= latest
                and not need[m]
                and (max_shifts is None or served[m] < max_shifts)
                and (hi is None or load[m] < hi)
            ]

        # The order (urgent, told, then ``order``: load, last, tie-break, member) packed in
        # one int per member: sorting ints beats sorting tuples on large rosters. Urgent:
        # the capacity (at least 1 for a candidate) only just covers what the member lacks
        # of lo; never so when every load is at lo or above (always with ``room_only``).
        floor = 0 if lo is None else lo
        order = self.order
        if not told and (not capacity or all(map(floor.__le__, load))):
            keys = sorted(map(order.__getitem__, candidates))
        else:
            capacity = capacity or [1] * len(last)
            keys = sorted(
                (
                    (0 if capacity[m] - max(0, floor - load[m]) <= 0 else 2)
                    | (0 if m in told else 1)
                ) << GROUP_SHIFT | order[m]
                for m in candidates
            )
        return [key & MEMBER_MASK for key in keys]

    def _is_shut(self, m: int) -> bool:
        """Whether ``m`` may not be primary now on any shift (see ``shut``)."""
        max_shifts, hi = self.tables.max_shifts, self.hi
        return bool(
            self.need[m]
            or (max_shifts is not None and self.served[m] >= max_shifts)
            or (hi is not None and self.load[m] >= hi)
        )

    def _refresh(self, m: int) -> None:
        """Bring ``order`` and ``shut`` up to date with member ``m``'s state."""
        self.order[m] = self._order_key(m)
        if self._is_shut(m):
            self.shut.add(m)
        else:
            self.shut.discard(m)

    def _order_key(self, m: int) -> int:
        """Member ``m``'s place in the candidate order below the first two fields (urgent,
        told): load, last served, the seeded tie-break, the member."""
        return (
            (self.load[m] << 32 | (self.last[m] + BIAS)) << 42
            | self.tables.tiebreak[m] << 21 | m
        )

    def _learners(self, t: int) -> tuple[int, ...]:
        """Newcomers still shadowing who could shadow shift ``t``."""
        tables = self.tables
        max_shifts, spacing = tables.max_shifts, tables.spacing
        last, served, need = self.last, self.served, self.need
        return tuple(
            m
            for m in self.newcomers
            if need[m]
            and tables.can_take[m][t]
            and last[m] + spacing <= t
            and (max_shifts is None or served[m] < max_shifts)
        )

    def _choices(
        self,
        t: int,
        candidates: list[int],
        told: frozenset[int],
        learners: tuple[int, ...],
    ) -> Iterator[Choice]:
        """The sets of primaries to try (the told ones first), each with the newcomers who
        shadow beside it: all of ``learners`` when an experienced primary is there."""
        tables, limit = self.tables, self.clash_limit
        may_clash = (
            limit is None or self.clashes + 1 + tables.forced_clashes[t + 1] < limit
        )
        first = told_first(tables, candidates, told, may_clash) if told else None
        if first is not None:
            self.work.spend_or_stop(1)
            yield first, self._shadows_beside(first, learners), int(tables.same_team(first))
        for combo in primaries_to_try(tables, candidates, bool(learners), may_clash, self.work):
            if first is not None and set(combo) == told:
                continue
            yield combo, self._shadows_beside(combo, learners), int(tables.same_team(combo))

    def _shadows_beside(
        self, primaries: tuple[int, ...], learners: tuple[int, ...]
    ) -> tuple[int, ...]:
        experienced = self.tables.experienced
        return learners if learners and any(experienced[m] for m in primaries) else ()

    # --- the partial plan -----------------------------------------------------------------

    def _apply(
        self, t: int, primaries: tuple[int, ...], shadows: tuple[int, ...], clash: int
    ) -> Change:
        last, served, load, need = self.last, self.served, self.load, self.need
        saved = [(m, last[m], served[m]) for m in primaries + shadows]
        self.clashes += clash
        for m in primaries:
            load[m] += 1
        for m in primaries + shadows:
            last[m] = t
            served[m] += 1
        for m in shadows:
            need[m] -= 1
        for m in primaries + shadows:
            self._refresh(m)
        self.seating.append(Seat(primaries, shadows))
        return primaries, shadows, clash, saved

    def _undo(self, change: Change) -> None:
        primaries, shadows, clash, saved = change
        self.seating.pop()
        self.clashes -= clash
        for m in primaries:
            self.load[m] -= 1
        for m in shadows:
            self.need[m] += 1
        for m, was_last, was_served in saved:
            self.last[m] = was_last
            self.served[m] = was_served
        for m, _, _ in saved:
            self._refresh(m)
