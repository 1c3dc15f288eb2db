"""Soft wishes (``members[].prefers_not``) counted over a planned term: one wish per
member and duty day an entry of theirs names; it is broken when the member holds that
duty day (primary or shadow, one-day covers applied), kept otherwise."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from oncall.core.duty_calendar import duty_days
from oncall.core.model import Member, Rotation, Term
from oncall.core.schedule import Shift


@dataclass(frozen=True)
class WishTally:
    """Wishes kept and broken over a term; ``broken_by`` names whose were broken (handle:
    how many), in roster order."""

    kept: int
    broken: int
    broken_by: Mapping[str, int]


def wished(member: Member, day: date) -> bool:
    """Whether one of ``member``'s ``prefers_not`` entries names ``day``."""
    return any(entry.covers(day) for entry in member.prefers_not)


def held_days(shifts: Sequence[Shift], duty: frozenset[date]) -> dict[str, set[date]]:
    """The duty days each handle holds, as primary or shadow, covers applied."""
    held: dict[str, set[date]] = {}
    for shift in shifts:
        days = {day for day in duty if shift.start <= day <= shift.end}
        for handle in shift.people:
            held.setdefault(handle, set()).update(days)
        for day, out, into in shift.covers:
            if day in days:
                held.setdefault(out, set()).discard(day)
                held.setdefault(into, set()).add(day)
    return held


def tally(
    rotation: Rotation, term: Term, off: Mapping[date, str], shifts: Sequence[Shift]
) -> WishTally:
    """The wishes of ``rotation``'s members over ``term`` (duty days less ``off``)."""
    duty = frozenset(day for day in duty_days(rotation, term.start, term.end, off))
    held = held_days(shifts, duty)
    kept = broken = 0
    broken_by: dict[str, int] = {}
    for member in rotation.members:
        if not member.prefers_not:
            continue
        mine = held.get(member.handle, set())
        for day in sorted(duty):
            if not wished(member, day):
                continue
            if day in mine:
                broken += 1
                broken_by[member.handle] = broken_by.get(member.handle, 0) + 1
            else:
                kept += 1
    return WishTally(kept, broken, broken_by)
