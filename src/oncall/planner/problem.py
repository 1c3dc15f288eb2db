"""One planning problem: the fixed tables, the history carried in, who fairness counts, and
the work budget every search of this plan draws from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import NamedTuple

from oncall.core.calendar import DutyCalendar
from oncall.core.ledger import Served
from oncall.core.model import Rotation
from oncall.core.schedule import Shift
from oncall.planner.budget import WorkBudget
from oncall.planner.forced import Forced
from oncall.planner.history import KeptHistory, ToldShifts, leavers_untold
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
        leavers_told_only: bool = True,
    ) -> None:
        if leavers_told_only:  # see ``history.leavers_untold``
            excluded = excluded | leavers_untold(rotation, calendar, plan_from, previous)
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
        # Whom fairness is measured over (see ``Fairness``): members of the whole term
        # (``joined``/``left`` leave none of it out) who hold a kept primary shift or could
        # take a planned one. Members of part of the term are not in the spread: nothing
        # holds them to its minimum, and the band's maximum caps them like everyone.
        term = rotation.term
        self.whole_term = [m.present_throughout(term.start, term.end) for m in tables.members]
        self.counted = [
            self.whole_term[m]
            and (history.primaries_before[m] > 0 or self.start_capacity[m] > 0)
            for m in members
        ]
        self.budget = budget if budget is not None else WorkBudget.for_plan()
        # Primaries every plan must seat (a solo team under required distinct teams, the
        # only people able on some shift), or a proof that they cannot all hold.
        self.forced = Forced(tables, history, [self.earliest_primary(m) for m in members])
        # Per team, the fewest and most seats it can take (``team_groups``, lazily).
        self._team_limits: list[TeamGroup] | None = None
        # Per team, the shifts from t on it can serve (``team_shifts_left``, lazily).
        self._team_left: list[list[int]] | None = None

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
        """Primary shifts per member, kept ones included."""
        load = list(self.history.primaries_before)
        for primaries, _ in seating:
            for m in primaries:
                load[m] += 1
        return load

    def spread_of(self, seating: list[Seat]) -> int:
        """Most minus fewest primary shifts over the counted members."""
        loads = self.loads(seating)
        counted = [loads[m] for m in range(len(self.tables.members)) if self.counted[m]]
        return max(counted) - min(counted) if counted else 0

    def clashes(self, seating: list[Seat]) -> int:
        """Planned shifts whose primaries are not all from different teams."""
        same_team = self.tables.same_team
        return sum(1 for primaries, _ in seating if same_team(primaries))
