"""Which sets of primaries to try for one shift, and in which order.

The search hands over its candidates already sorted by urgency; these generators keep that
order and put the better kinds of set first (different teams when preferred, an
experienced primary when a newcomer could shadow). Every set looked at costs one unit of
work, so a long scan counts against the search's budget.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from oncall.planner.budget import WorkBudget
from oncall.planner.tables import Tables


def told_first(
    tables: Tables, candidates: list[int], told: frozenset[int], may_clash: bool
) -> tuple[int, ...] | None:
    """The previous primaries of a shift, in candidate order, when they may serve it
    together now (``may_clash``: whether one more same-team shift is allowed)."""
    if len(told) != tables.seats_per_shift:
        return None
    combo = tuple(m for m in candidates if m in told)
    if len(combo) != tables.seats_per_shift:
        return None
    if tables.same_team(combo) and _distinct_only(tables, may_clash):
        return None
    if tables.breaks_required(combo):
        return None
    return combo


def primaries_to_try(
    tables: Tables,
    candidates: list[int],
    mentor_wanted: bool,
    may_clash: bool,
    work: WorkBudget,
) -> Iterator[tuple[int, ...]]:
    """Every admissible set of primaries, best first: distinct teams first when they are
    preferred (only them when ``may_clash`` is false or they are required), an
    experienced primary first when a newcomer could shadow."""
    seat_count = tables.seats_per_shift
    experienced = tables.experienced
    if seat_count == 1:
        modes = ["any"]
    elif _distinct_only(tables, may_clash):
        modes = ["distinct"]
    elif tables.teams_preferred:
        modes = ["distinct", "same team"]
    else:
        modes = ["any"]
    mentor_modes = ["with", "without"] if mentor_wanted else ["any"]
    for mode in modes:
        for mentor in mentor_modes:
            pool = (
                [m for m in candidates if not experienced[m]]
                if mentor == "without"
                else candidates
            )
            source = (
                _distinct(tables, pool, work)
                if mode == "distinct"
                else itertools.combinations(pool, seat_count)
            )
            for combo in source:
                work.spend_or_stop(1)
                if mentor == "with" and not any(experienced[m] for m in combo):
                    continue
                if mode == "same team" and not tables.same_team(combo):
                    continue
                if tables.breaks_required(combo):
                    continue
                yield combo


def _distinct_only(tables: Tables, may_clash: bool) -> bool:
    return tables.teams_required or (tables.teams_preferred and not may_clash)


def _distinct(tables: Tables, pool: list[int], work: WorkBudget) -> Iterator[tuple[int, ...]]:
    """Sets of primaries from different teams, in the order of ``pool``, built so that
    same-team sets are never enumerated."""
    return _extend(tables, pool, work, 0, [], set())


def _extend(
    tables: Tables,
    pool: list[int],
    work: WorkBudget,
    start: int,
    chosen: list[int],
    used: set[int],
) -> Iterator[tuple[int, ...]]:
    """Sets that extend ``chosen`` (teams ``used``) by members of ``pool[start:]``."""
    seat_count, team = tables.seats_per_shift, tables.team
    if len(chosen) == seat_count:
        yield tuple(chosen)
        return
    for position in range(start, len(pool) - (seat_count - len(chosen)) + 1):
        m = pool[position]
        if team[m] in used:
            continue
        work.spend_or_stop(1)
        chosen.append(m)
        used.add(team[m])
        yield from _extend(tables, pool, work, position + 1, chosen, used)
        chosen.pop()
        used.discard(team[m])
