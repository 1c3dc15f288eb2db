"""Who moved between two schedules, so a lead who re-plans can tell the people concerned.

Shifts are compared as planned (overrides are carried over unchanged by re-planning, so
they cannot be what moved). Shifts are matched by their dates; a shift whose dates exist
on one side only (the term or the shift blocks changed) is reported as everyone leaving
or everyone joining.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from oncall.core.model import DateRange
from oncall.core.schedule import Schedule, Shift

PRIMARY = "primary"
SHADOW = "shadow"


@dataclass(frozen=True, order=True)
class Seat:
    """One person in one role of a shift."""

    handle: str
    role: str  # primary | shadow

    def __str__(self) -> str:
        return self.handle if self.role == PRIMARY else f"{self.handle} (shadow)"


@dataclass(frozen=True)
class Change:
    """The people of one shift before and after: ``left`` lost the shift, ``joined`` got it.

    A member who only changed role (shadow -> primary) appears on both sides, once per role.
    """

    start: date
    end: date
    left: tuple[Seat, ...]
    joined: tuple[Seat, ...]

    @property
    def span(self) -> DateRange:
        return DateRange(self.start, self.end)

    def describe(self) -> str:
        """``2027-02-01..2027-02-05: aiko -> taro``; ``-`` stands for nobody."""
        before = ", ".join(str(seat) for seat in self.left) or "-"
        after = ", ".join(str(seat) for seat in self.joined) or "-"
        return f"{self.span}: {before} -> {after}"


def _seats(shift: Shift | None) -> tuple[Seat, ...]:
    if shift is None:
        return ()
    return tuple(Seat(h, PRIMARY) for h in shift.primary) + tuple(
        Seat(h, SHADOW) for h in shift.shadow
    )


def shift_changes(old: Schedule | None, new: Schedule) -> list[Change]:
    """Every shift whose people differ between ``old`` and ``new``, in date order.

    Order within a shift is ignored: [aiko, ken] and [ken, aiko] are the same pair.
    """
    before = {(s.start, s.end): s for s in (old.shifts if old is not None else ())}
    after = {(s.start, s.end): s for s in new.shifts}
    changes: list[Change] = []
    for key in sorted(before.keys() | after.keys()):
        old_seats = _seats(before.get(key))
        new_seats = _seats(after.get(key))
        left = tuple(seat for seat in old_seats if seat not in new_seats)
        joined = tuple(seat for seat in new_seats if seat not in old_seats)
        if left or joined:
            changes.append(Change(key[0], key[1], left, joined))
    return changes


def people_moved(changes: list[Change]) -> list[str]:
    """Everyone whose duty changed, sorted: the people the lead has to tell."""
    return sorted({seat.handle for change in changes for seat in (*change.left, *change.joined)})
