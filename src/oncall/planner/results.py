"""What the planner hands back: the planned shifts and how fair they are."""

from __future__ import annotations

from dataclasses import dataclass, field

from oncall.core.rules import shares_team
from oncall.core.schedule import Shift
from oncall.planner.board import SeatBoard
from oncall.planner.covers import Covers
from oncall.planner.problem import Problem
from oncall.planner.tables import Seat
from oncall.planner.weights import Weights, lower_bound


@dataclass(frozen=True)
class Fairness:
    """How evenly primary duty is shared.

    ``counted`` are the members fairness is measured over: eligible members (volunteers
    when ``volunteers_only``, serving in this term, a member on some of its duty days) who
    already hold a kept primary shift or who could take at least one planned shift as
    primary if they were alone on the roster (available for the whole shift, within
    ``min_gap``/``max_shifts``, after their remaining shadow shifts). Members who cannot
    serve at all would pin the minimum and make every spread look the same, so they are
    left out. Members of part of the term (``joined`` or ``left`` inside it) are counted
    with a pro-rated ``expected`` share (``core.fair_share``): ``spread`` is that of
    ``load - expected``.
    """

    load: dict[str, int]
    shadow_load: dict[str, int]
    counted: tuple[str, ...]
    spread: int
    best_possible: int
    distinct_team_shifts: int
    shifts: int
    # Load carried in from earlier terms (the ledger), in shifts: part of ``load``.
    carried: dict[str, int] = field(default_factory=dict)
    # Fairness in duty days or hours (``rules.fairness``); None when it counts shifts.
    duty: DutyFairness | None = None
    # With ``distinct_teams: preferred`` and shifts of 2 or more: whether no plan at this
    # spread has more shifts from distinct teams (None when teams are not preferred).
    # Claimed only when the spread is proven optimal too: mixing is measured among the
    # fairest plans.
    distinct_teams_proven: bool | None = None
    # Eligible members who can take no planned shift and hold no primary one, so neither
    # counted nor in ``load``: handle -> why (the summary lists them with it).
    idle: dict[str, str] = field(default_factory=dict)
    # Each counted member's expected share of the term's primary shifts, pro-rated to
    # the duty days they are a member on (``core.fair_share``).
    expected: dict[str, int] = field(default_factory=dict)
    # With ``distinct_teams: preferred`` and shifts of 2 or more: the most shifts from
    # distinct teams any plan at this spread could have, by a proven bound (equal to
    # ``distinct_team_shifts`` when proven; None when teams are not preferred).
    distinct_teams_possible: int | None = None

    @property
    def proven_optimal(self) -> bool:
        return self.best_possible >= self.spread


@dataclass(frozen=True)
class DutyFairness:
    """How evenly duty is shared in ``unit`` (``days``, or ``hours`` kept in minutes):
    loads include earlier terms and kept shifts; ``best_possible`` is a proven lower bound
    on the spread over every plan."""

    unit: str
    load: dict[str, int]
    spread: int
    best_possible: int
    bounded: bool = True  # False with one-day covers: no bound is computed, none claimed
    # Each counted member's expected share in ``unit`` (``core.fair_share``).
    expected: dict[str, int] = field(default_factory=dict)

    @property
    def proven_optimal(self) -> bool:
        return self.best_possible >= self.spread


@dataclass(frozen=True)
class Solution:
    """The planned shifts (kept history included) and how fair they are.

    With a previous schedule, ``kept_assignments`` of its ``previous_assignments`` (shift,
    person, role) on the planned shifts are unchanged: the people who need not be told.
    """

    shifts: tuple[Shift, ...]
    fairness: Fairness
    kept_assignments: int = 0
    previous_assignments: int = 0


def to_solution(
    problem: Problem,
    seating: list[Seat],
    best_possible: int,
    weights: Weights | None = None,
    covers: Covers | None = None,
    mixing_proven: bool = False,
    mixing_floor: int = 0,
) -> Solution:
    """The plan people read: handles instead of numbers, kept shifts merged back in, and
    fairness measured over the whole term (kept shifts included)."""
    tables = problem.tables
    handle = [m.handle for m in tables.members]
    covers = covers or {}
    planned = [
        Shift(
            slot.first,
            slot.last,
            tuple(handle[m] for m in sorted(primaries, key=lambda m: handle[m])),
            tuple(handle[m] for m in sorted(shadows, key=lambda m: handle[m])),
            tuple(sorted((day, handle[out], handle[into]) for day, out, into in covers.get(t, ()))),
        )
        for t, (slot, (primaries, shadows)) in enumerate(zip(tables.slots, seating, strict=True))
    ]
    shifts = tuple(sorted((*problem.history.kept, *planned), key=lambda shift: shift.start))
    loads = problem.real_loads(seating)
    shadow = list(problem.history.shadows_before)
    for _, shadows in seating:
        for m in shadows:
            shadow[m] += 1
    members = range(len(tables.members))
    spread = problem.spread_of(seating)
    distinct, with_primaries = _distinct_team_shifts(problem, shifts)
    # Members who served though not counted (a kept shift before they left) are shown too.
    shown = [problem.counted[m] or loads[m] > 0 for m in members]
    fairness = Fairness(
        load={handle[m]: loads[m] for m in members if shown[m]},
        shadow_load={handle[m]: shadow[m] for m in members if shown[m] or shadow[m]},
        counted=tuple(handle[m] for m in members if problem.counted[m]),
        spread=spread,
        best_possible=min(best_possible, spread),
        distinct_team_shifts=distinct,
        shifts=with_primaries,
        carried={
            handle[m]: problem.history.carried[m]
            for m in members
            if shown[m] and problem.history.carried[m]
        },
        duty=(
            _duty(problem, seating, weights, shown, min(best_possible, spread), covers)
            if weights is not None
            else None
        ),
        distinct_teams_proven=(
            mixing_proven and best_possible >= spread
            if tables.teams_preferred and tables.seats_per_shift > 1
            else None
        ),
        idle={handle[m]: _idle_reason(problem, m) for m in members if not shown[m]},
        distinct_teams_possible=(
            distinct + problem.clashes(seating) - min(mixing_floor, problem.clashes(seating))
            if tables.teams_preferred and tables.seats_per_shift > 1
            else None
        ),
        expected={handle[m]: problem.expected[m] for m in members if problem.counted[m]},
    )
    return Solution(shifts, fairness, problem.told.kept_of(seating), problem.told.assignments)


def _idle_reason(problem: Problem, m: int) -> str:
    """Why eligible member ``m`` holds no primary shift: available for none, or the rules
    (``min_gap``, ``max_shifts``, shadow shifts still to serve) leave them none."""
    if m in problem.deferred:
        return "new, and cannot serve their shadow shifts this term: they keep them for a later one"
    if not any(problem.tables.can_take[m]):
        return "never available for a whole shift"
    return "no shift left within min_gap, max_shifts and shadowing"


def _duty_bound(problem: Problem, weights: Weights, shift_bound: int) -> int:
    """Equal shifts and nothing carried in: duty is a fixed multiple of shifts, so the
    shift bound is exact; otherwise the duty's own counting bound."""
    if weights.needs_pass():
        return lower_bound(problem, weights)
    return shift_bound * (weights.slot[0] if weights.slot else 0)


def _duty(
    problem: Problem,
    seating: list[Seat],
    weights: Weights,
    shown: list[bool],
    shift_bound: int,
    covers: Covers,
) -> DutyFairness:
    handle = [m.handle for m in problem.tables.members]
    load = weights.loads(SeatBoard(problem, seating))  # raised by ``weights.offset``
    for t in covers:
        for day, _, into in covers[t]:
            load[into] += weights.day(day)
    counted = [load[m] for m in range(len(load)) if problem.counted[m]]
    spread = max(counted) - min(counted) if counted else 0
    real = [v - o for v, o in zip(load, weights.offset, strict=True)]
    return DutyFairness(
        unit=weights.unit,
        load={handle[m]: real[m] for m in range(len(load)) if shown[m]},
        expected={handle[m]: weights.expected[m] for m in range(len(load)) if problem.counted[m]},
        spread=spread,
        # The counting bound takes whole shifts; with one-day covers it does not hold.
        best_possible=0 if weights.covered else min(
            spread, _duty_bound(problem, weights, shift_bound)
        ),
        bounded=not weights.covered,
    )


def _distinct_team_shifts(problem: Problem, shifts: tuple[Shift, ...]) -> tuple[int, int]:
    """Shifts whose primaries are all from different teams, and shifts with primaries, over
    the whole term (a kept shift may name someone who left: their handle is their team)."""
    by_handle = problem.tables.rotation.by_handle
    distinct = 0
    with_primaries = 0
    for shift in shifts:
        if not shift.primary:
            continue
        with_primaries += 1
        teams = [by_handle[h].team if h in by_handle else h for h in shift.primary]
        if not shares_team(teams):
            distinct += 1
    return distinct, with_primaries
