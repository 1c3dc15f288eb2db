"""How many rules plain round robin breaks on the instances our planner solves cleanly.

    python bench/vs_round_robin.py

Round robin is what PagerDuty and Opsgenie schedules do: cycle the volunteer list and
hand each shift to the next ``people`` members, ignoring availability, teams and gaps.
Both schedules are judged by the one rules engine (``rules.check``). We count the broken
(rule, member, day) triples, so a week-long shift on someone's holiday counts each day.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import date
from itertools import cycle

from instances import Spec, comparison_specs, describe, make_calendar, make_kept, make_rotation
from instances import table as render

from oncall.core.calendar import DutyCalendar
from oncall.core.errors import Infeasible
from oncall.core.model import Rotation
from oncall.core.rules import ERROR, check, eligible_members
from oncall.core.schedule import Schedule, Shift
from oncall.planner import solve

RULES = ("availability", "distinct_teams", "min_gap", "max_shifts", "people", "shadow_first")


def round_robin(
    rotation: Rotation, calendar: DutyCalendar, kept: list[Shift], plan_from: date | None
) -> Schedule:
    volunteers = cycle([m.handle for m in eligible_members(rotation, calendar.term)])
    shifts = list(kept)
    seats = rotation.shift.people
    for slot in calendar.slots:
        if plan_from is not None and slot.first < plan_from:
            continue
        shifts.append(Shift(slot.first, slot.last, tuple(next(volunteers) for _ in range(seats))))
    return Schedule(rotation.id, None, calendar.term, tuple(shifts))


def broken(rotation: Rotation, calendar: DutyCalendar, schedule: Schedule) -> Counter[str]:
    counts: Counter[str] = Counter()
    for violation in check(rotation, calendar, schedule):
        if violation.severity == ERROR:
            counts[violation.rule] += max(1, len(violation.dates)) * max(1, len(violation.people))
    return counts


def row_for(spec: Spec) -> tuple[list[str], int, int]:
    rotation = make_rotation(spec)
    calendar = make_calendar(rotation)
    kept, plan_from = make_kept(spec, rotation, calendar)
    rr = round_robin(rotation, calendar, kept, plan_from)
    # Kept history is the same for both; only what each planned is counted.
    history = broken(rotation, calendar, Schedule(rotation.id, None, calendar.term,
                                                  tuple(kept)))
    rr_broken = broken(rotation, calendar, rr) - history
    try:
        result = solve(rotation, calendar, kept=kept, plan_from=plan_from, seed=0)
    except Infeasible:
        ours = "infeasible"
        ours_total = 0
    else:
        mine = Schedule(rotation.id, None, calendar.term, result.shifts)
        ours_broken = broken(rotation, calendar, mine) - history
        ours_total = sum(ours_broken.values())
        ours = str(ours_total)
    rr_loads = Counter(h for s in rr.shifts for h in s.primary)
    rr_spread = max(rr_loads.values()) - min(rr_loads.get(m.handle, 0)
                                             for m in eligible_members(rotation, calendar.term))
    cells = [spec.name, describe(spec), str(len(calendar.slots))]
    cells += [str(rr_broken.get(rule, 0)) for rule in RULES]
    cells += [str(sum(rr_broken.values())), str(rr_spread), ours]
    return cells, sum(rr_broken.values()), ours_total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    rows = []
    rr_total = ours_total = clean = 0
    specs = comparison_specs()
    for spec in specs:
        cells, rr, ours = row_for(spec)
        rows.append(cells)
        rr_total += rr
        ours_total += ours
        clean += rr == 0
    headers = ["id", "instance", "shifts", *RULES, "rr total", "rr spread", "ours"]
    print(render(headers, rows))
    print()
    print(f"round robin: {rr_total} broken (rule, member, day) in {len(rows) - clean} of "
          f"{len(rows)} instances; our planner: {ours_total} (infeasible instances count 0 "
          "for us: we refuse them with exit 3 instead of writing a broken plan)")
    return 1 if ours_total else 0


if __name__ == "__main__":
    sys.exit(main())
