"""Forced members: primaries every plan must seat, found by propagation before any search.

A shift of ``k`` seats that exactly ``k`` members can take needs all of them. Under
``distinct_teams: required`` a shift that exactly ``k`` teams can serve needs one member of
each, so a team with one member who can take it (a solo team, or the only one of it not
away) must send that member. Each forced seat keeps its member off the shifts ``min_gap``
puts out of reach, which can force more seats there or leave a shift short, and a member
forced more often than ``max_shifts`` allows proves the roster impossible.

Every step holds in every plan, so the result is a proof: forced seats are necessary (the
bounds count them into members' loads), and a conflict is a proof of infeasibility, with
the rule it collides with. Rosters without a tight shift get no forced seat and are
planned exactly as before.
"""

from __future__ import annotations

import itertools
from collections import deque
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence

    from oncall.planner.history import KeptHistory
    from oncall.planner.tables import Tables

TEAM = "team"  # forced because the only one of their team able, with teams required
PEOPLE = "people"  # forced because exactly as many people as seats were able


class Conflict(NamedTuple):
    """Why the forced seats cannot all hold: the rule they collide with (``max_shifts`` or
    ``min_gap``), the member forced, and two shifts for ``min_gap`` (the one they must
    serve, and the one that cannot be filled without them or that they must also serve)."""

    rule: str
    member: int
    shift: int
    other: int = -1


class Forced:
    """``at[t]``: members every plan seats as primary at planned shift ``t``; ``count[m]``:
    how many; ``kind[m]``: why (``TEAM`` or ``PEOPLE``; both seen gives ``None``);
    ``conflict``: set when they cannot all hold (the roster is then impossible).

    Built from the parts of the problem it needs, never the problem itself: the tables,
    the kept history and ``earliest[m]``, the first planned shift each member could serve
    as primary (``Problem.earliest_primary``)."""

    def __init__(self, tables: Tables, history: KeptHistory, earliest: Sequence[int]) -> None:
        self.tables = tables
        self.history = history
        self.earliest = earliest
        n, count = len(tables.members), len(tables.slots)
        self.at: list[set[int]] = [set() for _ in range(count)]
        self.count = [0] * n
        self.kinds: list[set[str]] = [set() for _ in range(n)]
        self.conflict: Conflict | None = None
        self.able: list[list[bool]] = []
        self.tight: list[int] = []
        if n and count:
            self._propagate()

    @property
    def any(self) -> bool:
        return any(self.count)

    def kind(self, m: int) -> str | None:
        kinds = self.kinds[m]
        return next(iter(kinds)) if len(kinds) == 1 else None

    def _propagate(self) -> None:
        tables, history = self.tables, self.history
        n, count, seats = len(tables.members), len(tables.slots), tables.seats_per_shift
        teamed = tables.teams_required and seats > 1
        team, spacing, max_shifts = tables.team, tables.spacing, tables.max_shifts
        rows = []
        for m in range(n):
            first = self.earliest[m]
            row = tables.can_take[m]
            rows.append(row if first <= 0 else [False] * min(first, count) + row[first:])
        self.able = rows
        columns: list[tuple[bool, ...]] = list(zip(*rows, strict=True))
        members = range(n)

        def tight(t: int) -> bool:
            column = columns[t]
            if teamed:
                return len(set(itertools.compress(team, column))) <= seats
            return sum(column) <= seats

        over: Conflict | None = None
        removed: dict[int, set[int]] = {}
        # Shifts no more people (or teams) than seats can serve: every one of them serves.
        self.tight = [t for t in range(count) if tight(t)]
        queue = deque(self.tight)
        queued = [False] * count
        for t in queue:
            queued[t] = True
        while queue and self.conflict is None:
            t = queue.popleft()
            queued[t] = False
            gone = removed.get(t, set())
            able = [m for m in itertools.compress(members, columns[t]) if m not in gone]
            if teamed:
                groups: dict[int, list[int]] = {}
                for m in able:
                    groups.setdefault(team[m], []).append(m)
                short = len(groups) < seats
                tight_teams = len(groups) == seats
                must = [g[0] for g in groups.values() if len(g) == 1] if tight_teams else []
                kind = TEAM
            else:
                short = len(able) < seats
                must = able if len(able) == seats else []
                kind = PEOPLE
            if short:
                # Only removals (a forced member's gap) can leave a shift short here: the
                # static reasons report shifts that were short from the start.
                culprit = min(gone & set(itertools.compress(members, columns[t])), default=-1)
                if culprit < 0:  # short from the start: the static reasons say why
                    self.conflict = Conflict("seats", -1, t)
                else:
                    self.conflict = Conflict("min_gap", culprit, self._forced_shift(culprit, t), t)
                return
            for m in must:
                if m in self.at[t]:
                    continue
                self.at[t].add(m)
                self.count[m] += 1
                self.kinds[m].add(kind)
                needed = history.served_before[m] + self.count[m] + history.shadows_needed[m]
                if max_shifts is not None and needed > max_shifts and over is None:
                    over = Conflict("max_shifts", m, t)  # counted on, to say how many
                for u in range(max(0, t - spacing + 1), min(count, t + spacing)):
                    if u == t or not rows[m][u]:
                        continue
                    if m in self.at[u]:
                        self.conflict = Conflict("min_gap", m, min(t, u), max(t, u))
                        return
                    removed.setdefault(u, set()).add(m)
                    if not queued[u]:
                        queued[u] = True
                        queue.append(u)
        if self.conflict is None:
            self.conflict = over

    def _forced_shift(self, m: int, t: int) -> int:
        """The forced shift of ``m`` whose gap keeps them off shift ``t``."""
        spacing = self.tables.spacing
        near = [u for u in range(len(self.at)) if m in self.at[u] and abs(u - t) < spacing]
        return min(near, key=lambda u: (abs(u - t), u), default=t)
