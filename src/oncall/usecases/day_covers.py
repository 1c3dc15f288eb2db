"""Leave on a day someone already holds: in a running shift, or one people were told.

A re-plan keeps a running shift (its first days are served, and shifts follow the shift
blocks), and `leave import` changes only the rotation file, so leave entered for a day of
such a shift used to leave its holder on duty on a leave day. This module finds those
days and settles each one the same way for `plan` and `leave import`:

- with ``shift.cover: day``, a one-day cover (the team opted in to them): the member with
  the least duty so far whom every rule allows that day, checked by the rules engine
  itself (``rules.new_violations``), as ``oncall plan`` gives covers in new shifts;
- without it (a shift belongs whole to its people), no automatic change: the command
  writes nothing and names the swap that settles the day (``oncall swap``, again with a
  member the rules allow), because moving someone's duty is the lead's call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from oncall.core.duty_calendar import DutyCalendar
from oncall.core.errors import Infeasible
from oncall.core.model import DateRange, Rotation
from oncall.core.rules import ERROR, new_violations
from oncall.core.schedule import Override, Schedule, Shift


@dataclass(frozen=True)
class Held:
    """A duty day a primary holds but is on leave for."""

    shift: Shift
    day: date
    handle: str
    reason: str  # "unavailable 2027-01-20"


@dataclass(frozen=True)
class Covered:
    """A one-day cover given for a held day."""

    day: date
    out: str
    into: str


def held_days(
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule,
    first: date,
    shifts: Callable[[Shift], bool] = lambda shift: True,
) -> list[Held]:
    """Duty days from ``first`` on, in the shifts ``shifts`` picks, that a primary holds
    (covers and overrides applied) while unavailable that day (``members[].unavailable``)."""
    found: list[Held] = []
    for day in calendar.duty_days:
        if day < first:
            continue
        duty = schedule.duty_on(day)
        if duty.shift is None or not shifts(schedule.shifts[duty.shift]):
            continue
        for handle in duty.primary:
            member = rotation.member(handle)
            entry = member.unavailable_on(day) if member is not None else None
            if entry is not None:
                found.append(Held(schedule.shifts[duty.shift], day, handle, f"unavailable {entry}"))
    return found


def settle(
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule,
    held: Sequence[Held],
    *,
    path: Path,
    what: str,
    then: str,
) -> tuple[Schedule, list[Covered]]:
    """``schedule`` with a cover for each held day (``shift.cover: day``); else, or when
    a day finds no cover, ``Infeasible`` (exit 3) naming the day and the swap to record.
    ``what`` says what held it and ``then`` the command to run after the swap."""
    covered: list[Covered] = []
    reasons: list[str] = []
    for item in held:
        if rotation.shift.cover == "day":
            into = _fairest(rotation, calendar, schedule, item, _with_cover)
            if into is not None:
                schedule = _with_cover(schedule, item, into)
                covered.append(Covered(item.day, item.handle, into))
                continue
        reasons.append(f"{_swap_reason(rotation, calendar, schedule, item, path)}, then {then}")
    if reasons:
        raise Infeasible(rotation.id, [f"{what}: {reason}" for reason in reasons])
    return schedule, covered


def _swap_reason(
    rotation: Rotation, calendar: DutyCalendar, schedule: Schedule, item: Held, path: Path
) -> str:
    into = _fairest(rotation, calendar, schedule, item, _with_swap)
    why = (
        "no one-day cover keeps every rule"
        if rotation.shift.cover == "day"
        else "covers are off (shift.cover: day gives them), and a shift is not re-planned "
        "once told or running"
    )
    swap = f"oncall swap {path} --dates {item.day} --out {item.handle}"
    command = (
        f"{swap} --in {into}" if into is not None else f"{swap} --in MEMBER --force (nobody "
        "the rules allow is free that day)"
    )
    return (
        f"{item.handle} holds {item.day} in the shift {item.shift.span} but is {item.reason}; "
        f"{why}: record who takes the day first: {command}"
    )


def _with_cover(schedule: Schedule, item: Held, into: str) -> Schedule:
    shift = item.shift
    if shift not in schedule.shifts:  # an earlier cover changed it: find it by its start
        shift = next(s for s in schedule.shifts if s.start == item.shift.start)
    covers = tuple(sorted((*shift.covers, (item.day, item.handle, into))))
    changed = replace(shift, covers=covers)
    return replace(schedule, shifts=tuple(changed if s is shift else s for s in schedule.shifts))


def _with_swap(schedule: Schedule, item: Held, into: str) -> Schedule:
    return schedule.with_override(Override(DateRange.single(item.day), item.handle, into))


def _fairest(
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule,
    item: Held,
    change: Callable[[Schedule, Held, str], Schedule],
) -> str | None:
    """The member with the least duty days in the term (and carried in) for whom
    ``change`` breaks no rule that day; None when nobody may take it."""
    load = _duty_days(calendar, schedule)
    on_duty = set(schedule.duty_on(item.day).people)
    candidates = sorted(
        (m.handle for m in rotation.members if m.handle not in on_duty),
        key=lambda h: (load.get(h, 0), h),
    )
    for handle in candidates:
        after = change(schedule, item, handle)
        broken = new_violations(rotation, calendar, schedule, after)
        if not any(v.severity == ERROR for v in broken):
            return handle
    return None


def _duty_days(calendar: DutyCalendar, schedule: Schedule) -> dict[str, int]:
    """Primary duty days per person in the term, plus those carried in (the ledger)."""
    load = {handle: served.days for handle, served in (schedule.ledger or {}).items()}
    for duty in schedule.duties(d for d in calendar.duty_days if d in schedule.term):
        for handle in duty.primary:
            load[handle] = load.get(handle, 0) + 1
    return load
