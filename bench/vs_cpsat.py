"""Our planner's spread against the proven optimum of an exact CP-SAT model.

    pip install -e '.[bench]'      # OR-Tools: only for this script, never for oncall
    python bench/vs_cpsat.py [--repeats 3] [--quick]

For every generated instance the exact model encodes the same hard rules (whole shifts
only to members available on every duty day, pair size, distinct teams when required,
min_gap, max_shifts, newcomers shadowing beside an experienced primary before primary
duty, kept history) and minimises the spread of primary shifts over the members our
planner counts; with ``distinct_teams: preferred`` it then maximises the mixed-team
shifts at that spread. Any difference in spread, or a rule our plan breaks, is printed
loudly and makes the exit code 1; fewer mixed-team shifts are printed loudly too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from instances import (
    Spec,
    comparison_specs,
    describe,
    make_calendar,
    make_kept,
    make_rotation,
    median_time,
)
from instances import table as render

from oncall.core.availability import can_take_slot, is_experienced
from oncall.core.calendar import DutyCalendar
from oncall.core.errors import Infeasible
from oncall.core.fair_share import Presence, expected_shares
from oncall.core.model import DistinctTeams, Rotation
from oncall.core.rules import ERROR, check, eligible_members, gap_allows, teams_clash
from oncall.core.schedule import Schedule, Shift
from oncall.planner import Solution, solve

CPSAT_TIME_LIMIT = 60.0


@dataclass
class Exact:
    """What CP-SAT proved: status, optimal spread, and (preferred teams) the most shifts
    whose primaries are all from different teams at that spread."""

    status: str
    spread: int | None = None
    distinct: int | None = None
    distinct_status: str = "-"


def cpsat(
    rotation: Rotation,
    calendar: DutyCalendar,
    counted: Sequence[str],
    kept: Sequence[Shift] = (),
    plan_from: date | None = None,
) -> Exact:
    """The exact model, written from the spec's rules (not from the planner's code).

    Lexicographic: minimise the spread of primary shifts less each one's pro-rated share
    over ``counted`` (kept history included); then, for ``distinct_teams: preferred``
    with pairs or more, fix that spread and maximise the shifts whose primaries all
    come from different teams.
    """
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    members = eligible_members(rotation, calendar.term)
    base = next(
        (s.index for s in calendar.slots if plan_from is None or s.first >= plan_from),
        len(calendar.slots),
    )
    slots = calendar.slots[base:]
    people = rotation.shift.people
    rules = rotation.rules
    # History: loads, slots served, last slot served, shadow shifts still owed.
    load0 = {m.handle: 0 for m in members}
    served0: dict[str, set[int]] = {m.handle: set() for m in members}
    first_primary: dict[str, int] = {}
    kept_distinct = 0
    for shift in kept:
        slot = calendar.slot_of(shift.start)
        if slot is None:
            continue
        if shift.primary:
            teams = [rotation.by_handle[h].team for h in shift.primary]
            kept_distinct += len(set(teams)) == len(teams)
        for handle in shift.primary:
            if handle in load0:
                load0[handle] += 1
                served0[handle].add(slot.index)
                first_primary[handle] = min(first_primary.get(handle, slot.index), slot.index)
        for handle in shift.shadow:
            if handle in served0:
                served0[handle].add(slot.index)
    need = {}
    for m in members:
        if m.new and m.handle not in first_primary:
            need[m.handle] = max(0, rotation.onboarding.shadow_shifts - len(served0[m.handle]))
        else:
            need[m.handle] = 0

    x: dict[tuple[str, int], cp_model.IntVar] = {}  # primary
    y: dict[tuple[str, int], cp_model.IntVar] = {}  # shadow
    for m in members:
        last = max(served0[m.handle], default=None)
        for slot in slots:
            if not can_take_slot(rotation, calendar.term, m, slot):
                continue
            if last is not None and not gap_allows(rotation, last, slot.index):
                continue
            x[m.handle, slot.index] = model.new_bool_var(f"x_{m.handle}_{slot.index}")
            if need[m.handle]:
                y[m.handle, slot.index] = model.new_bool_var(f"y_{m.handle}_{slot.index}")
    clash_vars = []
    for slot in slots:
        seats = [(m, x[m.handle, slot.index]) for m in members if (m.handle, slot.index) in x]
        model.add(sum(v for _, v in seats) == people)
        by_team: dict[str, list[cp_model.IntVar]] = {}
        for m, v in seats:
            by_team.setdefault(m.team, []).append(v)
        if people > 1 and teams_clash(rotation, ["same", "same"]):
            for team_seats in by_team.values():
                if len(team_seats) > 1:
                    model.add(sum(team_seats) <= 1)
        elif people > 1 and rules.distinct_teams is DistinctTeams.PREFERRED:
            clash = model.new_bool_var(f"clash_{slot.index}")
            for team_seats in by_team.values():
                if len(team_seats) > 1:
                    model.add(sum(team_seats) <= 1 + (people - 1) * clash)
            clash_vars.append(clash)
        experienced = [v for m, v in seats if is_experienced(m)]
        for m in members:
            shadow = y.get((m.handle, slot.index))
            if shadow is not None:
                model.add(shadow <= sum(experienced))
                model.add(shadow + x[m.handle, slot.index] <= 1)
    loads = {}
    for m in members:
        mine = [s.index for s in slots if (m.handle, s.index) in x]
        serve = {i: x[m.handle, i] + y[m.handle, i] if (m.handle, i) in y else x[m.handle, i]
                 for i in mine}
        if rules.min_gap:
            for first in mine:
                window = [serve[i] for i in mine if first <= i <= first + rules.min_gap]
                if len(window) > 1:
                    model.add(sum(window) <= 1)
        if rules.max_shifts is not None:
            model.add(len(served0[m.handle]) + sum(serve.values()) <= rules.max_shifts)
        if need[m.handle]:
            shadows = [y[m.handle, i] for i in mine]
            model.add(sum(shadows) == need[m.handle])
            for i in mine:  # shadows before primary duty
                model.add(
                    sum(y[m.handle, j] for j in mine if j < i) >= need[m.handle]
                ).only_enforce_if(x[m.handle, i])
        loads[m.handle] = load0[m.handle] + sum(x[m.handle, i] for i in mine)
    total = len(calendar.slots) + len(kept)
    # Pro-rated shares (core/fair_share.py): the spread is of load less expected share.
    present = Presence(calendar.duty_days)
    expected = expected_shares(
        {m.handle: present.of(m) for m in members if m.handle in counted},
        people * len(calendar.slots),
    )
    high = model.new_int_var(-people * total, total, "high")
    low = model.new_int_var(-people * total, total, "low")
    for handle in counted:
        model.add(loads[handle] - expected[handle] <= high)
        model.add(loads[handle] - expected[handle] >= low)
    model.minimize(high - low)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = CPSAT_TIME_LIMIT
    solver.parameters.num_workers = os.cpu_count() or 1
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return Exact("infeasible")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Exact("unknown")
    spread = round(solver.objective_value)
    found = Exact(
        "optimal" if status == cp_model.OPTIMAL
        else f"feasible (bound {round(solver.best_objective_bound)})",
        spread,
    )
    if clash_vars and status == cp_model.OPTIMAL:
        model.add(high - low == spread)
        model.minimize(sum(clash_vars))
        status = solver.solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found.distinct = kept_distinct + len(slots) - round(solver.objective_value)
            bound = kept_distinct + len(slots) - round(solver.best_objective_bound)
            found.distinct_status = (
                "optimal" if status == cp_model.OPTIMAL else f"feasible (bound {bound})"
            )
    return found


def round_robin_shifts(
    rotation: Rotation, calendar: DutyCalendar, plan_from: date | None
) -> list[Shift]:
    """Plain round robin over the planned shifts, rules ignored: a "previous" schedule."""
    handles = [m.handle for m in eligible_members(rotation, calendar.term)]
    people = rotation.shift.people
    planned = [s for s in calendar.slots if plan_from is None or s.first >= plan_from]
    return [
        Shift(s.first, s.last, tuple(handles[(i * people + k) % len(handles)]
                                     for k in range(people)))
        for i, s in enumerate(planned)
    ]


def counted_fallback(rotation: Rotation, calendar: DutyCalendar) -> list[str]:
    """Who would be counted when our planner found no plan: members who can take a shift."""
    return [
        m.handle
        for m in eligible_members(rotation, calendar.term)
        if any(can_take_slot(rotation, calendar.term, m, s) for s in calendar.slots)
    ]


@dataclass
class Compared:
    row: list[str]
    spread_ok: bool
    distinct_ok: bool
    infeasible: bool
    ours_s: float
    exact_s: float


def compare(spec: Spec, repeats: int) -> Compared:
    rotation = make_rotation(spec)
    calendar = make_calendar(rotation)
    kept, plan_from = make_kept(spec, rotation, calendar)

    def ours() -> Solution | Infeasible:
        try:
            return solve(rotation, calendar, kept=kept, plan_from=plan_from, seed=0)
        except Infeasible as error:
            return error

    ours_time, result = median_time(ours, repeats)
    broken = "-"
    if isinstance(result, Infeasible):
        our_spread: int | None = None
        counted = counted_fallback(rotation, calendar)
        proven = "-"
        our_distinct = None
    else:
        fairness = result.fairness
        our_spread = fairness.spread
        counted = list(fairness.counted)
        proven = "yes" if fairness.proven_optimal else f"no (bound {fairness.best_possible})"
        our_distinct = fairness.distinct_team_shifts
        schedule = Schedule(rotation.id, None, calendar.term, result.shifts)
        broken = str(sum(1 for v in check(rotation, calendar, schedule) if v.severity == ERROR))
    # Re-planning: the same instance with a previous schedule people were told (plain round
    # robin over the planned shifts, so it disagrees a lot): fairness must not move.
    again = "-"
    again_ok = True
    if not isinstance(result, Infeasible):
        told = round_robin_shifts(rotation, calendar, plan_from)
        replanned = solve(rotation, calendar, kept=kept, plan_from=plan_from, seed=0,
                         told=told).fairness
        mixing = spec.distinct is DistinctTeams.PREFERRED and spec.people > 1
        again_ok = replanned.spread == our_spread and (
            not mixing or replanned.distinct_team_shifts == our_distinct
        )
        again = f"{replanned.spread}" + (f"/{replanned.distinct_team_shifts}" if mixing else "")
    exact_time, exact = median_time(
        lambda: cpsat(rotation, calendar, counted, kept, plan_from), repeats
    )
    spread_ok = our_spread == exact.spread and exact.status in ("optimal", "infeasible")
    if exact.status.startswith("feasible") and our_spread is not None and exact.spread is not None:
        spread_ok = our_spread <= exact.spread  # CP-SAT ran out of time: we must be no worse
    spread_ok = spread_ok and broken in ("-", "0") and again_ok
    distinct_ok = exact.distinct is None or our_distinct == exact.distinct
    verdict = "ok" if spread_ok else "DIFFERENT"
    if spread_ok and not distinct_ok:
        fewer = (our_distinct or 0) < (exact.distinct or 0)
        verdict = "ok, FEWER MIXED" if fewer else "MORE MIXED?"
    row = [
        spec.name,
        describe(spec),
        str(len(calendar.slots) - (len(kept) if kept else 0)),
        "infeasible" if our_spread is None else str(our_spread),
        proven,
        exact.status if exact.spread is None
        else f"{exact.spread}" + ("" if exact.status == "optimal" else f" {exact.status}"),
        "-" if exact.distinct is None else str(our_distinct),
        "-" if exact.distinct is None else str(exact.distinct)
        + ("" if exact.distinct_status == "optimal" else f" {exact.distinct_status}"),
        broken,
        again,
        verdict,
        f"{ours_time * 1000:.1f}",
        f"{exact_time * 1000:.1f}",
        f"{exact_time / ours_time:.1f}x" if ours_time > 0 else "-",
    ]
    return Compared(row, spread_ok, distinct_ok, our_spread is None, ours_time, exact_time)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--quick", action="store_true", help="only every fourth instance")
    parser.add_argument("--only", nargs="*", default=None, help="instance ids, e.g. i76 i90")
    args = parser.parse_args()
    warm = comparison_specs()[0]  # load OR-Tools and our modules before timing anything
    cpsat(make_rotation(warm), make_calendar(make_rotation(warm)), [])
    specs = comparison_specs()
    if args.only:
        specs = [s for s in specs if s.name in args.only]
    elif args.quick:
        specs = specs[::4]
    done = []
    for spec in specs:
        result = compare(spec, args.repeats)
        done.append(result)
        print(" ".join(result.row), file=sys.stderr, flush=True)
    headers = [
        "id", "instance", "planned", "our spread", "proven", "cp-sat spread",
        "our mixed", "cp-sat mixed", "broken", "re-plan", "match",
        "ours ms", "cp-sat ms", "cp-sat/ours",
    ]
    print(render(headers, [r.row for r in done]))
    print()
    differences = [r.row[0] for r in done if not r.spread_ok]
    fewer = [r.row[0] for r in done if r.spread_ok and not r.distinct_ok]
    compared_mixed = sum(1 for r in done if r.row[7] != "-")
    ratios = [r.exact_s / r.ours_s for r in done if r.ours_s > 0]
    print(f"{len(done) - len(differences)} of {len(done)} instances: same spread as CP-SAT's "
          f"optimum (median of {args.repeats} runs each); "
          f"{sum(r.infeasible for r in done)} infeasible.")
    print(f"distinct_teams preferred: {compared_mixed - len(fewer)} of {compared_mixed} with as "
          "many mixed-team shifts as CP-SAT's lexicographic optimum.")
    if ratios:
        print(f"time: ours faster on {sum(x > 1 for x in ratios)} of {len(ratios)}; "
              f"median CP-SAT/ours {statistics.median(ratios):.1f}x "
              f"(range {min(ratios):.1f}x-{max(ratios):.0f}x); median ours "
              f"{statistics.median(r.ours_s for r in done) * 1000:.1f} ms, CP-SAT "
              f"{statistics.median(r.exact_s for r in done) * 1000:.1f} ms; slowest ours "
              f"{max(r.ours_s for r in done) * 1000:.0f} ms "
              f"({max(done, key=lambda r: r.ours_s).row[0]}).")
    if fewer:
        print("!!! FEWER MIXED-TEAM SHIFTS THAN THE EXACT OPTIMUM ON: " + ", ".join(fewer) + " !!!")
    if differences:
        print("!!! SPREAD DIFFERS FROM THE EXACT OPTIMUM (OR A RULE IS BROKEN) ON: "
              + ", ".join(differences) + " !!!")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
