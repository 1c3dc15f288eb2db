"""The flow relaxation of a band: shift -> (shift, team) -> member, with each member's
count of shifts held inside the band (``flow.py`` solves it).

It keeps availability, teams, capacities and newcomers' earliest primary shift, and leaves
out shadows and (but for the blocks below) min_gap. A relaxation: "no flow" proves the band
impossible. Without min_gap and newcomers still shadowing, it is the exact problem.
"""

from __future__ import annotations

from oncall.planner.flow import INFINITE, FlowNetwork
from oncall.planner.problem import Problem
from oncall.planner.tables import Seat


def exact_by_flow(problem: Problem) -> bool:
    """Whether the flow model is the whole problem (no gap beyond one shift, no newcomer
    still shadowing)."""
    return problem.tables.spacing == 1 and not any(problem.history.shadows_needed)


def relaxation_fails(problem: Problem, lo: int | None, hi: int | None) -> bool:
    """Whether a flow relaxation proves the band impossible."""
    if relaxed_plan(problem, lo, hi) is None:
        return True
    if problem.tables.spacing > 1:
        for offset in range(problem.tables.spacing):
            if relaxed_plan(problem, lo, hi, offset) is None:
                return True
    return False


def relaxed_plan(
    problem: Problem,
    lo: int | None,
    hi: int | None,
    offset: int | None = None,
    mixing: bool = False,
) -> list[Seat] | None:
    """Primaries for every shift with counted loads in ``[lo, hi]``, if the relaxation
    allows it; None proves the band fails.

    With ``offset`` it also cuts the shifts into blocks of ``spacing`` consecutive shifts
    (starting at ``-offset``): min_gap lets a member serve at most one shift of each block.

    With ``mixing`` (teams preferred) every seat beyond the first from one team costs 1,
    and the cheapest flow is taken: for pairs it has the fewest same-team pairs the
    relaxation allows, the exact fewest when the flow is the whole problem
    (``exact_by_flow``); with larger shifts its cost counts extra seats, which
    ``bounds.flow_clash_bound`` turns into a bound on same-team shifts.
    """
    return _BandFlow(problem, offset, mixing).solve(lo, hi)


class _BandFlow:
    """The network's nodes: source, sink, one per shift, one per (shift, team) when teams
    matter, one per member, and with blocks one per (member, block)."""

    SOURCE, SINK = 0, 1

    def __init__(self, problem: Problem, offset: int | None, mixing: bool) -> None:
        self.problem = problem
        self.offset = offset
        self.mixing = mixing
        tables = problem.tables
        n, count = len(tables.members), len(tables.slots)
        self.teams = max(tables.team, default=-1) + 1
        self.teamed = tables.teams_required or mixing
        self.shift_node = 2
        self.team_node = self.shift_node + count
        self.member_node = self.team_node + (count * self.teams if self.teamed else 0)
        spacing = tables.spacing
        self.blocks = (count + spacing) // spacing + 1 if offset is not None else 0
        self.block_node = self.member_node + n
        self.net = FlowNetwork(self.block_node + n * self.blocks)
        self.edges: list[tuple[int, int, int]] = []  # (edge, shift, member) assignments

    def solve(self, lo: int | None, hi: int | None) -> list[Seat] | None:
        tables = self.problem.tables
        self._add_shifts()
        for m in range(len(tables.members)):
            if not self._add_member(m, lo, hi):
                return None
        net = self.net
        net.add_edge(self.SINK, self.SOURCE, INFINITE)
        if not (net.cheapest_feasible() is not None if self.mixing else net.feasible()):
            return None
        primaries: list[list[int]] = [[] for _ in range(len(tables.slots))]
        for edge, t, m in self.edges:
            if net.flow_on(edge):
                primaries[t].append(m)
        return [Seat(tuple(p), ()) for p in primaries]

    def _add_shifts(self) -> None:
        """Every shift takes exactly its seats, at most one per team when teams matter
        (when mixing, each further one costs 1)."""
        net, teams = self.net, self.teams
        seats = self.problem.tables.seats_per_shift
        for t in range(len(self.problem.tables.slots)):
            net.add_edge(self.SOURCE, self.shift_node + t, seats, seats)
            if self.teamed:
                for k in range(teams):
                    net.add_edge(self.shift_node + t, self.team_node + t * teams + k, 1)
                    if self.mixing:
                        net.add_edge(
                            self.shift_node + t, self.team_node + t * teams + k, seats - 1,
                            cost=1,
                        )

    def _add_member(self, m: int, lo: int | None, hi: int | None) -> bool:
        """Member ``m``'s share held inside the band and within their capacity, and the
        shifts they may take; False when the band alone rules them out."""
        problem, net = self.problem, self.net
        tables = problem.tables
        lower = 0
        upper = problem.start_capacity[m]
        if problem.counted[m]:
            if lo is not None:
                lower = max(0, lo - problem.history.primaries_before[m])
            if hi is not None:
                upper = min(upper, hi - problem.history.primaries_before[m])
        elif hi is not None:  # a member of part of the term: below the band's maximum
            upper = min(upper, max(0, hi - problem.history.primaries_before[m]))
        if upper < lower:
            return False
        member = self.member_node + m
        net.add_edge(member, self.SINK, upper, lower)
        if upper == 0:
            return True
        linked: set[int] = set()
        for t in range(problem.earliest_primary(m), len(tables.slots)):
            if not tables.can_take[m][t]:
                continue
            if self.teamed:
                tail = self.team_node + t * self.teams + tables.team[m]
            else:
                tail = self.shift_node + t
            head = member
            if self.offset is not None:
                block = (t + self.offset) // tables.spacing
                head = self.block_node + m * self.blocks + block
                if block not in linked:
                    linked.add(block)
                    net.add_edge(head, member, 1)
            self.edges.append((net.add_edge(tail, head, 1), t, m))
        return True
