"""The planner: fills every shift of a term so that the hard rules hold and primary duty is
shared as evenly as the rules allow.

Contract: one shift per slot from ``plan_from`` on, ``rotation.shift.people`` primaries each,
every hard rule of ``rules`` kept (kept history included), every eligible newcomer given
their remaining shadow shifts (a newcomer who cannot get them makes the plan infeasible,
with the reason: silently leaving them out would hide a roster problem from the lead).

Why this design:

* Fairness is a promise, so the planner proves it. It first computes a lower bound on the
  spread (max - min primary shifts over the counted members) by water-filling the seats
  over each member's capacity: how many shifts they could take alone, under availability,
  ``min_gap`` (the longest gap-respecting chain of their eligible shifts, exact on a line),
  ``max_shifts`` and their remaining shadow shifts. Then it looks for a plan whose loads
  stay inside a band ``[lo, lo + s]`` for ``s`` = bound, bound + 1, ... The first band that
  holds is the optimum, because every narrower one was proven impossible.
* A band is decided by a complete depth-first search, shift by shift, that tries the most
  urgent members first (those whose remaining chances barely cover the band's minimum,
  then the least loaded, then the longest rested, which also spreads each member's shifts
  evenly in time; ``seed`` breaks the remaining ties). Each step checks necessary
  conditions (every member can still reach ``lo``, the seats left fit the capacities left,
  the next ``min_gap + 1`` shifts have enough different people, every newcomer can still
  finish shadowing), so on a roster with slack the first descent lands on the bound.
* Before searching a band exhaustively, max-flows with lower bounds (``flow.py``) over
  shift -> (shift, team) -> member check the band with each member's capacity, also with
  the shifts cut into blocks of ``min_gap + 1`` (at most one shift per member per block).
  They relax the real problem, so "no flow" proves the band impossible. Without
  ``min_gap`` and without newcomers still shadowing, the flow is the exact problem.
* Newcomers shadow at the first shift they can (beside an experienced primary). Taking a
  shadow shift earlier never hurts anyone: only the newcomer's own later shifts move, and
  they only gain room. So the search need not branch on shadows and stays complete.
* With ``distinct_teams: preferred``, inside the fairest band a branch and bound lowers
  the number of same-team shifts. Its bound counts seats: a mixed shift takes at most one
  seat per team, so the other teams' remaining capacity (and the band minimum) caps how
  many shifts can still be mixed. It aims at that bound first and raises the aim while
  each aim is proven out of reach, so when the count it reaches equals the bound it is
  the optimum; otherwise it is the best found within the work budget (not guaranteed
  optimal). For pairs without ``min_gap`` or shadows a cheapest flow (a second seat from
  one team costs 1) gives the exact optimum outright. Fairness-neutral swaps and
  replacements then mop up. Fairness always comes first.
* Re-planning with ``previous`` (what people were told) keeps as much of it as the
  searches below find (not proven the most possible). Priority: fairness (exact, same
  optimum as without it) > distinct teams when preferred (no more same-team shifts than
  without it) > stability > even spacing. Inside
  the fairest band a guided search tries each shift's previous primaries first (only the
  order changes, so it stays complete), then replacements, swaps and three-way cycles
  that keep loads in the band and add no same-team shift give told shifts back. A new
  member therefore takes a few shifts (often late in the term) instead of reshuffling all.
* Every search has a work budget (never a clock, so the result does not depend on the
  machine). When it runs out the planner returns the best plan it found and says so with
  ``best_possible < spread``; it reports a roster infeasible only when that is proven
  (or, if nothing was found and nothing proven, says exactly that).
* Infeasibility is explained in plain words: shifts too few people can take (with each
  member's reason from ``rules.slot_blockers``), teams that cannot make distinct pairs,
  runs of shifts that ``min_gap`` makes need more people than can serve them, newcomers
  who cannot shadow, and, for rules that only bite together, the rule whose relaxation
  makes a plan exist.

Every rule is asked of ``rules``; this module only searches.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date

from oncall.core.calendar import DutyCalendar
from oncall.core.errors import Infeasible
from oncall.core.model import DistinctTeams, Onboarding, Rotation
from oncall.core.rules import slot_blockers, teams_clash
from oncall.core.schedule import Shift
from oncall.planner.bounds import band_candidates, clash_bound, spread_range
from oncall.planner.budget import WorkBudget
from oncall.planner.problem import Problem
from oncall.planner.relaxation import exact_by_flow, relaxation_fails, relaxed_plan
from oncall.planner.results import Fairness, Plan
from oncall.planner.search import Outcome, one_descent, search
from oncall.planner.tables import Seat


class _Problem(Problem):
    """The planner's steps, until each moves to its own module."""

    # --- distinct teams, when preferred ---------------------------------------------------

    def _seat_fits(
        self,
        m: int,
        t: int,
        leaving: int | None,
        primaries: Sequence[Sequence[int]],
        shadows: Sequence[Sequence[int]],
        served: Sequence[Collection[int]],
        after_shadow: Sequence[int],
    ) -> bool:
        """Whether member ``m`` may take a primary seat at shift ``t`` of a finished plan
        (giving up shift ``leaving``, if any): the hard rules the improving moves must keep."""
        if not self.tables.can_take[m][t] or m in primaries[t] or m in shadows[t]:
            return False
        if self.history.shadows_needed[m] and t <= after_shadow[m]:
            return False
        if t < self.history.last_served[m] + self.tables.spacing:
            return False
        if (
            leaving is None
            and self.tables.max_shifts is not None
            and self.history.served_before[m] + len(served[m]) >= self.tables.max_shifts
        ):
            return False
        return all(abs(u - t) >= self.tables.spacing for u in served[m] if u != leaving)

    def mix_teams(self, plan_seats: list[Seat]) -> list[Seat]:
        """Make more shifts mixed-team without touching fairness: replace a primary by a
        member whose load stays inside the plan's band, or swap two primaries between
        shifts (loads unchanged). Every move keeps every hard rule."""
        if not self.tables.teams_preferred or self.tables.seats_per_shift < 2:
            return plan_seats
        n, count = len(self.tables.members), len(self.tables.slots)
        primaries = [list(p) for p, _ in plan_seats]
        shadows = [s for _, s in plan_seats]
        load = self.loads(plan_seats)
        counted_loads = [load[m] for m in range(n) if self.counted[m]]
        low, high = min(counted_loads), max(counted_loads)
        served: list[list[int]] = [[] for _ in range(n)]
        for t, (p, s) in enumerate(plan_seats):
            for m in (*p, *s):
                served[m].append(t)
        after_shadow = [max((t for t in served[m] if m in shadows[t]), default=-1)
                        for m in range(n)]

        def fits(m: int, t: int, leaving: int | None) -> bool:
            return self._seat_fits(m, t, leaving, primaries, shadows, served, after_shadow)

        def mentored(t: int, out: int, into: int) -> bool:
            if not shadows[t]:
                return True
            return any(self.tables.experienced[m] for m in primaries[t] if m != out) or (
                self.tables.experienced[into]
            )

        def mixed(t: int) -> bool:
            return len({self.tables.team[m] for m in primaries[t]}) == len(primaries[t])

        def move(m: int, source: int, target: int) -> None:
            primaries[source].remove(m)
            primaries[target].append(m)
            served[m].remove(source)
            served[m].append(target)

        order = sorted(range(n), key=lambda m: (load[m], self.tables.tiebreak[m]))
        for t in range(count):
            if mixed(t):
                continue
            teams_here = [self.tables.team[m] for m in primaries[t]]
            clashing = [m for m in primaries[t] if teams_here.count(self.tables.team[m]) > 1]
            done = False
            for out in clashing:
                others = {self.tables.team[m] for m in primaries[t] if m != out}
                # A member from another team whose load stays within the band.
                for into in order:
                    if (
                        self.tables.team[into] in others
                        or not self.counted[into]
                        or load[into] + 1 > high
                        or (self.counted[out] and load[out] - 1 < low)
                        or not fits(into, t, None)
                        or not mentored(t, out, into)
                    ):
                        continue
                    primaries[t].remove(out)
                    served[out].remove(t)
                    primaries[t].append(into)
                    served[into].append(t)
                    load[out] -= 1
                    load[into] += 1
                    done = True
                    break
                if done:
                    break
                # Or a swap with a primary of another shift, which stays mixed (or was not).
                for other in sorted(range(count), key=lambda u: (abs(u - t), u)):
                    if other == t:
                        continue
                    for into in list(primaries[other]):
                        if self.tables.team[into] in others:
                            continue
                        rest = {self.tables.team[m] for m in primaries[other] if m != into}
                        if mixed(other) and self.tables.team[out] in rest:
                            continue
                        if not (
                            fits(into, t, other)
                            and fits(out, other, t)
                            and mentored(t, out, into)
                            and mentored(other, into, out)
                        ):
                            continue
                        move(out, t, other)
                        move(into, other, t)
                        done = True
                        break
                    if done:
                        break
                if done:
                    break
        return [(tuple(p), s) for p, s in zip(primaries, shadows, strict=True)]

    # --- stability, with a previous schedule -----------------------------------------

    def keep_more(self, plan_seats: list[Seat], work: int) -> list[Seat]:
        """Give shifts back to the people who were told them, without touching fairness or
        distinct teams: replace a primary by a previous one whose load stays inside the
        plan's band, or swap two primaries between shifts (loads unchanged). A move is made
        only when it keeps more previous assignments and adds no same-team shift; every
        move keeps every hard rule. Shadows stay where the search put them."""
        if self.told.empty:
            return plan_seats
        before = self.told.primaries
        n, count = len(self.tables.members), len(self.tables.slots)
        primaries = [list(p) for p, _ in plan_seats]
        shadows = [s for _, s in plan_seats]
        load = self.loads(plan_seats)
        counted_loads = [load[m] for m in range(n) if self.counted[m]]
        if not counted_loads:
            return plan_seats
        low, high = min(counted_loads), max(counted_loads)
        served: list[set[int]] = [set() for _ in range(n)]
        at: list[list[int]] = [[] for _ in range(n)]  # primary shifts per member
        for t, (p, sh) in enumerate(plan_seats):
            for m in (*p, *sh):
                served[m].add(t)
            for m in p:
                at[m].append(t)
        after_shadow = [max((t for t in served[m] if m in shadows[t]), default=-1)
                        for m in range(n)]
        budget = WorkBudget(work)

        def fits(m: int, t: int, leaving: int | None) -> bool:
            """Whether ``m`` may take a primary seat at ``t`` (leaving ``leaving``)."""
            budget.spend(1 + len(served[m]))
            return self._seat_fits(m, t, leaving, primaries, shadows, served, after_shadow)

        def clash_after(t: int, out: int, into: int) -> int | None:
            """Same-team count of shift ``t`` with ``into`` for ``out``; None when the
            pair is not allowed (required teams, or no mentor left for a shadow)."""
            group = [into if m == out else m for m in primaries[t]]
            if shadows[t] and not any(self.tables.experienced[m] for m in group):
                return None
            teams = [self.tables.members[m].team for m in group]
            if self.tables.teams_required and teams_clash(self.tables.rotation, teams):
                return None
            return 0 if len(set(teams)) == len(teams) else 1

        def clash_now(t: int) -> int:
            return 0 if len({self.tables.team[m] for m in primaries[t]}) == len(primaries[t]) else 1

        def put(m: int, source: int | None, target: int | None) -> None:
            if source is not None:
                primaries[source].remove(m)
                served[m].discard(source)
                at[m].remove(source)
            if target is not None:
                primaries[target].append(m)
                served[m].add(target)
                at[m].append(target)

        def improve(t: int, into: int) -> bool:
            """One move that seats ``into`` at ``t`` and keeps more, if there is one."""
            outs = [m for m in primaries[t] if m not in before[t]]
            # Replace: loads move by one inside the band.
            if self.counted[into] and load[into] < high and fits(into, t, None):
                for out in outs:
                    if self.counted[out] and load[out] <= low:
                        continue
                    clash = clash_after(t, out, into)
                    if clash is None or clash > clash_now(t):
                        continue
                    put(out, t, None)
                    put(into, None, t)
                    load[out] -= 1
                    load[into] += 1
                    return True
            # Swap with a shift ``into`` serves now: loads unchanged.
            for u in sorted(at[into], key=lambda u: (abs(u - t), u)):
                budget.spend(1)
                lost = 1 if into in before[u] else 0
                for out in outs:
                    gain = 1 + (1 if out in before[u] else 0) - lost
                    if gain <= 0 or out in primaries[u]:
                        continue
                    here = clash_after(t, out, into)
                    there = clash_after(u, into, out)
                    if here is None or there is None:
                        continue
                    if here + there > clash_now(t) + clash_now(u):
                        continue
                    if not (fits(into, t, u) and fits(out, u, t)):
                        continue
                    put(into, u, t)
                    put(out, t, u)
                    return True
            # A cycle of three (loads unchanged): ``into`` u -> t, ``out`` t -> v, and
            # ``other`` v -> u fills the seat ``into`` left.
            for u in sorted(at[into], key=lambda u: (abs(u - t), u)):
                for out in outs:
                    for v in sorted(range(count), key=lambda v: (abs(v - t), v)):
                        budget.spend(1)
                        if budget.exhausted:
                            return False
                        if v in (t, u) or out in primaries[v]:
                            continue
                        for other in primaries[v]:
                            gain = (
                                1
                                + (out in before[v])
                                + (other in before[u])
                                - (into in before[u])
                                - (other in before[v])
                            )
                            if gain <= 0 or other == into or other in primaries[u]:
                                continue
                            # Three different people, each moving one seat of their own.
                            at_t = clash_after(t, out, into)
                            at_u = clash_after(u, into, other)
                            at_v = clash_after(v, other, out)
                            if at_t is None or at_u is None or at_v is None:
                                continue
                            if at_t + at_u + at_v > clash_now(t) + clash_now(u) + clash_now(v):
                                continue
                            if not (
                                fits(into, t, u) and fits(out, v, t) and fits(other, u, v)
                            ):
                                continue
                            put(into, u, t)
                            put(out, t, v)
                            put(other, v, u)
                            return True
            return False

        improved = True
        while improved and not budget.exhausted:
            improved = False
            for t in range(count):
                rank = self.tables.tiebreak.__getitem__
                for into in sorted(before[t] - set(primaries[t]), key=rank):
                    if budget.exhausted:
                        break
                    if improve(t, into):
                        improved = True
        return [(tuple(p), sh) for p, sh in zip(primaries, shadows, strict=True)]

    # --- results --------------------------------------------------------------------

    def to_plan(self, seats: list[Seat], best_possible: int) -> Plan:
        handle = [m.handle for m in self.tables.members]
        planned = [
            Shift(
                slot.first,
                slot.last,
                tuple(handle[m] for m in sorted(primaries, key=lambda m: handle[m])),
                tuple(handle[m] for m in sorted(shadows, key=lambda m: handle[m])),
            )
            for slot, (primaries, shadows) in zip(self.tables.slots, seats, strict=True)
        ]
        shifts = tuple(sorted((*self.history.kept, *planned), key=lambda shift: shift.start))
        loads = self.loads(seats)
        shadow = list(self.history.shadows_before)
        for _, shadows in seats:
            for m in shadows:
                shadow[m] += 1
        counted = tuple(handle[m] for m in range(len(self.tables.members)) if self.counted[m])
        by_handle = self.tables.rotation.by_handle
        distinct = 0
        with_primaries = 0
        for shift in shifts:
            if not shift.primary:
                continue
            with_primaries += 1
            teams = [by_handle[h].team if h in by_handle else h for h in shift.primary]
            if len(set(teams)) == len(teams):
                distinct += 1
        spread = self.spread_of(seats)
        fairness = Fairness(
            load={handle[m]: loads[m] for m in range(len(self.tables.members)) if self.counted[m]},
            shadow_load={
                handle[m]: shadow[m]
                for m in range(len(self.tables.members))
                if self.counted[m] or shadow[m]
            },
            counted=counted,
            spread=spread,
            best_possible=min(best_possible, spread),
            distinct_team_shifts=distinct,
            shifts=with_primaries,
        )
        return Plan(shifts, fairness, self.told.kept_of(seats), self.told.assignments)


def plan(
    rotation: Rotation,
    calendar: DutyCalendar,
    *,
    kept: Sequence[Shift] = (),
    plan_from: date | None = None,
    seed: int = 0,
    previous: Sequence[Shift] = (),
) -> Plan:
    """Plan every shift from ``plan_from`` on (all when None), keeping ``kept`` as history.

    ``previous`` are the shifts people were already told from ``plan_from`` on: among the
    fairest plans (and, with ``distinct_teams: preferred``, those with no more same-team
    shifts than the plan made without ``previous``) the planner keeps as many of their
    assignments as its search finds. Fairness is never traded for it, nor team mixing.

    Raises ``Infeasible`` with reasons when no plan can keep every hard rule.
    """
    problem = _Problem(rotation, calendar, kept, plan_from, seed, previous)
    reasons = _static_reasons(problem)
    if reasons:
        raise Infeasible(rotation.rotation, reasons)
    seats, best_possible, proven = _optimise(problem)
    if seats is None:
        raise Infeasible(rotation.rotation, _explain(problem, proven))
    return problem.to_plan(seats, best_possible)


def _optimise(problem: _Problem) -> tuple[list[Seat] | None, int, bool]:
    """The fairest plan found, a proven lower bound of its spread, and (when no plan was
    found) whether none exists."""
    lower, widest = spread_range(problem)
    work = problem.budget.per_try
    best: list[Seat] | None = None
    best_spread = widest + 1
    proven_below = lower  # every spread below this is proven impossible
    tried_plain = False
    for spread in range(lower, widest + 1):
        if spread >= best_spread:
            break
        all_proven = True
        for lo in band_candidates(problem, spread):
            seats, proven = _decide_band(problem, lo, lo + spread, work)
            if seats is not None:
                best, best_spread = seats, problem.spread_of(seats)
                break
            all_proven = all_proven and proven
        if best is not None and best_spread <= spread:
            break
        if all_proven and proven_below == spread:
            proven_below = spread + 1
        if best is None and not tried_plain:
            # The fairest bands failed: find any plan, to learn whether one exists at all.
            tried_plain = True
            outcome = _decide(problem, None, None, work)
            if outcome.seating is None:
                if outcome.proven:
                    return None, 0, True
            else:
                best, best_spread = outcome.seating, problem.spread_of(outcome.seating)
    if best is None:
        return None, 0, proven_below > widest
    if problem.tables.teams_preferred and problem.tables.seats_per_shift > 1:
        best = problem.mix_teams(best)
        if problem.clashes(best) > problem.tables.forced_clashes[0]:
            best = problem.mix_teams(_fewer_clashes(problem, best, work // 2))
    if not problem.told.empty:
        best = _keep_previous(problem, best, work // 2)
    return best, proven_below, True


def _keep_previous(problem: _Problem, best: list[Seat], work: int) -> list[Seat]:
    """The plan keeping the most of the previous schedule that these searches find (no
    proof that none keeps more), among plans as fair as ``best``
    and (distinct teams preferred) with no more same-team shifts: fairness, then distinct
    teams, then stability, then even spacing.

    A guided search per fairest band (previous people first) usually lands on the old
    plan with only the forced changes; fairness-neutral moves then mop up."""
    spread = problem.spread_of(best)
    mixing = problem.tables.teams_preferred and problem.tables.seats_per_shift > 1
    limit = problem.clashes(best) + 1 if mixing else None
    quick = one_descent(problem)
    options = [best]
    for rank, lo in enumerate(band_candidates(problem, spread)):
        outcome = search(problem, lo, lo + spread, work // 4 if rank == 0 else quick,
                                 clash_limit=limit, guided=True)
        if outcome.seating is not None:
            options.append(problem.mix_teams(outcome.seating) if mixing else outcome.seating)
    improved = [problem.keep_more(option, quick) for option in options]
    fair = [option for option in improved if problem.spread_of(option) <= spread]
    return min(
        fair,  # min keeps the first of equals: deterministic
        key=lambda seats: (problem.clashes(seats) if mixing else 0, -problem.told.kept_of(seats)),
    )


def _fewer_clashes(problem: _Problem, best: list[Seat], work: int) -> list[Seat]:
    """Branch and bound on the number of same-team shifts, inside the fairest band.

    Per band, it first aims at the lower bound (``clash_bound``) and raises the aim
    while each aim is proven out of reach: a search that may add no same-team shift
    beyond the aim prunes hard, so it often lands on the optimum directly. If an aim
    can be neither met nor ruled out within its share of work, it falls back to
    lowering the best count found one search at a time. For pairs without min_gap or
    shadows a cheapest flow gives the exact optimum up front."""
    spread = problem.spread_of(best)
    current = problem.clashes(best)
    budget = WorkBudget(work)  # what this pass's searches took from the plan's budget
    for lo in band_candidates(problem, spread):
        hi = lo + spread
        aim = clash_bound(
            problem,
            0,
            problem.start_capacity,
            problem.history.primaries_before,
            problem.history.last_served,
            problem.history.shadows_needed,
            lo,
            hi,
        )
        exact = None
        if aim < current and problem.tables.seats_per_shift == 2 and exact_by_flow(problem):
            # No min_gap, no shadows, pairs: the cheapest flow is the exact optimum. The
            # search still aims at it first, as its plans space each member's shifts.
            exact = relaxed_plan(problem, lo, hi, mixing=True)
            if exact is not None:
                aim = max(aim, problem.clashes(exact))
        while aim < current and not budget.exhausted:
            share = work // 16 if exact is not None else max(work // 16, budget.left // 2)
            before = problem.budget.left
            outcome = search(problem, lo, hi, share, clash_limit=aim + 1)
            budget.spend(before - problem.budget.left)  # a quick proof leaves work for the next
            if outcome.seating is not None:
                best, current = outcome.seating, problem.clashes(outcome.seating)
                break
            if not outcome.proven:
                break
            aim += 1
        if exact is not None and problem.clashes(exact) < current:
            best, current = exact, problem.clashes(exact)
        while current > aim and not budget.exhausted:
            share = max(work // 16, budget.left // 2)
            before = problem.budget.left
            outcome = search(problem, lo, hi, share, clash_limit=current)
            budget.spend(before - problem.budget.left)
            if outcome.seating is None:
                break
            best, current = outcome.seating, problem.clashes(outcome.seating)
    return best


def _decide_band(
    problem: _Problem, lo: int, hi: int, work: int
) -> tuple[list[Seat] | None, bool]:
    outcome = _decide(problem, lo, hi, work)
    return outcome.seating, outcome.proven


def _decide(problem: _Problem, lo: int | None, hi: int | None, work: int) -> Outcome:
    """A plan in the band, or proof there is none, or neither when the budget runs out."""
    # Enough for one descent with a little backtracking: the common roster ends here.
    quick = search(problem, lo, hi, one_descent(problem))
    if quick.seating is not None or quick.proven:
        return quick
    if relaxation_fails(problem, lo, hi):
        return Outcome(None, True)
    outcome = search(problem, lo, hi, work)
    if outcome.seating is None and not outcome.proven and exact_by_flow(problem):
        return Outcome(relaxed_plan(problem, lo, hi), True)
    return outcome


# --- explanations -------------------------------------------------------------------------


def _names(handles: Sequence[str]) -> str:
    if len(handles) <= 1:
        return "".join(handles)
    return ", ".join(handles[:-1]) + " and " + handles[-1]


def _static_reasons(problem: _Problem) -> list[str]:
    """Newcomers who cannot shadow, and shifts that too few people (or teams) can take,
    whatever else the plan does."""
    rotation = problem.tables.rotation
    people = problem.tables.seats_per_shift
    reasons = _newcomer_reasons(problem)
    first_primary = [problem.earliest_primary(m) for m in range(len(problem.tables.members))]
    slot_reasons: list[str] = []
    for t, slot in enumerate(problem.tables.slots):
        able = [
            member
            for m, member in enumerate(problem.tables.members)
            if problem.tables.can_take[m][t] and first_primary[m] <= t
        ]
        if len(able) < people:
            blocked = []
            ineligible = 0
            for member in rotation.members:
                why = slot_blockers(rotation, member, slot)
                if any(rule in ("volunteers_only", "terms") for rule, _ in why):
                    ineligible += 1
                elif why:
                    blocked.append(f"{member.handle} ({'; '.join(r for _, r in why)})")
                elif member not in able:
                    blocked.append(f"{member.handle} (new, still shadowing)")
            tail = (
                f"; {ineligible} other member(s) are not eligible (not volunteers, or not "
                "serving this term)"
                if ineligible
                else ""
            )
            if not able:
                slot_reasons.append(
                    f"{slot.span}: nobody is available: "
                    + (", ".join(blocked) or "no members")
                    + tail
                )
            else:
                slot_reasons.append(
                    f"{slot.span} needs {people} primaries but only "
                    f"{_names([m.handle for m in able])} can serve it"
                    + (f"; not available: {', '.join(blocked)}" if blocked else "")
                    + tail
                )
            continue
        if problem.tables.teams_required and people > 1:
            teams = sorted({m.team for m in able})
            if len(teams) < people:
                slot_reasons.append(
                    f"{slot.span}: distinct_teams: required needs {people} teams, but all "
                    f"{len(able)} members who can serve it are in "
                    + (f"team {teams[0]}" if len(teams) == 1 else f"teams {', '.join(teams)}")
                )
    if not slot_reasons:
        slot_reasons = _gap_window_reasons(problem)
    if len(slot_reasons) > 12:
        slot_reasons = [*slot_reasons[:12], f"... and {len(slot_reasons) - 12} more shift(s)"]
    return reasons + slot_reasons


def _newcomer_reasons(problem: _Problem) -> list[str]:
    """Newcomers who cannot fit their shadow shifts into the term, and why."""
    reasons = []
    wanted = problem.tables.rotation.onboarding.shadow_shifts
    count = len(problem.tables.slots)
    mentors = [m for m in range(len(problem.tables.members)) if problem.tables.experienced[m]]
    for m, member in enumerate(problem.tables.members):
        need = problem.history.shadows_needed[m]
        if not need or problem.tables.capacity(
            m, 0, problem.history.last_served[m], problem.history.served_before[m], need
        ) >= 0:
            continue
        start = f"{member.handle} is new and must first shadow {wanted} shift(s) beside an " \
            "experienced primary"
        together = [
            t
            for t in range(count)
            if problem.tables.can_take[m][t] and any(problem.tables.can_take[e][t] for e in mentors)
        ]
        if not mentors:
            reasons.append(f"{start}, but no experienced member serves this term")
        elif len(together) < need:
            reasons.append(
                f"{start}, but only {len(together)} shift(s) have both {member.handle} and an "
                f"experienced member available ({need} needed)"
            )
        else:
            reasons.append(
                f"{start}, but min_gap {problem.tables.rotation.rules.min_gap} and max_shifts "
                f"{problem.tables.rotation.rules.max_shifts} leave room for fewer than {need}"
            )
    return reasons


def _gap_window_reasons(problem: _Problem) -> list[str]:
    """Runs of shifts so close together that min_gap lets nobody serve two of them: each
    run needs that many different people, whoever else is planned."""
    width = min(problem.tables.spacing, len(problem.tables.slots))
    if width <= 1:
        return []
    rules = problem.tables.rotation.rules
    wanted = problem.tables.seats_per_shift * width
    reasons: list[str] = []
    reported_until = -1
    prefix = problem.tables.able_before
    for first in range(len(problem.tables.slots) - width + 1):
        end = first + width
        if sum(1 for sums in prefix if sums[end] > sums[first]) >= wanted:
            continue
        able = [
            member.handle
            for member, sums in zip(problem.tables.members, prefix, strict=True)
            if sums[end] > sums[first]
        ]
        if first > reported_until:
            reported_until = first + width - 1
            slots = problem.tables.slots
            span = f"{slots[first].first}..{slots[first + width - 1].last}"
            reasons.append(
                f"{span}: with min_gap {rules.min_gap} nobody may serve two of these {width} "
                f"shifts, so they need {wanted} different people, but only {len(able)} can "
                f"serve them" + (f" ({_names(able)})" if able and len(able) <= 10 else "")
            )
    return reasons


def _explain(problem: _Problem, proven: bool) -> list[str]:
    """Which rule to blame, found by relaxing the rules one at a time."""
    rotation = problem.tables.rotation
    rules = rotation.rules
    eligible = len(problem.tables.members)
    people = problem.tables.seats_per_shift
    if not proven:
        return [
            f"no plan was found within the search budget ({problem.budget.per_try} units of work "
            "per try), but none was proven impossible either: try another --seed, or "
            "relax min_gap, max_shifts or distinct_teams"
        ]
    relaxations: list[tuple[str, Rotation, str]] = []
    if rules.min_gap:
        relaxations.append(
            (
                f"with min_gap {rules.min_gap}, the {eligible} eligible member(s) cannot fill "
                f"{people} seat(s) on every shift",
                replace(rotation, rules=replace(rules, min_gap=0)),
                "min_gap 0",
            )
        )
    if rules.max_shifts is not None:
        relaxations.append(
            (
                f"with max_shifts {rules.max_shifts}, the {eligible} eligible member(s) "
                f"cannot fill {people * len(problem.tables.slots)} seat(s)",
                replace(rotation, rules=replace(rules, max_shifts=None)),
                "no max_shifts",
            )
        )
    if problem.tables.teams_required and people > 1:
        relaxations.append(
            (
                "distinct_teams: required leaves too few pairs from different teams",
                replace(rotation, rules=replace(rules, distinct_teams=DistinctTeams.OFF)),
                "distinct_teams: off",
            )
        )
    if any(problem.history.shadows_needed):
        learners = [
            problem.tables.members[m].handle
            for m in range(eligible)
            if problem.history.shadows_needed[m]
        ]
        relaxations.append(
            (
                f"newcomers {_names(learners)} must first shadow "
                f"{rotation.onboarding.shadow_shifts} shift(s) each beside an experienced "
                "primary, which leaves too few primaries",
                replace(rotation, onboarding=Onboarding(0)),
                "no shadow shifts",
            )
        )
    reasons = []
    for text, relaxed, label in relaxations:
        if _feasible(problem, relaxed):
            reasons.append(f"{text}: a plan exists with {label}")
    if reasons:
        return reasons
    labels = [label for _, _, label in relaxations]
    if len(relaxations) > 1:
        everything = rotation
        for _, relaxed, _ in relaxations:
            everything = replace(
                everything,
                rules=replace(
                    everything.rules,
                    min_gap=min(everything.rules.min_gap, relaxed.rules.min_gap),
                    max_shifts=relaxed.rules.max_shifts
                    if relaxed.rules.max_shifts is None
                    else everything.rules.max_shifts,
                    distinct_teams=relaxed.rules.distinct_teams
                    if relaxed.rules.distinct_teams is DistinctTeams.OFF
                    else everything.rules.distinct_teams,
                ),
                onboarding=relaxed.onboarding
                if relaxed.onboarding.shadow_shifts == 0
                else everything.onboarding,
            )
        if _feasible(problem, everything):
            return [
                "no single rule is to blame, but together they leave too few people: "
                f"a plan exists with {', '.join(labels)}"
            ]
    return [
        f"the {eligible} eligible member(s) cannot fill {people} seat(s) on each of the "
        f"{len(problem.tables.slots)} shift(s) under the rules together"
    ]


def _feasible(problem: _Problem, rotation: Rotation) -> bool:
    tables = problem.tables
    relaxed = _Problem(rotation, tables.calendar, problem.history.kept, tables.plan_from, 0)
    per_try = relaxed.budget.per_try
    relaxed.budget = WorkBudget(per_try // 2, per_try)
    if _static_reasons(relaxed):
        return False
    return _decide(relaxed, None, None, per_try // 4).seating is not None


