"""Maximum flow with lower bounds (Dinic), for the planner's exact fairness checks.

The planner asks it: can every shift get its seats while each member's count of shifts
stays inside a band? That is a feasible-circulation problem, exact and polynomial, so a
"no" here is a proof, not a guess. With edge costs it also finds the cheapest such
circulation (the fewest same-team pairs, when a second seat from one team costs 1).
"""

from __future__ import annotations

from collections import deque

INFINITE = 1 << 60


class FlowNetwork:
    """A directed network whose edges carry ``lower <= flow <= upper``."""

    def __init__(self, nodes: int) -> None:
        self.nodes = nodes
        self._to: list[int] = []
        self._cap: list[int] = []
        self._adjacent: list[list[int]] = [[] for _ in range(nodes + 2)]
        self._excess = [0] * (nodes + 2)
        self._lower: list[int] = []
        self._cost: list[int] = []

    def add_edge(self, tail: int, head: int, upper: int, lower: int = 0, cost: int = 0) -> int:
        """Add an edge; returns its id for ``flow_on``. Costs (``cheapest_feasible``) must
        not be negative."""
        if upper < lower:
            raise ValueError(f"edge {tail}->{head}: upper {upper} < lower {lower}")
        edge = len(self._to)
        self._to += [head, tail]
        self._cap += [upper - lower, 0]
        self._lower += [lower, 0]
        self._cost += [cost, -cost]
        self._adjacent[tail].append(edge)
        self._adjacent[head].append(edge + 1)
        self._excess[head] += lower
        self._excess[tail] -= lower
        return edge

    def flow_on(self, edge: int) -> int:
        return self._lower[edge] + self._cap[edge ^ 1]

    def feasible(self) -> bool:
        """Whether a circulation meets every lower and upper bound; afterwards ``flow_on``
        reads one such circulation. Add an edge sink -> source to turn s-t flow into one."""
        source, sink, wanted = self._demands()
        return self._max_flow(source, sink) == wanted

    def cheapest_feasible(self) -> int | None:
        """The least total cost of a circulation meeting every bound (None: there is none);
        afterwards ``flow_on`` reads one such circulation.

        A max flow over the free edges first (cost 0, so cheapest for its value), then
        cheapest augmenting paths: each keeps the flow cheapest for its value, and when
        few edges cost anything only a few are needed."""
        source, sink, wanted = self._demands()
        cap, cost = self._cap, self._cost
        costly = [e for e in range(0, len(cost), 2) if cost[e] > 0]
        saved = [cap[e] for e in costly]
        for e in costly:
            cap[e] = 0
        flow = self._max_flow(source, sink)
        for e, upper in zip(costly, saved, strict=True):
            cap[e] = upper
        while flow < wanted:
            path = self._cheapest_path(source, sink)
            if path is None:
                return None
            pushed = min(wanted - flow, *(cap[e] for e in path))
            for e in path:
                cap[e] -= pushed
                cap[e ^ 1] += pushed
            flow += pushed
        return sum(cost[e] * (self._lower[e] + cap[e ^ 1]) for e in costly)

    def _cheapest_path(self, source: int, sink: int) -> list[int] | None:
        """A cheapest residual path (Bellman-Ford with a queue: residual costs can be
        negative, cycles cannot, since the flow is cheapest for its value)."""
        to, cap, cost, adjacent = self._to, self._cap, self._cost, self._adjacent
        size = len(adjacent)
        far = INFINITE
        distance = [far] * size
        via = [-1] * size
        queued = [False] * size
        distance[source] = 0
        queue = deque([source])
        while queue:
            node = queue.popleft()
            queued[node] = False
            base = distance[node]
            for edge in adjacent[node]:
                if cap[edge] > 0:
                    head = to[edge]
                    if base + cost[edge] < distance[head]:
                        distance[head] = base + cost[edge]
                        via[head] = edge
                        if not queued[head]:
                            queued[head] = True
                            queue.append(head)
        if distance[sink] >= far:
            return None
        path = []
        node = sink
        while node != source:
            edge = via[node]
            path.append(edge)
            node = to[edge ^ 1]
        return path

    def _demands(self) -> tuple[int, int, int]:
        """Edges from a super source and to a super sink that carry the lower bounds."""
        source, sink = self.nodes, self.nodes + 1
        wanted = 0
        for node in range(self.nodes):
            excess = self._excess[node]
            if excess > 0:
                self._plain_edge(source, node, excess)
                wanted += excess
            elif excess < 0:
                self._plain_edge(node, sink, -excess)
        return source, sink, wanted

    def _plain_edge(self, tail: int, head: int, cap: int) -> None:
        edge = len(self._to)
        self._to += [head, tail]
        self._cap += [cap, 0]
        self._lower += [0, 0]
        self._cost += [0, 0]
        self._adjacent[tail].append(edge)
        self._adjacent[head].append(edge + 1)

    def _max_flow(self, source: int, sink: int) -> int:
        to, cap, adjacent = self._to, self._cap, self._adjacent
        total = 0
        size = len(adjacent)
        while True:
            level = [-1] * size
            level[source] = 0
            queue = deque([source])
            while queue:
                node = queue.popleft()
                for edge in adjacent[node]:
                    if cap[edge] > 0 and level[to[edge]] < 0:
                        level[to[edge]] = level[node] + 1
                        queue.append(to[edge])
            if level[sink] < 0:
                return total
            pointer = [0] * size
            while True:
                pushed = self._augment(source, sink, level, pointer)
                if not pushed:
                    break
                total += pushed

    def _augment(self, source: int, sink: int, level: list[int], pointer: list[int]) -> int:
        """One blocking-flow path, found iteratively (paths can be long)."""
        to, cap, adjacent = self._to, self._cap, self._adjacent
        path: list[int] = []
        node = source
        while True:
            if node == sink:
                pushed = min(cap[edge] for edge in path)
                for edge in path:
                    cap[edge] -= pushed
                    cap[edge ^ 1] += pushed
                return pushed
            edges = adjacent[node]
            advanced = False
            while pointer[node] < len(edges):
                edge = edges[pointer[node]]
                head = to[edge]
                if cap[edge] > 0 and level[head] == level[node] + 1:
                    path.append(edge)
                    node = head
                    advanced = True
                    break
                pointer[node] += 1
            if advanced:
                continue
            if not path:
                return 0
            level[node] = -1  # dead end: never enter it again in this phase
            edge = path.pop()
            node = to[edge ^ 1]
            pointer[node] += 1
