"""Our planner's spread against the proven optimum of an exact CP-SAT model.

    pip install -e '.[bench]'      # OR-Tools: only for this script, never for oncall
    python bench/vs_cpsat.py [--repeats 3] [--quick]

For every generated instance the exact model encodes the same hard rules (whole shifts
only to members available on every duty day, pair size, distinct teams when required,
min_gap, max_shifts) and minimises the spread of primary shifts over the members our
planner counts. Any difference in spread is printed loudly and makes the exit code 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from instances import Spec, comparison_specs, describe, make_calendar, make_rotation, median_time
from instances import table as render

from oncall.calendar import DutyCalendar
from oncall.errors import Infeasible
from oncall.model import Rotation
from oncall.planner import plan
from oncall.rules import can_take_slot, eligible_members, teams_clash

CPSAT_TIME_LIMIT = 60.0


def cpsat_spread(
    rotation: Rotation, calendar: DutyCalendar, counted: Sequence[str]
) -> tuple[str, int | None]:
    """(status, optimal spread) of the exact model; status is optimal|infeasible|unknown."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    members = eligible_members(rotation)
    slots = calendar.slots
    x: dict[tuple[str, int], cp_model.IntVar] = {}
    for member in members:
        for slot in slots:
            if can_take_slot(rotation, member, slot):
                x[member.handle, slot.index] = model.new_bool_var(f"x_{member.handle}_{slot.index}")
    people = rotation.shift.people
    for slot in slots:
        model.add(sum(x[m.handle, slot.index] for m in members if (m.handle, slot.index) in x)
                  == people)
        if people > 1 and teams_clash(rotation, ["same", "same"]):
            by_team: dict[str, list[cp_model.IntVar]] = {}
            for member in members:
                if (member.handle, slot.index) in x:
                    by_team.setdefault(member.team, []).append(x[member.handle, slot.index])
            for seats in by_team.values():
                if len(seats) > 1:
                    model.add(sum(seats) <= 1)
    gap = rotation.rules.min_gap
    loads = {}
    for member in members:
        mine = [(s.index, x[member.handle, s.index]) for s in slots
                if (member.handle, s.index) in x]
        if gap:
            for first in range(len(slots)):
                window = [v for i, v in mine if first <= i <= first + gap]
                if len(window) > 1:
                    model.add(sum(window) <= 1)
        load = sum(v for _, v in mine)
        if rotation.rules.max_shifts is not None:
            model.add(load <= rotation.rules.max_shifts)
        loads[member.handle] = load
    high = model.new_int_var(0, len(slots), "high")
    low = model.new_int_var(0, len(slots), "low")
    for handle in counted:
        model.add(loads[handle] <= high)
        model.add(loads[handle] >= low)
    model.minimize(high - low)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = CPSAT_TIME_LIMIT
    solver.parameters.num_workers = os.cpu_count() or 1
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status == cp_model.OPTIMAL:
        return "optimal", round(solver.objective_value)
    if status == cp_model.INFEASIBLE:
        return "infeasible", None
    if status == cp_model.FEASIBLE:
        return f"feasible (bound {round(solver.best_objective_bound)})", round(
            solver.objective_value
        )
    return "unknown", None


def counted_fallback(rotation: Rotation, calendar: DutyCalendar) -> list[str]:
    """Who would be counted when our planner found no plan: members who can take a shift."""
    return [
        m.handle
        for m in eligible_members(rotation)
        if any(can_take_slot(rotation, m, s) for s in calendar.slots)
    ]


def compare(spec: Spec, repeats: int) -> tuple[list[str], bool]:
    rotation = make_rotation(spec)
    calendar = make_calendar(rotation)

    def ours() -> object:
        try:
            return plan(rotation, calendar, seed=0)
        except Infeasible as error:
            return error

    ours_time, result = median_time(ours, repeats)
    if isinstance(result, Infeasible):
        our_spread: int | None = None
        counted = counted_fallback(rotation, calendar)
        proven = "-"
    else:
        our_spread = result.fairness.spread  # type: ignore[attr-defined]
        counted = list(result.fairness.counted)  # type: ignore[attr-defined]
        proven = "yes" if our_spread == result.fairness.best_possible else "no"  # type: ignore[attr-defined]
    exact_time, (status, exact) = median_time(
        lambda: cpsat_spread(rotation, calendar, counted), repeats
    )
    agree = our_spread == exact and (status == "optimal" or (status == "infeasible"))
    if status.startswith("feasible") and our_spread is not None and exact is not None:
        agree = our_spread <= exact  # CP-SAT ran out of time: we must be no worse
    verdict = "ok" if agree else "DIFFERENT"
    row = [
        spec.name,
        describe(spec),
        str(len(calendar.slots)),
        "infeasible" if our_spread is None else str(our_spread),
        proven,
        status if exact is None else f"{exact}" + ("" if status == "optimal" else f" {status}"),
        verdict,
        f"{ours_time * 1000:.1f}",
        f"{exact_time * 1000:.1f}",
        f"{exact_time / ours_time:.1f}x" if ours_time > 0 else "-",
    ]
    return row, agree


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--quick", action="store_true", help="only every fourth instance")
    args = parser.parse_args()
    warm = comparison_specs()[0]  # load OR-Tools and our modules before timing anything
    cpsat_spread(make_rotation(warm), make_calendar(make_rotation(warm)), [])
    specs = comparison_specs()
    if args.quick:
        specs = specs[::4]
    rows = []
    differences = []
    for spec in specs:
        row, agree = compare(spec, args.repeats)
        rows.append(row)
        if not agree:
            differences.append(row)
        print(" ".join(row), file=sys.stderr, flush=True)
    headers = [
        "id", "instance", "shifts", "our spread", "proven", "cp-sat spread", "match",
        "ours ms", "cp-sat ms", "cp-sat/ours",
    ]
    print(render(headers, rows))
    print()
    print(f"{len(rows) - len(differences)} of {len(rows)} instances: same spread as CP-SAT's "
          f"optimum (median of {args.repeats} runs each).")
    if differences:
        print("!!! SPREAD DIFFERS FROM THE EXACT OPTIMUM ON: "
              + ", ".join(row[0] for row in differences) + " !!!")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
