"""The fixed tables of one planning problem: members and planned shifts as numbers, who may
take which shift, and what ``min_gap`` and the teams make of that.

Everything here follows from the rotation, the calendar, ``plan_from`` and the seed, and
never changes while the planner works. The searches read these tables in their inner
loops, which is why they are plain lists indexed by member number and shift number. The
per-member rows a large roster rarely needs (longest chains, shifts able before) are
worked out on first use: on 10,000 members the search looks at a few hundred of them.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable
from datetime import date
from operator import itemgetter
from typing import NamedTuple

from oncall.core.availability import can_take_table, is_experienced
from oncall.core.calendar import DutyCalendar, ShiftSlot
from oncall.core.model import DistinctTeams, Member, Rotation
from oncall.core.rules import eligible_members, gap_run, shares_team, teams_clash
from oncall.planner.flow import INFINITE


class Seat(NamedTuple):
    """Who sits one planned shift, as member numbers; a plan is a list of these (its
    "seating"), one per planned shift."""

    primaries: tuple[int, ...]
    shadows: tuple[int, ...]


class TeamGroup(NamedTuple):
    """One team's members and the fewest and most planned seats it can take in any plan."""

    members: tuple[int, ...]
    least: int
    most: int


def first_planned(calendar: DutyCalendar, plan_from: date | None) -> int:
    """The calendar's index of the first slot a plan from ``plan_from`` fills (all: 0)."""
    return next(
        (s.index for s in calendar.slots if plan_from is None or s.first >= plan_from),
        len(calendar.slots),
    )


class Tables:
    """Members 0..n-1 (the eligible ones) and planned shifts 0..s-1 (from ``plan_from`` on),
    and what the rules allow between them."""

    def __init__(
        self,
        rotation: Rotation,
        calendar: DutyCalendar,
        plan_from: date | None,
        seed: int,
        excluded: frozenset[tuple[int, int]] = frozenset(),
    ) -> None:
        self.rotation = rotation
        self.calendar = calendar
        self.term = calendar.term  # the term planned: what the members' ``terms`` name
        self.plan_from = plan_from
        all_slots = calendar.slots
        # Planned shift t is the calendar's slot first_slot + t.
        self.first_slot = first_planned(calendar, plan_from)
        self.slots: tuple[ShiftSlot, ...] = all_slots[self.first_slot :]
        self.members: list[Member] = eligible_members(rotation, calendar.term)
        self.number = {m.handle: i for i, m in enumerate(self.members)}  # handle -> member
        self.seats_per_shift = rotation.shift.people  # primaries on every shift
        self.max_shifts = rotation.rules.max_shifts
        self.teams_required = rotation.rules.distinct_teams is DistinctTeams.REQUIRED
        self.teams_preferred = rotation.rules.distinct_teams is DistinctTeams.PREFERRED
        teams = sorted({m.team for m in self.members})
        self.team = [teams.index(m.team) for m in self.members]  # team number per member
        self.experienced = [is_experienced(m) for m in self.members]
        # can_take[m][t]: the rules let m take the whole of shift t (availability, terms).
        self.can_take = can_take_table(rotation, self.term, self.members, self.slots)
        for m, t in excluded:  # (member, shift) pairs whose away days found no cover
            self.can_take[m][t] = False
        # The smallest distance between two shifts of one member that min_gap allows
        # (min_gap + 1, capped at the slot count): nobody serves two shifts of any run of
        # ``spacing`` shifts.
        self.spacing = gap_run(rotation, len(all_slots))
        # longest_chain[m]: filled by chain_row(m) when first needed (None until then).
        self.longest_chain: list[list[int] | None] = [None] * len(self.members)
        self._chains_known: dict[tuple[bool, ...], list[int]] = {}
        self.next_shadow = self._next_shadow_shifts()
        # able_before[m][t]: how many of the shifts before t member m can take; filled by
        # able_row(m) when first needed (None until then).
        self.able_before: list[list[int] | None] = [None] * len(self.members)
        self.forced_clashes = self._forced_clashes()
        self.tiebreak = self._tiebreak(seed)

    def chain_row(self, m: int) -> list[int]:
        """``longest_chain[m]``, worked out on first use: ``longest_chain[m][t]`` is the
        most shifts m could take from t on if alone on the roster (the longest chain of
        their shifts that keeps min_gap; exact on a line). Members with the same shifts
        share one read-only row; a roster of thousands needs the rows of a few only."""
        row = self.longest_chain[m]
        if row is not None:
            return row
        able = self.can_take[m]
        key = tuple(able)
        row = self._chains_known.get(key)
        if row is None:
            count, spacing = len(self.slots), self.spacing
            row = [0] * (count + spacing + 1)
            best = 0  # row[t + 1]
            for t in range(count - 1, -1, -1):
                if able[t] and row[t + spacing] >= best:
                    best = row[t + spacing] + 1
                row[t] = best
            self._chains_known[key] = row
        self.longest_chain[m] = row
        return row

    def able_row(self, m: int) -> list[int]:
        """``able_before[m]``, worked out on first use."""
        row = self.able_before[m]
        if row is None:
            row = self.able_before[m] = list(itertools.accumulate(self.can_take[m], initial=0))
        return row

    def chain_from(self, m: int, start: int) -> int:
        """``longest_chain[m][start]`` without the row when it is not there yet: taking the
        first shift m can from ``start`` on, then the first after its gap, and so on, is
        a longest chain (any chain's first shift can be swapped for the earliest one)."""
        row = self.longest_chain[m]
        if row is not None:
            return row[start]
        find, spacing, taken = self.can_take[m].index, self.spacing, 0
        try:
            while True:
                start = find(True, start) + spacing
                taken += 1
        except ValueError:  # no shift left from start on
            return taken

    def promote(self, served_primary: list[bool]) -> None:
        """Count newcomers who already served as primary (``KeptHistory``) as experienced:
        they may have a shadow beside them. The shadow rows are worked out again."""
        if not any(served_primary):
            return
        self.experienced = [e or s for e, s in zip(self.experienced, served_primary, strict=True)]
        self.next_shadow = self._next_shadow_shifts()

    def _next_shadow_shifts(self) -> list[list[int]]:
        """next_shadow[m][t]: the first shift from t on that newcomer m could shadow (they
        can take it and so could an experienced member); the shift count when none.
        Only newcomers (``new``) ever need shadow shifts; everyone else shares an empty
        row, which nothing reads."""
        count = len(self.slots)
        members = range(len(self.members))
        table: list[list[int]] = []
        if not any(m.new for m in self.members):
            return [[] for _ in members]
        mentor = [
            any(self.can_take[e][t] for e in members if self.experienced[e])
            for t in range(count)
        ]
        known: dict[tuple[bool, ...], list[int]] = {}  # one shared row per set of shifts
        for member, row in zip(self.members, self.can_take, strict=True):
            if not member.new:
                table.append([])
                continue
            key = tuple(row)
            nxt = known.get(key)
            if nxt is None:
                nxt = [count] * (count + self.spacing + 1)
                for t in range(count - 1, -1, -1):
                    nxt[t] = t if (row[t] and mentor[t]) else nxt[t + 1]
                known[key] = nxt
            table.append(nxt)
        return table

    def _forced_clashes(self) -> list[int]:
        """forced_clashes[t]: shifts from t on whose possible primaries span too few teams
        to be mixed, whatever the plan does."""
        count, seats, team = len(self.slots), self.seats_per_shift, self.team
        forced = [0] * (count + 1)
        if seats <= 1:
            return forced
        for t in range(count - 1, -1, -1):
            teams_able: set[int] = set()  # stops counting at ``seats`` teams: enough
            for m in itertools.compress(range(len(team)), map(itemgetter(t), self.can_take)):
                teams_able.add(team[m])
                if len(teams_able) >= seats:
                    break
            forced[t] = forced[t + 1] + (1 if len(teams_able) < seats else 0)
        return forced

    def _tiebreak(self, seed: int) -> list[int]:
        """A rank per member, shuffled by ``seed``: the last tie-break of every order."""
        order = list(range(len(self.members)))
        random.Random(seed).shuffle(order)
        rank = [0] * len(self.members)
        for position, m in enumerate(order):
            rank[m] = position
        return rank

    # --- one member alone ---------------------------------------------------------------

    def capacity(self, m: int, t: int, last: int, served: int, need: int) -> int:
        """Most primary shifts ``m`` could still take from shift ``t`` on, alone, having last
        served at ``last``, served ``served`` shifts and still needing ``need`` shadow
        shifts; -1 when a newcomer cannot finish shadowing any more."""
        count = len(self.slots)
        start = max(t, last + self.spacing)
        room = INFINITE if self.max_shifts is None else self.max_shifts - served
        if need:
            nxt = self.next_shadow[m]
            for _ in range(need):
                position = nxt[start] if start < count else count
                if position >= count:
                    return -1
                start = position + self.spacing
            room -= need
            if room < 0:
                return -1
        if start >= count:
            return 0
        return max(0, min(self.chain_from(m, start), room))

    def earliest_primary(self, m: int, last: int, need: int) -> int:
        """The first planned shift ``m`` could possibly serve as primary (after their gap and
        their remaining ``need`` shadow shifts)."""
        start = max(0, last + self.spacing)
        nxt = self.next_shadow[m]
        for _ in range(need):
            if start >= len(self.slots):
                return len(self.slots)
            start = nxt[start] + self.spacing
        return start

    # --- teams ------------------------------------------------------------------------

    def team_serves(self, able: list[list[bool]]) -> list[list[bool]]:
        """``serves[k][t]``: some member of team ``k`` can serve shift ``t``."""
        count = len(self.slots)
        serves = [[False] * count for _ in range(max(self.team, default=-1) + 1)]
        for m, row in enumerate(able):
            mine = serves[self.team[m]]
            for t in itertools.compress(range(count), row):
                mine[t] = True
        return serves

    def team_seat_limits(self, able: list[list[bool]]) -> list[TeamGroup]:
        """Per team, under ``distinct_teams: required`` with shifts of several seats, the
        fewest and most planned seats it can take, ``able[m][t]`` saying who can serve
        what: one seat of each shift one of its members can serve at most, and at least
        the seats the other teams cannot fill. Empty when teams do not cap seats."""
        seats, count = self.seats_per_shift, len(self.slots)
        teams = max(self.team, default=-1) + 1
        if not (self.teams_required and seats > 1 and teams > 1):
            return []
        serves = self.team_serves(able)
        column_sums = [sum(column) for column in zip(*serves, strict=True)]
        groups = []
        for k in range(teams):
            mine = serves[k]
            most = sum(mine)
            least = sum(
                1 for t in range(count) if mine[t] and column_sums[t] - 1 < seats
            )
            members = tuple(m for m in range(len(self.members)) if self.team[m] == k)
            groups.append(TeamGroup(members, least, most))
        return groups

    def same_team(self, primaries: Iterable[int]) -> bool:
        """Whether two of these primaries share a team (asked of the rules)."""
        team = self.team
        return shares_team(team[m] for m in primaries)

    def breaks_required(self, primaries: Iterable[int]) -> bool:
        """Whether these primaries together break ``distinct_teams: required`` (asked of
        the rules)."""
        if not self.teams_required:  # the rules would say no; asking costs a call per set
            return False
        members = self.members
        return teams_clash(self.rotation, (members[m].team for m in primaries))
