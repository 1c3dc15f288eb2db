"""What a plan carries in from before: the kept shifts already served (they count towards
fairness, min_gap, max_shifts and shadowing) and the shifts people were told (which a
re-plan tries to keep).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction

from oncall.core.schedule import Shift
from oncall.core.served import Served
from oncall.planner.tables import Seat, Tables

NEVER = -(1 << 30)  # ``last_served`` of a member who has not served yet


class KeptHistory:
    """Per member, what the kept shifts (all before ``plan_from``) leave behind.

    Positions are planned-shift numbers, so a kept shift has a negative one.
    """

    def __init__(
        self,
        tables: Tables,
        kept: Sequence[Shift],
        carried: Mapping[str, Served] | None = None,
        recent: Mapping[str, int] | None = None,
    ) -> None:
        self.kept = tuple(sorted(kept, key=lambda shift: shift.start))
        plan_from = tables.plan_from
        for shift in self.kept:
            if plan_from is None or shift.start >= plan_from:
                raise ValueError(f"kept shift {shift.span} does not start before {plan_from}")
        n = len(tables.members)
        self.last_served = [NEVER] * n  # position of their last kept shift, either role
        self.served_before = [0] * n  # kept shifts served in either role (max_shifts)
        self.primaries_before = [0] * n  # kept primary shifts: the load fairness starts at
        self.shadows_before = [0] * n  # kept shadow shifts
        primary_seen = [False] * n
        shadowed = [0] * n  # shadow shifts before their first primary one
        for shift in self.kept:
            slot = tables.calendar.slot_of(shift.start)
            if slot is None:
                continue
            position = slot.index - tables.first_slot
            for role, handles in (("primary", shift.primary), ("shadow", shift.shadow)):
                for handle in handles:
                    m = tables.number.get(handle)
                    if m is None:
                        continue
                    if self.last_served[m] != position:
                        self.served_before[m] += 1
                    self.last_served[m] = max(self.last_served[m], position)
                    if role == "primary":
                        self.primaries_before[m] += 1
                        primary_seen[m] = True
                    else:
                        self.shadows_before[m] += 1
                        if not primary_seen[m]:
                            shadowed[m] += 1
        # The previous term's last shifts sit just before this term's first (-1 the last):
        # min_gap holds across the boundary.
        for handle, back in (recent or {}).items():
            m = tables.number.get(handle)
            if m is not None and _first_is_start(tables):
                self.last_served[m] = max(self.last_served[m], -back)
        # Earlier terms (the ledger) and what this term's kept overrides and covers change
        # (``core.duty_load.replan_carry``): their duty days, in shifts of this term, start
        # the fairness load; a newcomer who served as primary there is experienced now.
        self.carried_in: Mapping[str, Served] = carried or {}  # the ledger, as stored
        self.carried = carried_shifts(tables, self.carried_in)
        for m, member in enumerate(tables.members):
            served = (carried or {}).get(member.handle)
            if served is None:
                continue
            self.primaries_before[m] += self.carried[m]
            primary_seen[m] = primary_seen[m] or served.days > 0 or served.shifts > 0
            shadowed[m] += served.shadow_shifts
        wanted = tables.rotation.onboarding.shadow_shifts
        # Newcomers who served as primary already (kept shifts, earlier terms): they mentor
        # like anyone experienced, as the rules engine counts them.
        self.served_primary = [tables.members[m].new and primary_seen[m] for m in range(n)]
        # Shadow shifts a newcomer must still serve before their first primary one.
        self.shadows_needed = [
            max(0, wanted - shadowed[m])
            if tables.members[m].new and not primary_seen[m]
            else 0
            for m in range(n)
        ]


def _first_is_start(tables: Tables) -> bool:
    return tables.first_slot == 0


def carried_shifts(tables: Tables, carried: Mapping[str, Served]) -> list[int]:
    """Each member's carried load (duty days, joining credit included) in shifts of this
    term: days over the term's average duty days per shift, rounded half up. Exact for
    daily shifts; for longer ones a day swapped in an earlier term counts as its share.
    A load may be negative (days a kept override took from someone): it rounds the same
    way, down from the half."""
    slots = tables.calendar.slots
    days = sum(len(slot.duty_days) for slot in slots)
    per_shift = Fraction(days, len(slots)) if slots and days else Fraction(1)
    return [
        math.floor(Fraction(carried[m.handle].load) / per_shift + Fraction(1, 2))
        if m.handle in carried
        else 0
        for m in tables.members
    ]


class ToldShifts:
    """What people were told for each planned shift (a previous schedule matched by dates),
    as member numbers.

    ``empty`` when nothing of it falls on a planned shift: a first plan is then searched
    exactly as without it.
    """

    def __init__(self, tables: Tables, previous: Sequence[Shift]) -> None:
        by_dates: dict[tuple[date, date], Shift] = {(s.start, s.end): s for s in previous}
        number = tables.number
        self.primaries: list[frozenset[int]] = []
        self.shadows: list[frozenset[int]] = []
        # (shift, person, role) assignments told on planned shifts, known members or not.
        self.assignments = 0
        for slot in tables.slots:
            shift = by_dates.get((slot.first, slot.last))
            if shift is None:
                self.primaries.append(frozenset())
                self.shadows.append(frozenset())
                continue
            self.primaries.append(frozenset(number[h] for h in shift.primary if h in number))
            self.shadows.append(frozenset(number[h] for h in shift.shadow if h in number))
            self.assignments += len(shift.primary) + len(shift.shadow)

    @property
    def empty(self) -> bool:
        return not self.assignments

    def kept_of(self, seating: list[Seat]) -> int:
        """Told (shift, person, role) assignments that ``seating`` keeps."""
        if self.empty:
            return 0
        return sum(
            len(told_primaries.intersection(primaries)) + len(told_shadows.intersection(shadows))
            for (primaries, shadows), told_primaries, told_shadows in zip(
                seating, self.primaries, self.shadows, strict=True
            )
        )
