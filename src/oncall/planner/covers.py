"""One-day covers inside a longer shift (``shift.cover: day``).

With covers, a member who cannot serve some days of a weekly shift may still take it
(``rules.slot_blockers`` says so), and each day they cannot serve goes to a cover: the
eligible member with the least duty so far who may serve that day under every rule the
cover is held to (availability and membership that day, experience, min_gap and
max_shifts counting the covered shift as one they serve, distinct teams with the other
primaries that day). Covers are chosen after the shifts, day by day in date order, so
they even out the duty the shifts leave.

When some day finds no cover, the member cannot hold that shift after all: the planner
plans again without that pair (``excluded``). A plan that then does not exist is reported
as not proven impossible, since other covers might have made room.
"""

from __future__ import annotations

from datetime import date

from oncall.core.availability import day_blockers, days_to_cover
from oncall.planner.board import SeatBoard
from oncall.planner.problem import Problem
from oncall.planner.tables import Seat
from oncall.planner.weights import Weights

# Per planned shift: (day, member away, member covering).
Covers = dict[int, list[tuple[date, int, int]]]


def assign_covers(
    problem: Problem, seating: list[Seat]
) -> tuple[Covers, tuple[int, int] | None]:
    """Covers for every day a primary cannot serve, or the first (member, shift) pair for
    which some day has no possible cover. The fairest cover is the one with the fewest
    duty days so far, covers already given included."""
    tables = problem.tables
    if tables.rotation.shift.cover != "day":
        return {}, None
    board = SeatBoard(problem, seating)
    load = Weights(problem, "days").loads(board)
    covers: Covers = {}
    for t, slot in enumerate(tables.slots):
        for m in sorted(board.primaries[t]):
            for day in days_to_cover(tables.rotation, tables.term, tables.members[m], slot):
                that_day = [(out, c) for d, out, c in covers.get(t, []) if d == day]
                chosen = _cover(problem, board, t, day, m, that_day, load)
                if chosen is None:
                    return covers, (m, t)
                covers.setdefault(t, []).append((day, m, chosen))
                load[chosen] += 1
                load[m] -= 1
                board.served[chosen].add(t)
    return covers, None


def _cover(
    problem: Problem,
    board: SeatBoard,
    t: int,
    day: date,
    away: int,
    that_day: list[tuple[int, int]],
    load: list[int],
) -> int | None:
    """The fairest member who may cover ``away`` on ``day`` of shift ``t``; ``that_day``
    holds the covers already given that day as (member away, cover)."""
    tables, history = problem.tables, problem.history
    rotation, term = tables.rotation, tables.term
    covered = {out for out, _ in that_day}
    taken = [c for _, c in that_day]
    # Who serves beside the cover that day: the primaries there, and earlier covers.
    beside = [
        p
        for p in board.primaries[t]
        if p != away
        and p not in covered
        and not day_blockers(rotation, term, tables.members[p], day)
    ] + taken
    busy = set(board.primaries[t]) | set(board.shadows[t]) | set(taken)
    teams = {tables.team[p] for p in beside}
    best: tuple[tuple[int, int, int], int] | None = None
    for c, member in enumerate(tables.members):
        if c in busy or day_blockers(rotation, term, member, day):
            continue
        if not tables.experienced[c] and history.shadows_needed[c]:
            continue  # a newcomer still shadowing serves no day as primary
        if c in problem.deferred:
            continue  # a newcomer who cannot shadow this term is not planned in it
        if tables.teams_required and tables.team[c] in teams:
            continue
        if t < history.last_served[c] + tables.spacing:
            continue
        if any(abs(u - t) < tables.spacing for u in board.served[c] if u != t):
            continue
        if (
            tables.max_shifts is not None
            and t not in board.served[c]
            and history.served_before[c] + len(board.served[c]) >= tables.max_shifts
        ):
            continue
        key = (int(tables.team[c] in teams), load[c], tables.tiebreak[c])
        if best is None or key < best[0]:
            best = (key, c)
    return best[1] if best is not None else None
