"""The seat board the improving passes move people on: a finished plan laid out by shift
and by member, with the one test every move asks (``may_take``).

Team mixing and stability both move primaries between seats of a plan the search already
found. Sharing this board means they keep the hard rules the same way: a pass decides
which moves it wants, the board says which are allowed.
"""

from __future__ import annotations

from oncall.planner.problem import Problem
from oncall.planner.tables import Seat


class SeatBoard:
    """Who sits each shift, each member's shifts and primary load. Shadows stay where the
    search put them; only primaries move."""

    def __init__(self, problem: Problem, seating: list[Seat]) -> None:
        self.problem = problem
        n = len(problem.tables.members)
        self.primaries = [list(seat.primaries) for seat in seating]
        self.shadows = [seat.shadows for seat in seating]
        self.load = problem.loads(seating)
        self.served: list[set[int]] = [set() for _ in range(n)]  # shifts, either role
        self.primary_at: list[set[int]] = [set() for _ in range(n)]  # primary shifts
        for t, (primaries, shadows) in enumerate(seating):
            for m in (*primaries, *shadows):
                self.served[m].add(t)
            for m in primaries:
                self.primary_at[m].add(t)
        # A newcomer's last shadow shift: they may serve as primary only after it.
        self.after_shadow = [
            max((t for t in self.served[m] if m in self.shadows[t]), default=-1)
            for m in range(n)
        ]

    def counted_loads(self) -> list[int]:
        """Primary loads of the members fairness counts: moves keep them inside the range
        they span now, so fairness never changes."""
        counted = self.problem.counted
        return [load for m, load in enumerate(self.load) if counted[m]]

    def seating(self) -> list[Seat]:
        return [Seat(tuple(p), s) for p, s in zip(self.primaries, self.shadows, strict=True)]

    def may_take(self, m: int, t: int, leaving: int | None = None) -> bool:
        """Whether member ``m`` may take a primary seat at shift ``t`` (giving up shift
        ``leaving``, if any): the hard rules every move must keep."""
        tables, history = self.problem.tables, self.problem.history
        if not tables.can_take[m][t] or m in self.primaries[t] or m in self.shadows[t]:
            return False
        if history.shadows_needed[m] and t <= self.after_shadow[m]:
            return False
        if t < history.last_served[m] + tables.spacing:
            return False
        if (
            leaving is None
            and tables.max_shifts is not None
            and history.served_before[m] + len(self.served[m]) >= tables.max_shifts
        ):
            return False
        return all(abs(u - t) >= tables.spacing for u in self.served[m] if u != leaving)

    def mentored_after(self, t: int, out: int, into: int) -> bool:
        """Whether shift ``t``'s shadows (if any) still have an experienced primary beside
        them once ``into`` takes the seat of ``out``."""
        if not self.shadows[t]:
            return True
        experienced = self.problem.tables.experienced
        return any(experienced[m] for m in self.primaries[t] if m != out) or experienced[into]

    def same_team(self, t: int) -> bool:
        """Whether two primaries of shift ``t`` share a team."""
        return self.problem.tables.same_team(self.primaries[t])

    def same_team_members(self, t: int) -> list[int]:
        """The primaries of shift ``t`` who share their team with another one."""
        team = self.problem.tables.team
        teams_here = [team[m] for m in self.primaries[t]]
        return [m for m in self.primaries[t] if teams_here.count(team[m]) > 1]

    def joins_team(self, m: int, t: int, instead_of: int) -> bool:
        """Whether ``m`` shares a team with the primaries of ``t`` other than
        ``instead_of``."""
        team = self.problem.tables.team
        return team[m] in {team[p] for p in self.primaries[t] if p != instead_of}

    def move(self, m: int, source: int | None, target: int | None) -> None:
        """Move ``m``'s primary seat from ``source`` to ``target`` (None: off or onto the
        board, which changes their load)."""
        if source is not None:
            self.primaries[source].remove(m)
            self.served[m].discard(source)
            self.primary_at[m].discard(source)
        else:
            self.load[m] += 1
        if target is not None:
            self.primaries[target].append(m)
            self.served[m].add(target)
            self.primary_at[m].add(target)
        else:
            self.load[m] -= 1
