"""Bounds by counting seats: how narrow the spread can be, which bands are worth searching,
and how few same-team shifts remain possible.

They are necessary conditions only (each member's capacity alone, seats summed), so a
band they rule out is proven impossible, and one they let through still needs a search.
"""

from __future__ import annotations

from collections import Counter

from oncall.planner.problem import Problem
from oncall.planner.relaxation import relaxed_plan
from oncall.planner.tables import TeamGroup

# Rosters up to this many (member, shift) pairs also bound team mixing by cheapest flows.
MIXING_FLOW_SIZE = 40_000


def spread_range(problem: Problem) -> tuple[int, int]:
    """A lower bound on the spread and the widest spread worth trying."""
    counted = [m for m in range(len(problem.tables.members)) if problem.counted[m]]
    if not counted:
        return 0, 0
    before = problem.history.primaries_before
    low = [problem.least_load(m) for m in counted]
    high = [before[m] + problem.start_capacity[m] for m in counted]
    widest = max(high) - min(low)
    for spread in range(widest + 1):
        if band_candidates(problem, spread):
            return spread, widest
    return widest, widest


def band_candidates(problem: Problem, spread: int) -> list[int]:
    """Values of ``lo`` for which the band ``[lo, lo + spread]`` passes the counting test
    (the seats to fill fit between what the counted members must and can take), most
    balanced first."""
    counted = [m for m in range(len(problem.tables.members)) if problem.counted[m]]
    seats_needed = problem.tables.seats_per_shift * len(problem.tables.slots)
    if not counted:
        return [0] if seats_needed == 0 else []
    before = [problem.history.primaries_before[m] for m in counted]
    # Kept and forced shifts: every plan gives each member at least these.
    low = [problem.least_load(m) for m in counted]
    high = [b + problem.start_capacity[m] for m, b in zip(counted, before, strict=True)]
    # Members of part of the term (not counted) take seats too, up to the band's maximum.
    partial = [
        (problem.history.primaries_before[m], problem.start_capacity[m])
        for m in range(len(problem.tables.members))
        if not problem.counted[m] and problem.start_capacity[m] > 0
    ]
    groups = problem.team_groups()
    found = []
    # The sums below run over the few distinct values, each times how often it occurs
    # (the same integers as member by member, in a fraction of the time on large rosters).
    lows, highs, partials = Counter(low), Counter(high), Counter(partial)
    before_sum = sum(before)
    # Loads start at 0 or more, unless a kept override took days from someone.
    for lo in range(max(min(0, *low), max(low) - spread), min(high) + 1):
        hi = lo + spread
        least = sum(max(lo, a) * k for a, k in lows.items()) - before_sum
        most = sum(min(hi, c) * k for c, k in highs.items()) - before_sum + sum(
            max(0, min(hi, b + c) - b) * k for (b, c), k in partials.items()
        )
        if least <= seats_needed <= most and (not groups or _groups_fit(problem, groups, lo, hi)):
            found.append(lo)
    mean = (seats_needed + sum(before)) / len(counted)
    found.sort(key=lambda lo: (abs(lo + spread / 2 - mean), lo))
    return found


def _groups_fit(problem: Problem, groups: list[TeamGroup], lo: int, hi: int) -> bool:
    """The counting test per team: a team takes at most one seat of a shift (so no more
    than the shifts it can serve) and at least the seats the other teams cannot fill; its
    members' shares, held inside the band, must fit between, and so must everyone else's.

    A necessary condition (each team and the rest of the roster counted apart), so a band
    it rules out is proven impossible: on 8 + 2 teams with pairs, the team of two takes a
    seat of every shift whatever the plan, which no band narrower than theirs can hold."""
    counted, before = problem.counted, problem.history.primaries_before
    capacity = problem.start_capacity
    seats = problem.tables.seats_per_shift * len(problem.tables.slots)
    low_sum = high_sum = 0
    lows, highs = [], []
    for group in groups:
        low = high = 0
        for m in group.members:
            b, cap = before[m], capacity[m]
            if counted[m]:
                low += max(lo, problem.least_load(m)) - b
                high += max(0, min(hi, b + cap) - b)
            else:
                high += max(0, min(hi, b + cap) - b)
        lows.append(low)
        highs.append(high)
        low_sum += low
        high_sum += high
    for group, low, high in zip(groups, lows, highs, strict=True):
        if low > group.most or high < group.least:
            return False
        # Everyone else: the seats left once this team took between least and most.
        if low_sum - low > seats - group.least or high_sum - high < seats - group.most:
            return False
    return True


def clash_bound(
    problem: Problem,
    t: int,
    capacity: list[int],
    load: list[int],
    last: list[int],
    need: list[int],
    lo: int | None,
    hi: int | None,
) -> int:
    """A lower bound on the same-team shifts from shift ``t`` on, by counting seats, for
    members with these capacities, loads, last shifts and shadow shifts still needed.

    A mixed shift takes at most one seat of each team, so for every team k the mixed
    shifts need ``seats_per_shift - 1`` seats each from the other teams: no more than
    those teams can still take (capacities, band maximum), and no more than the seats left
    once team k has had the shifts its members still need to reach the band minimum.
    Shifts whose possible primaries span too few teams are never mixed."""
    tables, counted = problem.tables, problem.counted
    team, spacing = tables.team, tables.spacing
    left = len(tables.slots) - t
    seats_left = tables.seats_per_shift * left
    room = [0] * (max(team, default=-1) + 1)
    short = [0] * len(room)
    for m, cap in enumerate(capacity):
        k = team[m]
        if counted[m]:
            if hi is not None:
                cap = min(cap, hi - load[m])
            if lo is not None and load[m] < lo:
                short[k] += lo - load[m]
        room[k] += cap
    total = sum(room)
    # The next few shifts, which min_gap and the band may already have emptied.
    end = min(t + spacing, len(tables.slots))
    stuck = tables.forced_clashes[end]
    for u in range(t, end):
        teams = {
            team[m]
            for m in range(len(capacity))
            if capacity[m] > 0
            and tables.can_take[m][u]
            and not need[m]
            and last[m] + spacing <= u
            and (hi is None or not counted[m] or load[m] < hi)
        }
        if len(teams) < tables.seats_per_shift:
            stuck += 1
    mixed = left - stuck
    seats = tables.seats_per_shift
    others = seats - 1  # seats each mixed shift needs from other teams
    for k in range(len(room)):
        mixed = min(mixed, min(total - room[k], seats_left - short[k]) // others)
    return left - max(0, _most_mixed(room, seats, mixed))


def _most_extra(problem: Problem, t: int) -> int:
    """The most seats beyond each team's first that shift ``t`` can have: its seats minus
    the fewest teams whose members able to take it fill them (teams of two cannot give
    a triple more than one extra seat)."""
    tables = problem.tables
    able: dict[int, int] = {}
    for m in range(len(tables.members)):
        if tables.can_take[m][t]:
            able[tables.team[m]] = able.get(tables.team[m], 0) + 1
    left, teams = tables.seats_per_shift, 0
    for size in sorted(able.values(), reverse=True):
        if left <= 0:
            break
        left -= size
        teams += 1
    return tables.seats_per_shift - teams


def _most_mixed(room: list[int], seats: int, most: int) -> int:
    """The most shifts (up to ``most``) that can take ``seats`` seats from as many teams,
    when team k has ``room[k]`` seats: M of them need sum(min(room[k], M)) >= seats * M
    (each takes at most one seat of a team). With three teams and triples, every mixed
    shift needs the smallest team: a solo member caps them alone."""
    low, high = 0, max(0, most)  # the condition holds at 0 and fails for good past M*
    while low < high:
        mid = (low + high + 1) // 2
        if sum(r if r < mid else mid for r in room) >= seats * mid:
            low = mid
        else:
            high = mid - 1
    return low


def flow_clash_bound(problem: Problem, lo: int, hi: int) -> int:
    """A lower bound on the same-team shifts of any plan in the band ``[lo, hi]``, by the
    cheapest flows of the relaxation (``relaxed_plan`` with ``mixing``), also with the
    shifts cut into ``min_gap`` blocks: every seat beyond a team's first on a shift costs
    1, and a same-team shift has at most ``_most_extra`` of them (``seats_per_shift - 1``
    when one team can fill a shift alone), so the fewest extra seats over that many is a
    bound (for pairs without min_gap, the optimum).

    Stronger than ``clash_bound`` where the counting is loose (min_gap, who is free on
    which day); asked once per band, only on rosters up to ``MIXING_FLOW_SIZE``. More
    than the shift count when the relaxation has no plan at all."""
    tables = problem.tables
    count, seats = len(tables.slots), tables.seats_per_shift
    if seats < 2 or len(tables.members) * count > MIXING_FLOW_SIZE:
        return 0
    others = max((_most_extra(problem, t) for t in range(count)), default=1) or 1
    offsets: list[int | None] = [None]
    if tables.spacing > 1:
        offsets += list(range(tables.spacing))
    bound = 0
    for offset in offsets:
        seating = relaxed_plan(problem, lo, hi, offset, mixing=True)
        if seating is None:
            return count + 1
        extra = sum(len(p) - len({tables.team[m] for m in p}) for p, _ in seating)
        bound = max(bound, -(-extra // others))
    return bound
