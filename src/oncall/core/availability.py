"""Who may serve which day and which shift: the availability half of the rules.

Part of the one definition of every rule: ``oncall.core.rules`` imports these and is what
the planner, ``validate`` and ``swap`` ask; they live here so that module stays readable.
A day is barred by ``volunteers_only``, ``terms``, membership (``joined``/``left``) and
``unavailable``; a shift by any of its duty days, unless ``shift.cover: day`` lets an
experienced member take it with one-day covers.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date

from oncall.core.duty_calendar import ShiftSlot
from oncall.core.model import Member, Rotation, Term


def is_experienced(member: Member) -> bool:
    return not member.new


def day_blockers(
    rotation: Rotation, term: Term, member: Member, day: date
) -> list[tuple[str, str]]:
    """Why ``member`` cannot serve on ``day`` of ``term``, as (rule id, reason) pairs; empty
    if they can."""
    reasons: list[tuple[str, str]] = []
    if rotation.rules.volunteers_only and not member.volunteer:
        reasons.append(("volunteers_only", "not a volunteer"))
    if not member.serves_in_term(term.start):
        reasons.append(("terms", f"not serving in the term starting {term.start}"))
    if not member.member_on(day):
        reasons.append(("membership", membership_reason(member, day)))
    entry = member.unavailable_on(day)
    if entry is not None:
        reasons.append(("availability", f"unavailable {entry}"))
    return reasons


def membership_reason(member: Member, day: date) -> str:
    """Why ``day`` lies outside ``member``'s membership, e.g. "ken left on 2027-02-01"."""
    if member.joined is not None and day < member.joined:
        return f"not a member yet: {member.handle} joins on {member.joined}"
    return f"no longer a member: {member.handle} left on {member.left}"


def slot_blockers(
    rotation: Rotation, term: Term, member: Member, slot: ShiftSlot
) -> list[tuple[str, str]]:
    """Why ``member`` cannot take the whole shift of ``slot``.

    The planner gives a whole shift only to members available on every one of its duty days;
    with ``shift.cover: day``, to experienced members who can serve at least one of them
    (each other day gets a one-day cover, checked like any duty day; a newcomer, who may
    shadow the shift, takes whole shifts only).
    """
    reasons: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    servable = False
    for day in slot.duty_days:
        found = day_blockers(rotation, term, member, day)
        servable = servable or not found
        for reason in found:
            if reason not in seen:
                seen.add(reason)
                reasons.append(reason)
    covered = rotation.shift.cover == "day" and is_experienced(member)
    return [] if servable and covered else reasons


def days_to_cover(
    rotation: Rotation, term: Term, member: Member, slot: ShiftSlot
) -> tuple[date, ...]:
    """The duty days of ``slot`` that ``member``, holding it, needs a one-day cover for."""
    return tuple(day for day in slot.duty_days if day_blockers(rotation, term, member, day))


def can_take_slot(rotation: Rotation, term: Term, member: Member, slot: ShiftSlot) -> bool:
    return not slot_blockers(rotation, term, member, slot)


def can_take_table(
    rotation: Rotation, term: Term, members: Sequence[Member], slots: Sequence[ShiftSlot]
) -> list[list[bool]]:
    """``can_take_slot`` for every member and slot at once: the same rule (``day_blockers``
    on every duty day of the slot; with ``shift.cover: day``, at least one servable day for
    an experienced member), worked out from each member's entries instead of asking every
    day of every slot, so a roster of 10,000 members is tabled in a blink."""
    by_day: dict[date, list[int]] = {}
    by_weekday: dict[int, list[date]] = {}
    for position, slot in enumerate(slots):
        for day in slot.duty_days:
            by_day.setdefault(day, []).append(position)
    days = sorted(by_day)
    for day in days:
        by_weekday.setdefault(day.weekday(), []).append(day)
    table = []
    for member in members:
        if (rotation.rules.volunteers_only and not member.volunteer) or not (
            member.serves_in_term(term.start)
        ):
            table.append([False] * len(slots))
            continue
        blocked: set[date] = set()
        for entry in member.unavailable:
            if entry.weekday is not None:
                blocked.update(by_weekday.get(entry.weekday, ()))
            elif entry.dates is not None:
                first = bisect.bisect_left(days, entry.dates.first)
                last = bisect.bisect_right(days, entry.dates.last)
                blocked.update(days[first:last])
        if member.joined is not None or member.left is not None:
            blocked.update(d for d in days if not member.member_on(d))
        away = [0] * len(slots)
        for day in blocked:
            for position in by_day[day]:
                away[position] += 1
        covered = rotation.shift.cover == "day" and is_experienced(member)
        table.append(
            [
                away[p] == 0 or (covered and away[p] < len(slots[p].duty_days))
                for p in range(len(slots))
            ]
        )
    return table
