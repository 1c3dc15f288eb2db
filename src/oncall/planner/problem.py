"""One planning problem: the fixed tables, the history carried in, who fairness counts, and
the work budget every search of this plan draws from."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import NamedTuple

from oncall.core.calendar import DutyCalendar
from oncall.core.fair_share import Presence, expected_shares
from oncall.core.model import Rotation
from oncall.core.schedule import Shift
from oncall.core.served import Served
from oncall.planner.budget import WorkBudget
from oncall.planner.forced import Forced
from oncall.planner.history import KeptHistory, ToldShifts
from oncall.planner.tables import Seat, Tables, TeamGroup


class Deferred(NamedTuple):
    """A newcomer not planned this term: the shifts they could take, the shadow shifts
    they still need."""

    able: list[bool]
    need: int


def deferred_newcomers(tables: Tables, history: KeptHistory) -> dict[int, Deferred]:
    """Newcomers (still shadowing) who could not serve all their shadow shifts in this
    term even alone on the roster, with the shifts they could take."""
    return {
        m: Deferred(list(tables.can_take[m]), need)
        for m, need in enumerate(history.shadows_needed)
        if need
        and tables.capacity(m, 0, history.last_served[m], history.served_before[m], need) < 0
    }


class Problem:
    """The planning problem in numbers: members 0..n-1, planned shifts 0..s-1."""

    def __init__(
        self,
        rotation: Rotation,
        calendar: DutyCalendar,
        kept: Sequence[Shift],
        plan_from: date | None,
        seed: int,
        previous: Sequence[Shift] = (),
        budget: WorkBudget | None = None,
        carried: Mapping[str, Served] | None = None,
        excluded: frozenset[tuple[int, int]] = frozenset(),
        recent: Mapping[str, int] | None = None,
    ) -> None:
        tables = Tables(rotation, calendar, plan_from, seed, excluded)
        history = KeptHistory(tables, kept, carried, recent)
        tables.promote(history.served_primary)
        # Newcomers who cannot serve their shadow shifts in this term (not a member in it,
        # away, no mentor beside them): not planned in it at all, so they keep their
        # shadowing for a later term. Their rows as they were, for the explanation.
        self.deferred = deferred_newcomers(tables, history)
        if self.deferred:
            excluded = excluded | {(m, t) for m in self.deferred for t in range(len(tables.slots))}
            tables = Tables(rotation, calendar, plan_from, seed, excluded)
            history = KeptHistory(tables, kept, carried, recent)
            tables.promote(history.served_primary)
            for m in self.deferred:
                history.shadows_needed[m] = 0
        self.tables, self.history = tables, history
        self.told = ToldShifts(tables, previous)
        members = range(len(tables.members))
        # Most primary shifts each member could take alone from the first planned shift.
        self.start_capacity = [
            tables.capacity(
                m,
                0,
                history.last_served[m],
                history.served_before[m],
                history.shadows_needed[m],
            )
            for m in members
        ]
        # Whom fairness is measured over (see ``Fairness``): members present on some duty
        # day of the term who hold a kept primary shift or could take a planned one; each
        # is expected to carry a share in proportion to their days present
        # (``core.fair_share``), and the bands hold ``load - expected``.
        present = Presence(calendar.duty_days)
        self.present = [present.of(m) for m in tables.members]
        self.counted = [
            self.present[m] > 0
            and (history.primaries_before[m] > 0 or self.start_capacity[m] > 0)
            for m in members
        ]
        self.expected = self.expected_in(
            tables.seats_per_shift * len(calendar.slots), self.present
        )
        # Every load the searches see is ``load - expected`` plus one constant (the
        # largest share, so that loads stay whole and members present all term move by
        # nothing): ``offset`` is what a member's load is raised by.
        self.offset = self.offsets(self.expected)
        for m in members:
            history.primaries_before[m] += self.offset[m]
        self.budget = budget if budget is not None else WorkBudget.for_plan()
        # Primaries every plan must seat (a solo team under required distinct teams, the
        # only people able on some shift), or a proof that they cannot all hold.
        self.forced = Forced(tables, history, [self.earliest_primary(m) for m in members])
        # Per team, the fewest and most seats it can take (``team_groups``, lazily).
        self._team_limits: list[TeamGroup] | None = None
        # Per team, the shifts from t on it can serve (``team_shifts_left``, lazily).
        self._team_left: list[list[int]] | None = None

    def expected_in(self, total: int, present: list[int]) -> list[int]:
        """Each member's expected share of ``total`` (0 for those not counted)."""
        members = self.tables.members
        shares = expected_shares(
            {members[m].handle: present[m] for m in range(len(members)) if self.counted[m]},
            total,
        )
        return [shares.get(member.handle, 0) for member in members]

    def offsets(self, expected: list[int]) -> list[int]:
        """What each counted member's load is raised by so that every band holds
        ``load - expected``: the largest share less their own (0 when not counted)."""
        top = max((e for e, c in zip(expected, self.counted, strict=True) if c), default=0)
        return [top - e if c else 0 for e, c in zip(expected, self.counted, strict=True)]

    def unit_offsets(self, weigh: Callable[[date], int]) -> tuple[list[int], list[int]]:
        """Expected shares and load offsets in a unit of duty (``weigh`` per duty day:
        1 for days, minutes for hours), for ``rules.fairness`` other than shifts."""
        calendar = self.tables.calendar
        total = self.tables.seats_per_shift * sum(weigh(day) for day in calendar.duty_days)
        table = Presence(calendar.duty_days, weigh)
        present = [
            table.of(member) if self.counted[m] else 0
            for m, member in enumerate(self.tables.members)
        ]
        expected = self.expected_in(total, present)
        return expected, self.offsets(expected)

    def least_load(self, m: int) -> int:
        """The fewest primary shifts ``m`` ends with in any plan: kept ones and forced ones."""
        return self.history.primaries_before[m] + self.forced.count[m]

    def earliest_primary(self, m: int) -> int:
        """The first planned shift ``m`` could possibly serve as primary."""
        return self.tables.earliest_primary(
            m, self.history.last_served[m], self.history.shadows_needed[m]
        )

    def team_groups(self) -> list[TeamGroup]:
        """The teams whose seats are capped per shift (``distinct_teams: required``), each
        with the fewest and most planned seats it can take: worked out once per problem."""
        if self._team_limits is None:
            self._team_limits = self.tables.team_seat_limits(self.forced.able)
        return self._team_limits

    def team_shifts_left(self) -> list[list[int]]:
        """Per team (when ``team_groups`` has any), how many shifts from ``t`` on some
        member of it can serve: the most seats it can still take."""
        if self._team_left is None:
            left: list[list[int]] = []
            if self.team_groups():
                for mine in self.tables.team_serves(self.forced.able):
                    suffix = [0] * (len(mine) + 1)
                    for t in range(len(mine) - 1, -1, -1):
                        suffix[t] = suffix[t + 1] + mine[t]
                    left.append(suffix)
            self._team_left = left
        return self._team_left

    def loads(self, seating: list[Seat]) -> list[int]:
        """Primary shifts per member, kept ones included, raised by ``offset`` (what the
        bands compare: ``real_loads`` are the shifts people hold)."""
        load = list(self.history.primaries_before)
        for primaries, _ in seating:
            for m in primaries:
                load[m] += 1
        return load

    def real_loads(self, seating: list[Seat]) -> list[int]:
        """Primary shifts per member, kept ones and the ledger's included."""
        return [load - o for load, o in zip(self.loads(seating), self.offset, strict=True)]

    def spread_of(self, seating: list[Seat]) -> int:
        """Most minus fewest of ``load - expected`` over the counted members."""
        loads = self.loads(seating)
        counted = [loads[m] for m in range(len(self.tables.members)) if self.counted[m]]
        return max(counted) - min(counted) if counted else 0

    def clashes(self, seating: list[Seat]) -> int:
        """Planned shifts whose primaries are not all from different teams."""
        same_team = self.tables.same_team
        return sum(1 for primaries, _ in seating if same_team(primaries))
